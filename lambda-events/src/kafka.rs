//! Events for `kafka` (types to come).
