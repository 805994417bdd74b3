//! Handlers for AWS's durable execution conformance suite (`aws-durable-execution-conformance-tests`),
//! one per requirement, each written to the requirement's prose and named `conformance.<id>`: the step
//! suite (`1-*`) in [`step`], the wait suite (`2-*`) in [`wait`], the child context suite (`3-*`) in
//! [`child`], callbacks (`4-*`) in [`callback`], invoke (`5-*`, with the functions it calls) in
//! [`invoke`], wait_for_condition (`6-*`) in [`condition`], wait_for_callback (`7-*`) in
//! [`wait_for_callback`], parallel (`8-*`) in [`parallel`], map (`9-*`) in [`map`] and instrumentation
//! plugins (`10-*`) in [`plugin`].
//!
//! The suite's requirements are checked against the execution's history by the suite's own validator
//! (`harness/conformance.py`, run by `tests/suite.rs`); which requirements run offline, and why the others
//! do not, is listed there.

pub mod attempts;
pub mod batch_summary;
pub mod callback;
pub mod child;
pub mod condition;
pub mod invoke;
pub mod map;
pub mod parallel;
pub mod plugin;
pub mod step;
pub mod wait;
pub mod wait_for_callback;
