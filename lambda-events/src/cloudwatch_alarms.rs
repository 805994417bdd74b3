//! Events for `cloudwatch_alarms` (types to come).
