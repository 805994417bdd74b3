//! Events for `function_url` (types to come).
