//! Events for `cognito` (types to come).
