//! An extractor a user writes (`FromInvocation`) runs in the production loop: driven through the
//! in-process emulator, it reads the context and `#[init]` state, and its error is the invocation's
//! error post, without calling the handler.
#![allow(clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};

use lambda_fn::{Error, FromInvocation, Invocation, StateKey};
use serde_json::{Value, json};
use support::post;

mod support;

/// The invoked function's ARN, from the context.
struct CallerArn(String);

impl FromInvocation for CallerArn {
    fn from_invocation(invocation: &mut Invocation) -> Result<Self, Error> {
        Ok(CallerArn(invocation.context().invoked_function_arn.clone()))
    }
}

/// Settings built once per cold start.
struct Settings {
    greeting: String,
}

#[lambda_fn::init]
async fn settings() -> Result<Settings, Error> {
    Ok(Settings {
        greeting: "hello".to_owned(),
    })
}

/// A per-invocation view of the settings, numbered.
struct Greeting(&'static str, usize);

static GREETINGS: AtomicUsize = AtomicUsize::new(0);

impl FromInvocation for Greeting {
    fn from_invocation(invocation: &mut Invocation) -> Result<Self, Error> {
        let settings = invocation
            .state::<Settings>()
            .ok_or_else(|| Error::extraction("no Settings"))?;
        Ok(Greeting(&settings.greeting, GREETINGS.fetch_add(1, Ordering::SeqCst)))
    }

    fn state_key() -> Option<StateKey> {
        Some(StateKey::of::<Settings>())
    }
}

/// Refuses every invocation.
struct Refuse;

static CALLED: AtomicUsize = AtomicUsize::new(0);

impl FromInvocation for Refuse {
    fn from_invocation(invocation: &mut Invocation) -> Result<Self, Error> {
        Err(Error::extraction(format!(
            "refusing {}",
            invocation.context().request_id
        )))
    }
}

#[lambda_fn::handler("extract.ok")]
async fn greet(event: Value, caller: CallerArn, greeting: Greeting, ctx: lambda_fn::Context) -> Value {
    json!({
        "greeting": format!("{} {}", greeting.0, event["name"].as_str().unwrap_or("?")),
        "n": greeting.1,
        "arn": caller.0,
        "sameArn": caller.0 == ctx.invoked_function_arn,
    })
}

#[lambda_fn::handler("extract.refuse")]
async fn refused(_event: Value, _refuse: Refuse) -> Value {
    CALLED.fetch_add(1, Ordering::SeqCst);
    json!("the handler ran")
}

#[test]
fn user_extractors_read_context_and_state_and_their_errors_are_error_posts() {
    let emulator = lambda_fn::emulator::Emulator::builder()
        .start()
        .expect("the emulator starts");

    for n in 0..2 {
        let (status, head, body) = post(
            emulator.addr(),
            "/2015-03-31/functions/extract.ok/invocations",
            r#"{"name": "ana"}"#,
        );
        assert_eq!(status, 200);
        assert!(!head.contains("x-amz-function-error"), "{head}");
        let answer: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(answer["greeting"], "hello ana", "{answer}");
        assert_eq!(answer["n"], n, "the extractor runs once per invocation: {answer}");
        assert!(
            answer["arn"].as_str().is_some_and(|a| a.starts_with("arn:aws:lambda:")),
            "{answer}"
        );
        assert_eq!(answer["sameArn"], true, "{answer}");
    }

    let (status, head, body) = post(
        emulator.addr(),
        "/2015-03-31/functions/extract.refuse/invocations",
        "{}",
    );
    assert_eq!(status, 200);
    assert!(head.contains("x-amz-function-error: unhandled"), "{head}");
    let error: Value = serde_json::from_str(&body).expect("an error body");
    assert_eq!(error["errorType"], "Runtime.ExtractError", "{error}");
    assert!(
        error["errorMessage"]
            .as_str()
            .is_some_and(|m| m.starts_with("refusing ")),
        "{error}"
    );
    assert_eq!(CALLED.load(Ordering::SeqCst), 0, "the handler is not called");
}
