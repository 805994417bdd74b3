//! Events for `secretsmanager` (types to come).
