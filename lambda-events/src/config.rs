//! Events for `config` (types to come).
