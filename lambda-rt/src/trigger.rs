//! What the events of a trigger can be decoded into, checked at compile time: an `sqs = "Queue"` trigger
//! on a handler whose event type cannot take SQS batches is an error at that type.

use crate::extract::RawEvent;

/// An event type that can take the SQS batches of an `sqs` trigger: `serde_json::Value`, [`RawEvent`],
/// `lambda_rt::batch::SqsRecord<T>` (a `batch` handler) and `lambda_events::sqs::SqsEvent` (with the
/// `batch` feature). Implement it for a type of yours that decodes SQS batches.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct MyBatch {
///     #[serde(rename = "Records")]
///     records: Vec<serde_json::Value>,
/// }
///
/// impl lambda_rt::trigger::TakesSqs for MyBatch {}
///
/// #[lambda_rt::handler("mine.sqs", sqs = "MyQueue")]
/// async fn mine(batch: MyBatch) -> usize {
///     batch.records.len()
/// }
/// # fn main() {}
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the SQS batches of this handler's `sqs` trigger",
    label = "not an SQS event type",
    note = "an `sqs` trigger invokes the handler with SQS batches: take `lambda_rt::batch::SqsRecord<T>` in a `batch` handler, `lambda_events::sqs::SqsEvent`, `serde_json::Value` or `lambda_rt::RawEvent`, or implement `lambda_rt::trigger::TakesSqs` for your type"
)]
pub trait TakesSqs {}

impl TakesSqs for serde_json::Value {}
impl TakesSqs for RawEvent {}
#[cfg(feature = "batch")]
impl<T> TakesSqs for crate::batch::SqsRecord<T> {}
#[cfg(feature = "batch")]
impl TakesSqs for lambda_events::sqs::SqsEvent {}

/// The generated check of an `sqs` trigger's event type.
#[doc(hidden)]
pub fn takes_sqs<E: TakesSqs + ?Sized>() {}
