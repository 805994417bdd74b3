//! Events for `appsync` (types to come).
