//! Events for `codepipeline` (types to come).
