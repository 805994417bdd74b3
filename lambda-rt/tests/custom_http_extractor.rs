//! HTTP extractors a user writes run in the production loop: driven through the in-process emulator's plain
//! HTTP front (REST API events), a `FromRequestParts` one reads a header, `#[init]` state and the event's own
//! path parameters, and its rejection is the HTTP answer, without calling the handler; a `FromRequest` one,
//! last, gets the body.
#![allow(clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};

use lambda_fn::http::{Body, FromRequest, FromRequestParts, HttpEvent, Rejection, RequestParts, Source, StatusCode};
use lambda_fn::{Error, StateKey};
use serde_json::Value;
use support::post_with;

mod support;

/// The keys this function accepts, built once per cold start.
struct Keys(Vec<&'static str>);

#[lambda_fn::init]
fn keys() -> Keys {
    Keys(vec!["k-1", "k-2"])
}

/// The caller's API key: present in `x-api-key` and one of [`Keys`], or a 401.
struct ApiKey(String);

impl FromRequestParts for ApiKey {
    type Rejection = Rejection;

    fn from_request_parts(parts: &mut RequestParts) -> Result<Self, Rejection> {
        let keys = parts.invocation().state::<Keys>().map_or(&[][..], |k| &k.0[..]);
        let key = parts.headers().get("x-api-key").and_then(|v| v.to_str().ok());
        match key {
            Some(key) if keys.contains(&key) => Ok(ApiKey(key.to_owned())),
            Some(_) => Err(Rejection::new("x-api-key", "unknown key").with_status(StatusCode::UNAUTHORIZED)),
            None => Err(Rejection::new("x-api-key", "the header is missing").with_status(StatusCode::UNAUTHORIZED)),
        }
    }

    fn state_key() -> Option<StateKey> {
        Some(StateKey::of::<Keys>())
    }
}

/// The body, shouted: a body extractor of the user's, so the handler's last parameter.
struct Shouted(String);

impl FromRequest for Shouted {
    type Rejection = Rejection;

    fn from_request(parts: &mut RequestParts, body: Body) -> Result<Self, Rejection> {
        let text = std::str::from_utf8(body.as_bytes()).map_err(|_| Rejection::new("body", "not text"))?;
        Ok(Shouted(format!("{} {}", parts.method(), text.to_uppercase())))
    }
}

static CALLED: AtomicUsize = AtomicUsize::new(0);

#[lambda_fn::handler("keys.api", route = "POST /me")]
async fn me(ApiKey(key): ApiKey, event: HttpEvent, Shouted(body): Shouted) -> Result<String, Error> {
    CALLED.fetch_add(1, Ordering::SeqCst);
    Ok(format!(
        "{key} via {} ({:?}): {body}",
        event.source(),
        event.path_parameters().get("proxy")
    ))
}

/// POSTs `/me` with `headers` to the emulator's plain HTTP front; the status and the body.
fn call(addr: std::net::SocketAddr, headers: &[(&str, &str)]) -> (u16, String) {
    let (status, _, body) = post_with(addr, "/me", headers, "hello");
    (status, body)
}

#[test]
fn a_user_extractor_reads_headers_and_state_and_rejects_with_its_status() {
    let emulator = lambda_fn::emulator::Emulator::builder()
        .http("keys.api", Source::ApiGatewayRest)
        .start()
        .expect("the emulator starts");
    let (status, body) = call(emulator.addr(), &[("X-Api-Key", "k-2")]);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, r#"k-2 via apigw-rest (Some("me")): POST HELLO"#);

    for (headers, reason) in [
        (&[][..], "the header is missing"),
        (&[("X-Api-Key", "nope")][..], "unknown key"),
    ] {
        let (status, body) = call(emulator.addr(), headers);
        assert_eq!(status, 401, "{body}");
        let body: Value = serde_json::from_str(&body).expect("a JSON rejection");
        assert_eq!(
            (body["parameter"].as_str(), body["message"].as_str()),
            (Some("x-api-key"), Some(reason))
        );
    }
    assert_eq!(
        CALLED.load(Ordering::SeqCst),
        1,
        "a rejected request does not call the handler"
    );
}
