//! Durable functions (feature `durable`): a workflow written as one async function whose steps are
//! checkpointed by Lambda's durable execution service, that can wait (up to a year) without running, and
//! that Lambda invokes again after a wait, a retry delay or a failure, replaying its history to where it
//! was.
//!
//! ```
//! use lambda_fn::durable::DurableContext;
//! use std::time::Duration;
//!
//! #[lambda_fn::handler("orders.flow", durable)]
//! async fn flow(order: u64, ctx: DurableContext) -> Result<String, lambda_fn::Error> {
//!     let id = ctx.step("reserve", || async move { Ok::<_, lambda_fn::Error>(order * 10) }).await?;
//!     ctx.wait("settle", Duration::from_secs(24 * 3600)).await?;
//!     ctx.step("ship", || async move { Ok::<_, lambda_fn::Error>(format!("shipped {id}")) }).await
//! }
//! # fn main() {}
//! ```
//!
//! The event is the execution's input and the return value its result. The checkpoints go to the
//! Lambda API of the function's region (`AWS_ENDPOINT_URL_LAMBDA` or `AWS_ENDPOINT_URL` override it, as
//! for a local durable execution service), signed with the execution role's credentials.
//! [`testing::TestRunner`] runs a workflow in a unit test, without AWS.

mod batch;
mod callback;
mod child;
mod condition;
mod context;
mod execution;
mod ids;
mod invoke;
pub mod plugin;
pub(crate) mod protocol;
mod retry;
mod run;
mod serdes;
mod service;
mod step;
pub mod testing;
mod wait;

pub use batch::{
    BatchConfig, BatchItem, BatchItemError, BatchItemStatus, BatchResult, CompletionConfig, CompletionReason, Nesting,
    ParallelBranch,
};
pub use callback::{Callback, CallbackConfig};
pub use condition::WaitForConditionConfig;
pub use context::{DurableContext, DurableLogger};
pub use invoke::InvokeConfig;
pub use retry::{Jitter, Retry};
pub use serdes::{JsonSerdes, Serdes};
pub use step::{Semantics, StepConfig};

#[doc(hidden)]
pub use run::run;
