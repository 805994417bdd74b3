//! Events for `connect` (types to come).
