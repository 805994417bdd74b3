//! Events for `ses` (types to come).
