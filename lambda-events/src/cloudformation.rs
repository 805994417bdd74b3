//! Events for `cloudformation` (types to come).
