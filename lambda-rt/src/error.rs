//! The error a handler returns and the runtime reports to Lambda.
//!
//! Lambda reports every failed invocation as `{"errorMessage", "errorType", "stackTrace"}`. [`Error`]
//! carries the first two (and the chain of causes, reported as the trace), and converts from any
//! `std::error::Error`, so `?` works in handlers.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

/// An error reported to Lambda as `{"errorType": ..., "errorMessage": ...}`.
///
/// Any `std::error::Error + Send + Sync + 'static` converts into it with `?`; its `errorType` is the
/// error's type name without its module path (`ParseIntError`, `CustomFailure`), its message the error's
/// `Display`. To choose the `errorType` yourself use [`Error::new`] or [`Error::with_type`]:
///
/// ```
/// use lambda_fn::Error;
///
/// let parse: Error = "x".parse::<u32>().unwrap_err().into();
/// assert_eq!(parse.error_type(), "ParseIntError");
///
/// let quota = Error::new("QuotaExceeded", "customer 42 is over quota");
/// assert_eq!(quota.error_type(), "QuotaExceeded");
/// assert_eq!(quota.to_string(), "customer 42 is over quota");
/// ```
///
/// A type of yours that is not a `std::error::Error` can pick its own `errorType` by converting:
///
/// ```
/// struct Throttled { retry_after_s: u32 }
///
/// impl From<Throttled> for lambda_fn::Error {
///     fn from(t: Throttled) -> Self {
///         lambda_fn::Error::new("Throttled", format!("retry after {} s", t.retry_after_s))
///     }
/// }
///
/// let e: lambda_fn::Error = Throttled { retry_after_s: 3 }.into();
/// assert_eq!(e.error_type(), "Throttled");
/// ```
///
/// `Error` deliberately does not implement `std::error::Error` itself (like `anyhow::Error`), which is
/// what lets every error type convert into it.
pub struct Error {
    error_type: Cow<'static, str>,
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
    /// Lines reported first in `stackTrace` (e.g. where a panic happened).
    trace: Vec<String>,
}

impl Error {
    /// An error with the given `errorType` and message.
    pub fn new(error_type: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Error {
            error_type: error_type.into(),
            message: message.into(),
            source: None,
            trace: Vec::new(),
        }
    }

    /// The error of an extractor ([`FromInvocation`](crate::FromInvocation)) that cannot produce its
    /// value: errorType `Runtime.ExtractError`, and `message` saying what is missing.
    ///
    /// ```
    /// let error = lambda_fn::Error::extraction("no `X-Api-Key` header");
    /// assert_eq!(error.error_type(), "Runtime.ExtractError");
    /// ```
    pub fn extraction(message: impl Into<String>) -> Self {
        Error::new(kind::EXTRACT, message)
    }

    /// Wraps `error`, reporting it under `error_type` instead of its type name.
    pub fn with_type(error_type: impl Into<Cow<'static, str>>, error: impl StdError + Send + Sync + 'static) -> Self {
        Error {
            error_type: error_type.into(),
            message: error.to_string(),
            source: Some(Box::new(error)),
            trace: Vec::new(),
        }
    }

    /// Wraps an already boxed error (as returned by many libraries), reported as `errorType`
    /// `Error` unless you use [`Error::with_type`] on the concrete error instead.
    pub fn from_boxed(error: Box<dyn StdError + Send + Sync + 'static>) -> Self {
        Error {
            error_type: Cow::Borrowed("Error"),
            message: error.to_string(),
            source: Some(error),
            trace: Vec::new(),
        }
    }

    /// A type-erased error with its chain (`anyhow::Error`, `eyre::Report`, a boxed error, once boxed):
    /// errorType `Error`, the message every cause joined with `: ` (outermost first), the causes in
    /// `stackTrace` too.
    fn from_chain(error: Box<dyn StdError + Send + Sync + 'static>) -> Self {
        Error {
            error_type: Cow::Borrowed("Error"),
            message: chain_message(&*error),
            source: Some(error),
            trace: Vec::new(),
        }
    }

    /// The `errorType` Lambda will report.
    pub fn error_type(&self) -> &str {
        &self.error_type
    }

    /// The `errorMessage` Lambda will report.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The wrapped error, when this was made from one.
    pub fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source.as_deref().map(|e| e as &(dyn StdError + 'static))
    }

    /// Adds lines reported before the causes in `stackTrace`.
    pub(crate) fn with_trace(mut self, trace: Vec<String>) -> Self {
        self.trace = trace;
        self
    }

    /// The `stackTrace` lines: the trace set by the runtime, then the causes of the wrapped error,
    /// outermost first.
    pub(crate) fn causes(&self) -> Vec<String> {
        let mut causes = self.trace.clone();
        let mut next = self.source().and_then(StdError::source);
        while let Some(cause) = next {
            causes.push(format!("caused by: {cause}"));
            next = cause.source();
        }
        causes
    }

    /// The error a function's answer carries (`{"errorType", "errorMessage"}`, what [`to_json`](Self::to_json)
    /// writes): an Invoke's with `X-Amz-Function-Error`, an error post the emulator took. A body that is
    /// not that JSON is the message, of type `default_type`.
    #[cfg(feature = "invoke")]
    pub(crate) fn from_posted(body: &[u8], default_type: &str) -> Self {
        let posted: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let message = posted["errorMessage"]
            .as_str()
            .map_or_else(|| String::from_utf8_lossy(body).into_owned(), str::to_owned);
        let error_type = posted["errorType"].as_str().unwrap_or(default_type);
        Error::new(error_type.to_owned(), message)
    }

    /// The JSON body Lambda expects on `/error` and `/init/error`.
    pub(crate) fn to_json(&self) -> Vec<u8> {
        #[derive(serde::Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Body<'a> {
            error_message: &'a str,
            error_type: &'a str,
            stack_trace: Vec<String>,
        }
        // An error's text comes from anywhere (a message may quote a 6 MB event); the API refuses
        // large bodies, so the message and the causes are cut to sizes it takes.
        let mut stack_trace = self.causes();
        stack_trace.truncate(MAX_CAUSES);
        for cause in &mut stack_trace {
            truncate_at_char(cause, MAX_CAUSE_BYTES);
        }
        let mut message = Cow::Borrowed(self.message.as_str());
        if message.len() > MAX_MESSAGE_BYTES {
            let mut cut = self.message.clone();
            truncate_at_char(&mut cut, MAX_MESSAGE_BYTES);
            cut.push_str(" [truncated]");
            message = Cow::Owned(cut);
        }
        let body = Body {
            error_message: &message,
            error_type: &self.error_type,
            stack_trace,
        };
        // Serializing two strings and a list of strings cannot fail; fall back to a fixed body anyway.
        serde_json::to_vec(&body).unwrap_or_else(|_| {
            br#"{"errorMessage":"error could not be encoded","errorType":"Runtime.MarshalError","stackTrace":[]}"#
                .to_vec()
        })
    }
}

/// Most bytes of an error message sent to Lambda; longer ones are cut (the error posts stay far below
/// the Runtime API's size limit whatever the message quotes).
const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Most causes sent in `stackTrace`, and most bytes of each.
const MAX_CAUSES: usize = 32;
const MAX_CAUSE_BYTES: usize = 4 * 1024;

/// Cuts `text` to at most `max` bytes, at a character boundary.
fn truncate_at_char(text: &mut String, max: usize) {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
}

impl<E: StdError + Send + Sync + 'static> From<E> for Error {
    fn from(error: E) -> Self {
        Error {
            error_type: Cow::Borrowed(short_type_name::<E>()),
            message: error.to_string(),
            source: Some(Box::new(error)),
            trace: Vec::new(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error_type, self.message)?;
        for cause in self.causes() {
            write!(f, "\n  {cause}")?;
        }
        Ok(())
    }
}

/// `Result` with [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `my_crate::errors::NotFound<String>` -> `NotFound`.
fn short_type_name<T: ?Sized>() -> &'static str {
    let full = std::any::type_name::<T>();
    let without_generics = full.split('<').next().unwrap_or(full);
    without_generics.rsplit("::").next().unwrap_or(without_generics)
}

/// `error`'s message, then each of its causes, joined with `: ` (outermost first).
pub(crate) fn chain_message(error: &(dyn StdError + 'static)) -> String {
    let mut message = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        next = cause.source();
    }
    message
}

/// How a handler's error type becomes an [`Error`], picked where the macro expands the handler, with the
/// type concrete (method resolution tries `&&Failure`, then `&Failure`, then `Failure`):
///
/// 1. `Into<Error>`: every `std::error::Error` (errorType its type name), `Error` itself, a type with
///    `From<T> for Error` (its chosen errorType);
/// 2. else `Into<Box<dyn std::error::Error + Send + Sync>>`: `anyhow::Error`, `eyre::Report`, the box
///    itself, `String`: errorType `Error` (the concrete type is erased in them), the message the whole
///    cause chain;
/// 3. else a compile error on the handler's error type saying what converts.
pub mod failure {
    use std::cell::Cell;
    use std::error::Error as StdError;

    use super::{Error, kind};

    /// A handler's error on its way to an [`Error`] (taken out once, by whichever conversion applies).
    pub struct Failure<E>(Cell<Option<E>>);

    impl<E> Failure<E> {
        /// Wraps the error of a handler's result.
        pub fn new(error: E) -> Self {
            Failure(Cell::new(Some(error)))
        }

        fn take(&self, convert: impl FnOnce(E) -> Error) -> Error {
            match self.0.take() {
                Some(error) => convert(error),
                None => Error::new(kind::UNKNOWN, "the handler's error was converted twice"),
            }
        }
    }

    /// Conversion 1: `Into<Error>`.
    pub trait FailureViaInto {
        /// The [`Error`] reported to Lambda.
        fn into_lambda_error(self) -> Error;
    }

    impl<E: Into<Error>> FailureViaInto for &&Failure<E> {
        fn into_lambda_error(self) -> Error {
            self.take(Into::into)
        }
    }

    /// Conversion 2: through `Box<dyn std::error::Error + Send + Sync>`.
    pub trait FailureViaBox {
        /// The [`Error`] reported to Lambda.
        fn into_lambda_error(self) -> Error;
    }

    impl<E: Into<Box<dyn StdError + Send + Sync + 'static>>> FailureViaBox for &Failure<E> {
        fn into_lambda_error(self) -> Error {
            self.take(|error| Error::from_chain(error.into()))
        }
    }

    /// What no error type of a handler implements: the compile error of the last resort.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` cannot be the error of a Lambda handler",
        label = "converts into neither `lambda_fn::Error` nor `Box<dyn std::error::Error + Send + Sync>`",
        note = "implement `std::error::Error` for it (errorType: its type name), or `From<{Self}> for lambda_fn::Error` \
                to choose its errorType; `anyhow::Error`, `eyre::Report` and `Box<dyn Error + Send + Sync>` convert \
                as they are"
    )]
    pub trait HandlerError {}

    /// Conversion 3: none; a compile error naming the error type.
    pub trait FailureElse {
        /// The error type that did not convert.
        type Unconverted;
        /// Never compiles: `Unconverted` is no `HandlerError`.
        fn into_lambda_error(self) -> Error
        where
            Self::Unconverted: HandlerError;
    }

    impl<E> FailureElse for Failure<E> {
        type Unconverted = E;
        fn into_lambda_error(self) -> Error
        where
            E: HandlerError,
        {
            Error::new(kind::UNKNOWN, "an error type that converts into nothing")
        }
    }
}

/// Every errorType the runtime itself reports, in one place (docs/design.md, "Errors"). User errors
/// carry their own type; these are what the runtime says when it, not the handler, has the error.
pub(crate) mod kind {
    /// `_HANDLER` names no registered handler (init error).
    pub const HANDLER_NOT_FOUND: &str = "Runtime.HandlerNotFound";
    /// Two registrations share a handler name (init error).
    pub const DUPLICATE_HANDLER: &str = "Runtime.DuplicateHandler";
    /// An `#[init]` function failed (init error).
    pub const INIT_ERROR: &str = "Runtime.InitError";
    /// `AWS_LAMBDA_RUNTIME_API` is not an address the runtime can use (logged; nowhere to post it).
    pub const INVALID_ENDPOINT: &str = "Runtime.InvalidEndpoint";
    /// The event does not fit the handler's type.
    pub const UNMARSHAL: &str = "Runtime.UnmarshalError";
    /// The `next` answer's head came whole but its event broke off.
    pub const INCOMPLETE_EVENT: &str = "Runtime.IncompleteEvent";
    /// A parameter of the handler could not be extracted from the invocation.
    pub const EXTRACT: &str = "Runtime.ExtractError";
    /// The handler panicked.
    pub const PANIC: &str = "Runtime.Panic";
    /// The handler's result does not serialize (or a streaming response cannot be sent as HTTP).
    pub const MARSHAL: &str = "Runtime.MarshalError";
    /// The Runtime API answered the response post with 413: Lambda's own name for this error.
    pub const RESPONSE_TOO_LARGE: &str = "Function.ResponseSizeTooLarge";
    /// The Runtime API refused the response post with another 4xx.
    pub const RESPONSE_REJECTED: &str = "Runtime.ResponseRejected";
    /// The connection broke while a streaming response was being sent.
    pub const STREAM_BROKEN: &str = "Runtime.ResponseStreamBroken";
    /// The handler was still running a grace period after its deadline and was cancelled (on by default
    /// under Managed Instances, where Lambda lets it run).
    pub const OVERRUN: &str = "Runtime.HandlerOverrun";
    /// The execution environment is shutting down and the handler could not finish within the budget: it
    /// was cancelled, so that its caller learns at once.
    pub const SHUTDOWN: &str = "Runtime.Shutdown";
    /// Sent in the error-type header instead of a user's type that cannot be a header value.
    pub const UNKNOWN: &str = "Runtime.Unknown";
    /// A tower service's streamed response body failed after it began (sent in the trailers).
    #[cfg(feature = "tower")]
    pub const SERVICE_BODY: &str = "Runtime.ServiceBodyError";
    /// A typed call of another handler (`call::invoke`) could not be made: no credentials, no answer,
    /// or one Lambda refused.
    #[cfg(feature = "invoke")]
    pub const CALL_FAILED: &str = "Call.Failed";
    /// A durable execution's checkpoint or history call failed in a way another invocation may not (the
    /// invocation fails, so that Lambda invokes the function again).
    #[cfg(feature = "durable")]
    pub const DURABLE_CHECKPOINT: &str = "Durable.CheckpointUnavailable";
    /// A durable workflow's result or a step's result cannot be written as JSON.
    #[cfg(feature = "durable")]
    pub const DURABLE_SERIALIZATION: &str = "Durable.SerializationError";
    /// (Emulator) the runtime process exited or was restarted while an invocation was in flight.
    #[cfg(feature = "local")]
    pub const EXIT_ERROR: &str = "Runtime.ExitError";
    /// (Emulator) the invocation ran past its timeout, Lambda's own name for it.
    #[cfg(feature = "local")]
    pub const TIMED_OUT: &str = "Sandbox.Timedout";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(std::num::ParseIntError);
    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("bad config")
        }
    }
    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn type_name_is_short_and_without_generics() {
        assert_eq!(short_type_name::<std::num::ParseIntError>(), "ParseIntError");
        assert_eq!(short_type_name::<Vec<String>>(), "Vec");
        assert_eq!(short_type_name::<u8>(), "u8");
    }

    #[test]
    fn json_body_has_lambda_shape_and_cause_chain() {
        let inner = "x".parse::<u8>().unwrap_err();
        let err: Error = Outer(inner).into();
        let body: serde_json::Value = serde_json::from_slice(&err.to_json()).unwrap();
        assert_eq!(body["errorType"], "Outer");
        assert_eq!(body["errorMessage"], "bad config");
        assert_eq!(body["stackTrace"][0], "caused by: invalid digit found in string");
    }

    #[test]
    fn a_huge_message_is_cut_at_a_character_to_a_size_lambda_takes() {
        let err = Error::new("Big", "é".repeat(100_000));
        let body: serde_json::Value = serde_json::from_slice(&err.to_json()).unwrap();
        let message = body["errorMessage"].as_str().unwrap();
        assert!(message.len() <= MAX_MESSAGE_BYTES + 20, "{}", message.len());
        assert!(message.ends_with(" [truncated]"));
        assert_eq!(err.message().len(), 200_000, "the error itself keeps its message");
    }

    #[test]
    fn custom_type_is_reported_verbatim() {
        let err = Error::with_type("Config", Outer("1x".parse::<u8>().unwrap_err()));
        assert_eq!(err.error_type(), "Config");
        assert_eq!(
            format!("{err:?}"),
            "Config: bad config\n  caused by: invalid digit found in string"
        );
    }
}
