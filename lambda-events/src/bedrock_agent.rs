//! Events for `bedrock_agent` (types to come).
