//! Events for `mq` (types to come).
