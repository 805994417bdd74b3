//! Events for `cloudwatch_logs` (types to come).
