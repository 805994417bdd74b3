//! Events for `alb` (types to come).
