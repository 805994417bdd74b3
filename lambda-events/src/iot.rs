//! Events for `iot` (types to come).
