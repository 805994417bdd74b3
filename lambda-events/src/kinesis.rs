//! Events for `kinesis` (types to come).
