//! Events for `dynamodb` (types to come).
