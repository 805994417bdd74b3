//! Events for `lex` (types to come).
