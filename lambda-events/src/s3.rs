//! Events for `s3` (types to come).
