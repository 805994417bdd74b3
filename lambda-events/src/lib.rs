//! Typed AWS Lambda events and responses.
//!
//! Every module decodes the JSON an AWS service sends exactly as documented, keeps fields it does not
//! know about and tells an empty object from an absent one (so a decode followed by an encode gives
//! back the same JSON), and offers the helpers users reach for: HTTP responses from a string or a
//! JSON value, base64 bodies, SQS partial batch responses, CloudWatch Logs decompression, DynamoDB
//! attribute values.
//!
//! Each source sits behind a cargo feature of the same name; all are on by default. Any
//! `serde::Deserialize` type works as a custom event too: these types are a convenience, not a
//! requirement.
//!
//! Invariant: this crate never depends on `lambda-rt`, so it can be used with any runtime.

pub mod encoding;

/// The example of `README.md`, run as a doctest so that it stays correct.
#[cfg(all(doctest, feature = "alb", feature = "sqs"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Helpers shared by the HTTP-shaped events (header and query lookups, response builders, the
/// response type of HTTP APIs and function URLs, `http` conversions).
#[cfg(any(
    feature = "alb",
    feature = "apigw",
    feature = "function_url",
    feature = "vpc_lattice"
))]
mod http_common;

#[cfg(feature = "alb")]
pub mod alb;
#[cfg(feature = "apigw")]
pub mod apigw;
#[cfg(feature = "function_url")]
pub mod function_url;
#[cfg(feature = "vpc_lattice")]
pub mod vpc_lattice;

#[cfg(feature = "cloudwatch_logs")]
pub mod cloudwatch_logs;
#[cfg(feature = "dynamodb")]
pub mod dynamodb;
#[cfg(feature = "eventbridge")]
pub mod eventbridge;
#[cfg(feature = "firehose")]
pub mod firehose;
#[cfg(feature = "kafka")]
pub mod kafka;
#[cfg(feature = "kinesis")]
pub mod kinesis;
#[cfg(feature = "mq")]
pub mod mq;
#[cfg(feature = "s3")]
pub mod s3;
#[cfg(feature = "ses")]
pub mod ses;
#[cfg(feature = "sns")]
pub mod sns;
#[cfg(feature = "sqs")]
pub mod sqs;

#[cfg(feature = "alexa")]
pub mod alexa;
#[cfg(feature = "appsync")]
pub mod appsync;
#[cfg(feature = "bedrock_agent")]
pub mod bedrock_agent;
#[cfg(feature = "cloudformation")]
pub mod cloudformation;
#[cfg(feature = "cloudwatch_alarms")]
pub mod cloudwatch_alarms;
#[cfg(feature = "codecommit")]
pub mod codecommit;
#[cfg(feature = "codepipeline")]
pub mod codepipeline;
#[cfg(feature = "cognito")]
pub mod cognito;
#[cfg(feature = "config")]
pub mod config;
#[cfg(feature = "connect")]
pub mod connect;
#[cfg(feature = "iot")]
pub mod iot;
#[cfg(feature = "lex")]
pub mod lex;
#[cfg(feature = "secretsmanager")]
pub mod secretsmanager;
