//! Events for `sqs` (types to come).
