//! [`AwsError`], what a call to an AWS API can end in, and how a service's error answer is read
//! (its code from the `x-amzn-errortype` header or the JSON body, its message from the body).

use std::fmt;

use http::HeaderMap;

/// Why a call to an AWS API failed: the environment (credentials, region, endpoint), the request
/// itself, the network, or the service's own error answer.
///
/// [`is_retryable`](Self::is_retryable) tells whether trying the same call later may succeed (the
/// client has already retried as long as the deadline allowed).
#[derive(Debug)]
pub(crate) enum AwsError {
    /// A credential variable is missing, empty or not usable in an HTTP header.
    Credentials {
        /// The environment variable, e.g. `AWS_ACCESS_KEY_ID`.
        variable: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// Neither `AWS_REGION` nor `AWS_DEFAULT_REGION` holds a region name.
    Region {
        /// What is wrong: unset, or the value that is not a region name.
        problem: String,
    },
    /// The endpoint URL (from `source`) is not usable, or its TLS setup failed.
    Endpoint {
        /// Where the URL came from: an environment variable's name, or `default`.
        source: String,
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// The request could not be built or signed (a path that is not a valid URI, for instance): a
    /// bug of the caller, never retried.
    Request {
        /// What is wrong with it.
        problem: String,
    },
    /// No answer: the connection failed, broke or timed out, on every attempt the deadline allowed.
    Transport {
        /// The last attempt's error.
        message: String,
        /// Whether the last attempt timed out (at the deadline, or connecting).
        timed_out: bool,
        /// How many attempts were made (0 when the deadline had already passed).
        attempts: u32,
    },
    /// The service answered with an error status.
    Service {
        /// The HTTP status.
        status: u16,
        /// The error code, e.g. `InvalidParameterValueException` (`Unknown` if the answer had none).
        code: String,
        /// The service's message (the status' reason when the answer had none).
        message: String,
        /// Whether the error is transient (throttling, a 5xx): the same call may succeed later.
        retryable: bool,
        /// The `x-amzn-requestid` of the answer, for AWS support.
        request_id: Option<String>,
        /// How many attempts were made.
        attempts: u32,
    },
}

impl AwsError {
    /// Whether the same call may succeed later: transport failures and transient service errors
    /// (throttling, 5xx). The environment's and the request's own errors, and a service error such as
    /// a validation error, are permanent.
    pub(crate) fn is_retryable(&self) -> bool {
        match self {
            AwsError::Transport { .. } => true,
            AwsError::Service { retryable, .. } => *retryable,
            AwsError::Credentials { .. }
            | AwsError::Region { .. }
            | AwsError::Endpoint { .. }
            | AwsError::Request { .. } => false,
        }
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AwsError::Credentials { variable, problem } => write!(
                f,
                "AWS credentials: {variable} {problem} (on Lambda the execution role sets \
                 AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; locally, export them)"
            ),
            AwsError::Region { problem } => write!(f, "AWS region: {problem}"),
            AwsError::Endpoint { source, url, problem } => {
                write!(f, "AWS endpoint {url:?} (from {source}): {problem}")
            }
            AwsError::Request { problem } => write!(f, "AWS request: {problem}"),
            AwsError::Transport {
                message,
                timed_out,
                attempts,
            } => {
                let what = if *timed_out { "timed out" } else { "failed" };
                write!(f, "AWS call {what} after {attempts} attempt(s): {message}")
            }
            AwsError::Service {
                status,
                code,
                message,
                request_id,
                attempts,
                ..
            } => {
                write!(f, "AWS service error {code} (HTTP {status}")?;
                if let Some(id) = request_id {
                    write!(f, ", request id {id}")?;
                }
                write!(f, ", after {attempts} attempt(s)): {message}")
            }
        }
    }
}

impl std::error::Error for AwsError {}

/// Error codes that mean "slow down" or "try again" even under a 4xx status (the SDKs' standard retry
/// classifier's throttling and transient codes).
const RETRYABLE_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "RequestTimeout",
    "RequestTimeoutException",
    "InternalError",
];

/// Whether an HTTP status is transient: 429 and the 5xx statuses a retry may get past.
pub(crate) fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// The [`AwsError::Service`] for an error answer: its code from the `x-amzn-errortype` header (what
/// follows a `:` dropped), else from the JSON body's `__type` (a `namespace#` prefix dropped), `code`
/// or `Type`; its message from the body's `message` or `Message`.
pub(crate) fn service_error(status: u16, headers: &HeaderMap, body: &[u8], attempts: u32) -> AwsError {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |names: &[&str]| -> Option<String> {
        let object = json.as_ref()?.as_object()?;
        names
            .iter()
            .find_map(|name| object.get(*name)?.as_str())
            .map(str::to_owned)
    };
    let header = headers
        .get("x-amzn-errortype")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let code = header
        .or_else(|| field(&["__type", "code", "Type"]))
        .map(|raw| sanitize_code(&raw).to_owned())
        .filter(|code| !code.is_empty())
        .unwrap_or_else(|| "Unknown".to_owned());
    let message = field(&["message", "Message"]).unwrap_or_else(|| fallback_message(status, body));
    let retryable = retryable_status(status) || RETRYABLE_CODES.contains(&code.as_str());
    let request_id = headers
        .get("x-amzn-requestid")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    AwsError::Service {
        status,
        code,
        message,
        retryable,
        request_id,
        attempts,
    }
}

/// The bare error code: `a.b#Code:http://...` -> `Code`.
fn sanitize_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// A message for an answer without one: the start of a non-JSON body, else the status' reason.
fn fallback_message(status: u16, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let text = text.trim();
    if !text.is_empty() && !text.starts_with('{') {
        return text.chars().take(256).collect();
    }
    let reason = http::StatusCode::from_u16(status)
        .ok()
        .and_then(|status| status.canonical_reason())
        .unwrap_or("no reason");
    format!("HTTP {status} {reason}, no error message in the answer")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(status: u16, headers: &[(&'static str, &str)], body: &str) -> AwsError {
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            if let Ok(value) = value.parse() {
                map.insert(*name, value);
            }
        }
        service_error(status, &map, body.as_bytes(), 1)
    }

    fn code_message_retryable(error: &AwsError) -> (&str, &str, bool) {
        match error {
            AwsError::Service {
                code,
                message,
                retryable,
                ..
            } => (code, message, *retryable),
            other => panic!("not a service error: {other:?}"),
        }
    }

    #[test]
    fn the_header_wins_and_loses_what_follows_a_colon() {
        let error = parse(
            400,
            &[(
                "x-amzn-errortype",
                "ResourceNotFoundException:http://internal.amazon.com/coral/",
            )],
            r#"{"__type":"Other","message":"Function not found"}"#,
        );
        assert_eq!(
            code_message_retryable(&error),
            ("ResourceNotFoundException", "Function not found", false)
        );
    }

    #[test]
    fn the_body_type_loses_its_namespace() {
        let error = parse(
            404,
            &[],
            r#"{"__type":"com.amazonaws.lambda#ResourceNotFoundException","Message":"nope"}"#,
        );
        assert_eq!(
            code_message_retryable(&error),
            ("ResourceNotFoundException", "nope", false)
        );
    }

    #[test]
    fn code_and_type_fields_are_read_too() {
        let error = parse(400, &[], r#"{"code":"ValidationException","message":"bad"}"#);
        assert_eq!(code_message_retryable(&error), ("ValidationException", "bad", false));
        let error = parse(
            400,
            &[],
            r#"{"Type":"InvalidParameterValueException","message":"Invalid checkpoint token"}"#,
        );
        assert_eq!(
            code_message_retryable(&error),
            ("InvalidParameterValueException", "Invalid checkpoint token", false)
        );
    }

    #[test]
    fn transient_statuses_and_throttling_codes_are_retryable() {
        for status in [429, 500, 502, 503, 504] {
            assert!(parse(status, &[], "").is_retryable(), "{status}");
        }
        for status in [400, 403, 404, 409, 413, 501] {
            assert!(!parse(status, &[], "{}").is_retryable(), "{status}");
        }
        let throttled = parse(
            400,
            &[],
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        );
        assert!(throttled.is_retryable());
    }

    #[test]
    fn an_answer_without_code_or_message_still_says_something() {
        let error = parse(503, &[], "");
        let (code, message, _) = code_message_retryable(&error);
        assert_eq!(code, "Unknown");
        assert_eq!(message, "HTTP 503 Service Unavailable, no error message in the answer");
        let error = parse(502, &[], "<html>Bad Gateway</html>");
        assert_eq!(code_message_retryable(&error).1, "<html>Bad Gateway</html>");
    }

    #[test]
    fn messages_name_what_to_fix() {
        let error = AwsError::Credentials {
            variable: "AWS_SECRET_ACCESS_KEY",
            problem: "is not set",
        };
        assert!(error.to_string().contains("AWS_SECRET_ACCESS_KEY is not set"));
        let error = parse(
            400,
            &[("x-amzn-requestid", "req-1")],
            r#"{"Type":"InvalidParameterValueException","message":"Invalid checkpoint token"}"#,
        );
        assert_eq!(
            error.to_string(),
            "AWS service error InvalidParameterValueException (HTTP 400, request id req-1, after 1 \
             attempt(s)): Invalid checkpoint token"
        );
    }
}
