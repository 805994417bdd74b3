//! Events for `firehose` (types to come).
