//! Events for `sns` (types to come).
