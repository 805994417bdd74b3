//! Procedural macros of lambda-rt.
