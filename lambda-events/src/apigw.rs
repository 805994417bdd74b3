//! Events for `apigw` (types to come).
