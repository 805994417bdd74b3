//! Events for `alexa` (types to come).
