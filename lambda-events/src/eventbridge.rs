//! Events for `eventbridge` (types to come).
