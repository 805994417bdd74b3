//! lambda-rt.
