//! Events for `codecommit` (types to come).
