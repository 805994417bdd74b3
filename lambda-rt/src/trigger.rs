//! What the events of a trigger can be decoded into, checked at compile time: an `sqs = "Queue"` trigger
//! on a handler whose event type cannot take SQS batches is an error at that type, naming the type and the
//! trigger.
//!
//! There is one trait per kind of event: [`TakesSqs`], [`TakesSns`], [`TakesS3`], [`TakesKinesis`],
//! [`TakesDynamoDb`], [`TakesEventBridge`] (`schedule` and `eventbridge`), [`TakesAlb`] and [`TakesUrl`].
//! `serde_json::Value`, [`RawEvent`], `serde::de::IgnoredAny` and `Box<serde_json::value::RawValue>` (with
//! `batch` or `events`) take every kind; the `lambda-fn-events` type of each kind takes
//! its own (with the `events` feature, which `batch` implies for SQS, Kinesis and DynamoDB); the record
//! types of `lambda_fn::batch` take theirs. A type of yours that decodes a kind of event says so with an
//! empty `impl`.
//!
//! Routed and `service` functions take HTTP from any source, so they are not checked here: their
//! annotation refuses the triggers that do not send HTTP requests.
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct MyBatch {
//!     #[serde(rename = "Records")]
//!     records: Vec<serde_json::Value>,
//! }
//!
//! impl lambda_fn::trigger::TakesSqs for MyBatch {}
//!
//! #[lambda_fn::handler("mine.sqs", sqs = "MyQueue")]
//! async fn mine(batch: MyBatch) -> usize {
//!     batch.records.len()
//! }
//! # fn main() {}
//! ```

use crate::extract::RawEvent;

/// An event type that can take the SQS batches of an `sqs` trigger.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the SQS batches of this handler's `sqs` trigger",
    label = "not an SQS event type",
    note = "an `sqs` trigger invokes the handler with SQS batches: take `lambda_fn::batch::SqsRecord<T>` in a `batch` handler, `lambda_fn_events::sqs::SqsEvent`, `serde_json::Value` or `lambda_fn::RawEvent`, or implement `lambda_fn::trigger::TakesSqs` for your type (for a type of another crate, for a newtype around it)"
)]
pub trait TakesSqs {}

impl TakesSqs for serde_json::Value {}
impl TakesSqs for RawEvent {}
impl TakesSqs for serde::de::IgnoredAny {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesSqs for Box<serde_json::value::RawValue> {}

/// The generated check of a trigger's event type.
#[doc(hidden)]
pub fn takes_sqs<E: TakesSqs + ?Sized>() {}

/// An event type that can take the notifications of an `sns` trigger.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the SNS notifications of this handler's `sns` trigger",
    label = "not an SNS event type",
    note = "an `sns` trigger invokes the handler with SNS notifications: take `lambda_fn_events::sns::SnsEvent` (lambda-fn's `events` feature), `serde_json::Value` or `lambda_fn::RawEvent`, or implement `lambda_fn::trigger::TakesSns` for your type (for a type of another crate, for a newtype around it)"
)]
pub trait TakesSns {}

impl TakesSns for serde_json::Value {}
impl TakesSns for RawEvent {}
impl TakesSns for serde::de::IgnoredAny {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesSns for Box<serde_json::value::RawValue> {}

/// The generated check of a trigger's event type.
#[doc(hidden)]
pub fn takes_sns<E: TakesSns + ?Sized>() {}

/// An event type that can take the object notifications of an `s3` trigger.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the S3 notifications of this handler's `s3` trigger",
    label = "not an S3 event type",
    note = "an `s3` trigger invokes the handler with S3 event notifications: take `lambda_fn_events::s3::S3Event` (lambda-fn's `events` feature), `serde_json::Value` or `lambda_fn::RawEvent`, or implement `lambda_fn::trigger::TakesS3` for your type (for a type of another crate, for a newtype around it)"
)]
pub trait TakesS3 {}

impl TakesS3 for serde_json::Value {}
impl TakesS3 for RawEvent {}
impl TakesS3 for serde::de::IgnoredAny {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesS3 for Box<serde_json::value::RawValue> {}

/// The generated check of a trigger's event type.
#[doc(hidden)]
pub fn takes_s3<E: TakesS3 + ?Sized>() {}

/// An event type that can take the record batches of a `kinesis` trigger.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the Kinesis records of this handler's `kinesis` trigger",
    label = "not a Kinesis event type",
    note = "a `kinesis` trigger invokes the handler with Kinesis record batches: take `lambda_fn::batch::KinesisRecord<T>` in a `batch` handler, `lambda_fn_events::kinesis::KinesisEvent`, `serde_json::Value` or `lambda_fn::RawEvent`, or implement `lambda_fn::trigger::TakesKinesis` for your type (for a type of another crate, for a newtype around it)"
)]
pub trait TakesKinesis {}

impl TakesKinesis for serde_json::Value {}
impl TakesKinesis for RawEvent {}
impl TakesKinesis for serde::de::IgnoredAny {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesKinesis for Box<serde_json::value::RawValue> {}

/// The generated check of a trigger's event type.
#[doc(hidden)]
pub fn takes_kinesis<E: TakesKinesis + ?Sized>() {}

/// An event type that can take the stream records of a `dynamodb` trigger.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the DynamoDB stream records of this handler's `dynamodb` trigger",
    label = "not a DynamoDB Streams event type",
    note = "a `dynamodb` trigger invokes the handler with DynamoDB stream records: take `lambda_fn::batch::DynamoDbRecord<T>` in a `batch` handler, `lambda_fn_events::dynamodb::DynamoDbEvent`, `serde_json::Value` or `lambda_fn::RawEvent`, or implement `lambda_fn::trigger::TakesDynamoDb` for your type (for a type of another crate, for a newtype around it)"
)]
pub trait TakesDynamoDb {}

impl TakesDynamoDb for serde_json::Value {}
impl TakesDynamoDb for RawEvent {}
impl TakesDynamoDb for serde::de::IgnoredAny {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesDynamoDb for Box<serde_json::value::RawValue> {}

/// The generated check of a trigger's event type.
#[doc(hidden)]
pub fn takes_dynamodb<E: TakesDynamoDb + ?Sized>() {}

/// An event type that can take the events of a `schedule` or `eventbridge` trigger.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the EventBridge events of this handler's `schedule` or `eventbridge` trigger",
    label = "not an EventBridge event type",
    note = "a `schedule` or `eventbridge` trigger invokes the handler with EventBridge events: take `lambda_fn_events::eventbridge::EventBridgeEvent<T>` (lambda-fn's `events` feature), `serde_json::Value` or `lambda_fn::RawEvent`, or implement `lambda_fn::trigger::TakesEventBridge` for your type (for a type of another crate, for a newtype around it)"
)]
pub trait TakesEventBridge {}

impl TakesEventBridge for serde_json::Value {}
impl TakesEventBridge for RawEvent {}
impl TakesEventBridge for serde::de::IgnoredAny {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesEventBridge for Box<serde_json::value::RawValue> {}

/// The generated check of a trigger's event type.
#[doc(hidden)]
pub fn takes_eventbridge<E: TakesEventBridge + ?Sized>() {}

/// An event type that can take the requests of an `alb(...)` trigger.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the load balancer requests of this handler's `alb` trigger",
    label = "not an ALB request type",
    note = "an `alb` trigger invokes the handler with ALB target group requests: take `lambda_fn_events::alb::AlbTargetGroupRequest` (lambda-fn's `events` feature), `serde_json::Value` or `lambda_fn::RawEvent`, use `route = \"...\"` (any HTTP source), or implement `lambda_fn::trigger::TakesAlb` for your type (for a type of another crate, for a newtype around it)"
)]
pub trait TakesAlb {}

impl TakesAlb for serde_json::Value {}
impl TakesAlb for RawEvent {}
impl TakesAlb for serde::de::IgnoredAny {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesAlb for Box<serde_json::value::RawValue> {}

/// The generated check of a trigger's event type.
#[doc(hidden)]
pub fn takes_alb<E: TakesAlb + ?Sized>() {}

/// An event type that can take the requests of a `url` trigger (a function URL).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take the function URL requests of this handler's `url` trigger",
    label = "not a function URL request type",
    note = "a `url` trigger invokes the handler with function URL requests (payload format 2.0): take `lambda_fn_events::function_url::LambdaFunctionUrlRequest` (lambda-fn's `events` feature), `serde_json::Value` or `lambda_fn::RawEvent`, use `route = \"...\"` (any HTTP source), or implement `lambda_fn::trigger::TakesUrl` for your type (for a type of another crate, for a newtype around it)"
)]
pub trait TakesUrl {}

impl TakesUrl for serde_json::Value {}
impl TakesUrl for RawEvent {}
impl TakesUrl for serde::de::IgnoredAny {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesUrl for Box<serde_json::value::RawValue> {}

/// The generated check of a trigger's event type.
#[doc(hidden)]
pub fn takes_url<E: TakesUrl + ?Sized>() {}

#[cfg(feature = "batch")]
impl<T> TakesSqs for crate::batch::SqsRecord<T> {}
#[cfg(feature = "batch")]
impl<T> TakesKinesis for crate::batch::KinesisRecord<T> {}
#[cfg(feature = "batch")]
impl<T> TakesDynamoDb for crate::batch::DynamoDbRecord<T> {}

#[cfg(any(feature = "batch", feature = "events"))]
impl TakesSqs for lambda_fn_events::sqs::SqsEvent {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesKinesis for lambda_fn_events::kinesis::KinesisEvent {}
#[cfg(any(feature = "batch", feature = "events"))]
impl TakesDynamoDb for lambda_fn_events::dynamodb::DynamoDbEvent {}

#[cfg(feature = "events")]
impl TakesSns for lambda_fn_events::sns::SnsEvent {}
#[cfg(feature = "events")]
impl<T> TakesSns for lambda_fn_events::sns::SnsEventObj<T> {}
#[cfg(feature = "events")]
impl TakesS3 for lambda_fn_events::s3::S3Event {}
#[cfg(feature = "events")]
impl<T> TakesEventBridge for lambda_fn_events::eventbridge::EventBridgeEvent<T> {}
#[cfg(feature = "events")]
impl TakesAlb for lambda_fn_events::alb::AlbTargetGroupRequest {}
#[cfg(feature = "events")]
impl TakesUrl for lambda_fn_events::function_url::LambdaFunctionUrlRequest {}
/// A function URL sends the HTTP API's payload format 2.0.
#[cfg(feature = "events")]
impl TakesUrl for lambda_fn_events::apigw::ApiGatewayV2HttpRequest {}
