//! The manifest a lambda-rt binary writes about itself (`bootstrap manifest`), as Rust types: every
//! handler (its name, event and return types, streaming, batch settings, HTTP routes, function settings,
//! triggers, the state it needs, where it is defined) and every `#[init]` function.
//!
//! The runtime writes it and `cargo lambda-rt template` reads it; both use these types, so a key cannot
//! be renamed on one side only. The JSON carries [`MANIFEST_VERSION`]; [`Manifest::from_json`] refuses a
//! version it does not read, saying which it reads.
//!
//! ```
//! use lambda_fn_manifest::{Handler, Manifest, Trigger};
//!
//! let mut hello = Handler::new("hello.ALB", "AlbTargetGroupRequest", "AlbTargetGroupResponse");
//! hello.triggers.push(Trigger::Schedule { expression: "rate(5 minutes)".into() });
//! let manifest = Manifest::new("0.1.0", "x86_64", vec![hello], vec![]);
//!
//! let read = Manifest::from_json(manifest.to_json().as_bytes())?;
//! assert_eq!(read, manifest);
//! # Ok::<(), lambda_fn_manifest::ReadError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The version of the manifest these types write.
pub const MANIFEST_VERSION: u32 = 1;

/// The versions [`Manifest::from_json`] reads.
pub const READS: &[u32] = &[1];

/// What a binary says about its registrations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The shape of this document: [`MANIFEST_VERSION`] when written by these types.
    pub manifest_version: u32,
    /// The version of the runtime that wrote it.
    pub lambda_fn: String,
    /// Lambda's name for the architecture the binary was built for: `x86_64` or `arm64`.
    pub architecture: String,
    /// Every handler, sorted by name.
    pub handlers: Vec<Handler>,
    /// Every `#[init]` function, sorted by the type it builds.
    pub inits: Vec<Init>,
}

impl Manifest {
    /// A manifest of the current version.
    pub fn new(lambda_fn: &str, architecture: &str, handlers: Vec<Handler>, inits: Vec<Init>) -> Manifest {
        Manifest {
            manifest_version: MANIFEST_VERSION,
            lambda_fn: lambda_fn.to_owned(),
            architecture: architecture.to_owned(),
            handlers,
            inits,
        }
    }

    /// Reads a manifest: first its version, refused unless it is one of [`READS`], then the rest.
    pub fn from_json(json: &[u8]) -> Result<Manifest, ReadError> {
        let document: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(json).map_err(ReadError::NotJson)?;
        let version = match document.get("manifestVersion") {
            None => return Err(ReadError::NoVersion),
            Some(version) => version.as_u64().ok_or(ReadError::NoVersion)?,
        };
        match u32::try_from(version) {
            Ok(version) if READS.contains(&version) => {}
            _ => return Err(ReadError::UnknownVersion(version)),
        }
        Manifest::deserialize(serde_json::Value::Object(document)).map_err(ReadError::Shape)
    }

    /// The manifest as indented JSON, as `bootstrap manifest` prints it.
    pub fn to_json(&self) -> String {
        // Plain structs, string keys and JSON values: serializing them cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// Why a manifest could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The document is not JSON, or not a JSON object.
    NotJson(serde_json::Error),
    /// It has no `manifestVersion` (or one that is not a number): it was not written by a lambda-rt binary.
    NoVersion,
    /// Its `manifestVersion` is not one this reader knows.
    UnknownVersion(u64),
    /// The version is known but the document does not have its shape.
    Shape(serde_json::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reads = READS.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
        match self {
            ReadError::NotJson(error) => write!(f, "the manifest is not a JSON object: {error}"),
            ReadError::NoVersion => f.write_str(
                "the manifest has no `manifestVersion`: it is not what a lambda-rt binary's `manifest` command prints",
            ),
            ReadError::UnknownVersion(version) => write!(
                f,
                "the manifest is version {version}, and this tool reads version {reads}: use the cargo-lambda-rt \
                 of the binary's lambda-rt release"
            ),
            ReadError::Shape(error) => write!(f, "the manifest (version {MANIFEST_VERSION}) is malformed: {error}"),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::NotJson(error) | ReadError::Shape(error) => Some(error),
            ReadError::NoVersion | ReadError::UnknownVersion(_) => None,
        }
    }
}

/// One handler: a `#[handler]` function, or a handler name with routes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Handler {
    /// The name `_HANDLER` selects it by.
    pub name: String,
    /// The event type as written in the source (the record type of a batch handler).
    pub event_type: String,
    /// The return type as written in the source.
    pub return_type: String,
    /// It answers in streaming mode.
    pub streaming: bool,
    /// A batch handler's settings; `None` for one that takes a whole event.
    pub batch: Option<Batch>,
    /// Its HTTP routes, sorted.
    pub routes: Vec<Route>,
    /// The API Gateway that serves the routes.
    pub api: Api,
    /// `memory`: MB.
    pub memory_size: Option<u32>,
    /// `timeout`: seconds.
    pub timeout: Option<u32>,
    /// `reserved_concurrency`.
    pub reserved_concurrency: Option<u32>,
    /// `architecture`: what the function must run on, when the annotation says.
    pub architecture: Option<String>,
    /// `env`: environment variables.
    pub environment: BTreeMap<String, String>,
    /// The events that invoke it.
    pub triggers: Vec<Trigger>,
    /// A durable workflow's settings; `None` for a function that is not one. Absent from manifests
    /// written before durable functions, which read as `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub durable: Option<Durable>,
    /// The handlers of the binary it calls (`calls = [...]`), by name: the template gives it each one's
    /// function name ([`function_variable`]) and the permission to invoke it. Absent when it calls none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<String>,
    /// The state types its extractors need built at start-up, sorted.
    pub state: Vec<String>,
    /// Where it is defined.
    pub source: Source,
}

impl Handler {
    /// A handler with these types and nothing else: no settings, triggers, routes or state.
    pub fn new(name: &str, event_type: &str, return_type: &str) -> Handler {
        Handler {
            name: name.to_owned(),
            event_type: event_type.to_owned(),
            return_type: return_type.to_owned(),
            streaming: false,
            batch: None,
            routes: Vec::new(),
            api: Api::Http,
            memory_size: None,
            timeout: None,
            reserved_concurrency: None,
            architecture: None,
            environment: BTreeMap::new(),
            triggers: Vec::new(),
            durable: None,
            calls: Vec::new(),
            state: Vec::new(),
            source: Source::default(),
        }
    }
}

/// The environment variable that names the Lambda function of handler `name` to the functions that call it:
/// `LAMBDA_RT_FUNCTION_` and the name upper-cased, every character but a letter or a digit as `_`.
///
/// ```
/// assert_eq!(lambda_fn_manifest::function_variable("orders.price"), "LAMBDA_RT_FUNCTION_ORDERS_PRICE");
/// ```
pub fn function_variable(name: &str) -> String {
    let mut variable = String::from("LAMBDA_RT_FUNCTION_");
    variable.extend(name.chars().map(|c| match c {
        'a'..='z' => c.to_ascii_uppercase(),
        'A'..='Z' | '0'..='9' => c,
        _ => '_',
    }));
    variable
}

/// A durable workflow's settings: the function's `DurableConfig`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Durable {
    /// `ExecutionTimeout`: seconds an execution may last, waits included.
    pub execution_timeout: u32,
    /// `RetentionPeriodInDays`: Lambda's default (14) when `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_period_in_days: Option<u32>,
}

/// A batch handler's settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Batch {
    /// It answers with `batchItemFailures`, so its event source mappings need
    /// `FunctionResponseTypes: [ReportBatchItemFailures]`. Always true.
    pub report_batch_item_failures: bool,
    /// Standard SQS records run at once, at most.
    pub concurrency: usize,
    /// Records are not started with less than this many milliseconds left.
    pub margin_ms: u64,
}

impl Default for Batch {
    fn default() -> Batch {
        Batch {
            report_batch_item_failures: true,
            concurrency: 1,
            margin_ms: 500,
        }
    }
}

/// One HTTP route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Route {
    /// `GET`, `POST`, ..., or `ANY`.
    pub method: String,
    /// The path template: `/todos/{id}`, `/files/{rest+}`.
    pub path: String,
}

/// The API Gateway that serves a handler's routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Api {
    /// An HTTP API (payload 2.0), unless the annotation says otherwise.
    #[default]
    Http,
    /// A REST API (payload 1.0): `api = "rest"`.
    Rest,
}

/// One event source of a handler, tagged by `type` in the JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", rename_all_fields = "camelCase")]
pub enum Trigger {
    /// An SQS queue: a logical id the template creates, or an ARN.
    Sqs {
        /// The logical id or ARN.
        queue: String,
        /// `BatchSize`.
        batch_size: Option<u32>,
        /// `MaximumBatchingWindowInSeconds`.
        window_seconds: Option<u32>,
    },
    /// An SNS topic: a logical id the template creates, or an ARN.
    Sns {
        /// The logical id or ARN.
        topic: String,
    },
    /// A Kinesis stream of the template (defined in its overrides).
    Kinesis {
        /// The stream's logical id.
        stream: String,
    },
    /// The stream of a DynamoDB table of the template (defined in its overrides).
    #[serde(rename = "dynamodb")]
    DynamoDb {
        /// The table's logical id.
        table: String,
    },
    /// Object-created events of a bucket the template creates.
    S3 {
        /// The bucket's logical id.
        bucket: String,
    },
    /// An EventBridge schedule.
    Schedule {
        /// `rate(...)` or `cron(...)`.
        expression: String,
    },
    /// An EventBridge rule.
    #[serde(rename = "eventbridge")]
    EventBridge {
        /// The event pattern.
        pattern: serde_json::Value,
        /// The event bus's name or ARN; the default bus when `None`.
        bus: Option<String>,
    },
    /// The target of a load balancer listener rule.
    Alb {
        /// The listener's logical id (in the overrides) or ARN.
        listener: String,
        /// The rule's path pattern.
        path: String,
        /// The rule's priority on its listener.
        priority: u32,
    },
    /// A function URL.
    Url {
        /// Whether the URL streams the response.
        invoke_mode: InvokeMode,
    },
}

/// How a function URL answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InvokeMode {
    /// The whole response at once.
    Buffered,
    /// The response streamed as the function writes it.
    ResponseStream,
}

/// One `#[init]` function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Init {
    /// The type of the state it builds, as written in the source.
    pub state_type: String,
    /// Where it is defined.
    pub source: Source,
}

/// Where a registration is defined.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Source {
    /// `file!()`.
    pub file: String,
    /// `line!()`.
    pub line: u32,
    /// `module_path!()`.
    pub module: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_function_variable_is_the_name_upper_cased_with_underscores() {
        assert_eq!(function_variable("orders.flow"), "LAMBDA_RT_FUNCTION_ORDERS_FLOW");
        assert_eq!(function_variable("api-v2/Users"), "LAMBDA_RT_FUNCTION_API_V2_USERS");
    }

    fn every_trigger() -> Handler {
        let mut handler = Handler::new("orders.sqs", "SqsRecord<Order>", "()");
        handler.batch = Some(Batch::default());
        handler.triggers = vec![
            Trigger::Sqs {
                queue: "Orders".into(),
                batch_size: Some(10),
                window_seconds: None,
            },
            Trigger::Sns { topic: "T".into() },
            Trigger::Kinesis { stream: "S".into() },
            Trigger::DynamoDb { table: "D".into() },
            Trigger::S3 { bucket: "B".into() },
            Trigger::Schedule {
                expression: "rate(1 day)".into(),
            },
            Trigger::EventBridge {
                pattern: serde_json::json!({"source": ["orders"]}),
                bus: None,
            },
            Trigger::Alb {
                listener: "L".into(),
                path: "/x*".into(),
                priority: 3,
            },
            Trigger::Url {
                invoke_mode: InvokeMode::ResponseStream,
            },
        ];
        handler
    }

    #[test]
    fn every_trigger_round_trips_with_its_json_names() {
        let manifest = Manifest::new("0.1.0", "arm64", vec![every_trigger()], vec![]);
        let json: serde_json::Value = serde_json::from_str(&manifest.to_json()).unwrap();
        let triggers = &json["handlers"][0]["triggers"];
        let types: Vec<_> = triggers
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["type"].as_str().unwrap())
            .collect();
        assert_eq!(
            types,
            [
                "sqs",
                "sns",
                "kinesis",
                "dynamodb",
                "s3",
                "schedule",
                "eventbridge",
                "alb",
                "url"
            ]
        );
        assert_eq!(triggers[0]["batchSize"], 10);
        assert_eq!(triggers[8]["invokeMode"], "RESPONSE_STREAM");
        assert_eq!(json["handlers"][0]["batch"]["reportBatchItemFailures"], true);
        assert_eq!(json["manifestVersion"], MANIFEST_VERSION);
        assert_eq!(Manifest::from_json(manifest.to_json().as_bytes()).unwrap(), manifest);
    }

    #[test]
    fn a_version_it_does_not_read_is_refused_saying_which_it_reads() {
        let mut manifest = Manifest::new("9.0.0", "x86_64", vec![], vec![]);
        manifest.manifest_version = 2;
        let error = Manifest::from_json(manifest.to_json().as_bytes()).unwrap_err();
        assert!(matches!(error, ReadError::UnknownVersion(2)), "{error:?}");
        assert!(
            error.to_string().contains("version 2, and this tool reads version 1"),
            "{error}"
        );

        let error = Manifest::from_json(br#"{"handlers": []}"#).unwrap_err();
        assert!(matches!(error, ReadError::NoVersion), "{error:?}");
        let error = Manifest::from_json(b"[1]").unwrap_err();
        assert!(matches!(error, ReadError::NotJson(_)), "{error:?}");
    }

    #[test]
    fn an_unknown_trigger_type_is_a_shape_error_naming_it() {
        let mut json: serde_json::Value =
            serde_json::from_str(&Manifest::new("0.1.0", "x86_64", vec![every_trigger()], vec![]).to_json()).unwrap();
        json["handlers"][0]["triggers"][0]["type"] = "mq".into();
        let error = Manifest::from_json(json.to_string().as_bytes()).unwrap_err();
        assert!(matches!(error, ReadError::Shape(_)), "{error:?}");
        assert!(error.to_string().contains("unknown variant `mq`"), "{error}");
    }
}
