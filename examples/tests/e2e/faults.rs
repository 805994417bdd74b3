//! The Runtime API's faults and oddities, injected on raw sockets (`support::raw_api`): whatever the API
//! or a proxy in front of it does, every invocation whose request id the runtime was given ends in
//! exactly one accepted post, and no post goes to an id the API never gave.
//!
//! One test per case the runtime once lost an invocation on (transient `next` statuses, a post's answer
//! cut in its status line, a 413 sent before the body was read, more than 64 headers, a streaming post
//! on a connection the API closed while the handler ran), answers cut at every byte and written a byte
//! at a time, and 1,000 invocations with random faults.

// Panicking is how a helper of a test fails it.
#![allow(clippy::unwrap_used)]

use crate::support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::raw_api::{Call, Plan, RawApi, RawRequest, invocation_id_for};
use support::{Bootstrap, command};

/// Starts the bootstrap serving `handler` against `api`.
fn bootstrap(api: &RawApi, handler: &str) -> Bootstrap {
    Bootstrap::spawn(command(Some(&api.host_port()), Some(handler)), None)
}

/// The accepted post of `id`: its kind (`response` or `error`) and body.
fn only_post(accepted: &HashMap<String, Vec<(String, Vec<u8>)>>, id: &str) -> (String, String) {
    let posts = &accepted[id];
    assert_eq!(posts.len(), 1, "{id}: {posts:?}");
    (posts[0].0.clone(), String::from_utf8_lossy(&posts[0].1).into_owned())
}

/// How many requests of `call` the API read.
fn count(requests: &[RawRequest], call: &Call) -> usize {
    requests.iter().filter(|r| r.call == *call).count()
}

/// A script: the n-th `next` poll gets `plans[n]`, later polls and every post the normal answer.
/// Counts the polls in `polls`.
fn for_polls(plans: Vec<Plan>, polls: Arc<Mutex<usize>>) -> impl FnMut(&RawRequest) -> Plan + Send + 'static {
    move |request| match request.call {
        Call::Next => {
            let mut polls = polls.lock().unwrap();
            *polls += 1;
            plans.get(*polls - 1).cloned().unwrap_or(Plan::Answer)
        }
        _ => Plan::Answer,
    }
}

#[tokio::test]
async fn transient_statuses_on_next_are_polled_again_and_the_queued_event_is_served() {
    let polls = Arc::new(Mutex::new(0));
    let transient = [502, 503, 504, 429].map(Plan::Status).to_vec();
    let api = RawApi::start(for_polls(transient, Arc::clone(&polls))).await;
    let mut bootstrap = bootstrap(&api, "echo.raw");
    api.push("after-transient", "[1]");
    let accepted = api.wait_accepted(&["after-transient".to_owned()]).await;
    assert_eq!(
        only_post(&accepted, "after-transient"),
        ("response".into(), "[1]".into())
    );
    assert!(*polls.lock().unwrap() >= 5);
    assert!(bootstrap.is_running(), "{}", bootstrap.stderr());
    let stderr = bootstrap.stderr();
    for status in [502, 503, 504, 429] {
        assert!(stderr.contains(&format!("answered next with {status}")), "{stderr}");
    }
}

#[tokio::test]
async fn a_post_whose_answer_breaks_off_in_its_status_line_is_posted_again_and_counted_once() {
    let posts = Arc::new(Mutex::new(0));
    let seen = Arc::clone(&posts);
    let api = RawApi::start(move |request| match request.call {
        Call::Response(_) => {
            let mut posts = seen.lock().unwrap();
            *posts += 1;
            // `HTTP/1.1 20`, then the connection closes.
            if *posts == 1 { Plan::CutAfter(11) } else { Plan::Answer }
        }
        _ => Plan::Answer,
    })
    .await;
    let mut bootstrap = bootstrap(&api, "echo.raw");
    api.push("cut-status", r#"{"n":1}"#);
    api.push("after-cut", r#"{"n":2}"#);
    let accepted = api
        .wait_accepted(&["cut-status".to_owned(), "after-cut".to_owned()])
        .await;
    assert_eq!(
        only_post(&accepted, "cut-status"),
        ("response".into(), r#"{"n":1}"#.into())
    );
    assert_eq!(
        only_post(&accepted, "after-cut"),
        ("response".into(), r#"{"n":2}"#.into())
    );
    // The first post was accepted before its answer broke off: the second one met 403. Both carry the
    // invocation id `next` gave.
    let requests = api.requests();
    assert_eq!(count(&requests, &Call::Response("cut-status".into())), 2);
    for post in requests
        .iter()
        .filter(|r| r.call == Call::Response("cut-status".into()))
    {
        assert_eq!(
            post.header("lambda-runtime-invocation-id"),
            Some(invocation_id_for("cut-status").as_str())
        );
    }
    assert!(api.strays().is_empty());
    assert!(bootstrap.is_running(), "{}", bootstrap.stderr());
}

#[tokio::test]
async fn post_answers_cut_at_every_byte_or_sent_byte_by_byte_lose_nothing() {
    // Invocation i's first response post gets its answer cut after i bytes (0: a close before any),
    // past the end of the answer's head; then a few whose answers come one byte at a time.
    let answer_len = 80;
    let plans: Arc<Mutex<HashMap<String, usize>>> = Arc::default();
    let seen = Arc::clone(&plans);
    let api = RawApi::start(move |request| match &request.call {
        Call::Response(id) => {
            let mut plans = seen.lock().unwrap();
            let attempt = plans.entry(id.clone()).or_insert(0);
            *attempt += 1;
            match (id.strip_prefix("cut-").and_then(|n| n.parse().ok()), *attempt) {
                (Some(n), 1) => Plan::CutAfter(n),
                _ if id.starts_with("bytes-") => Plan::ByteByByte,
                _ => Plan::Answer,
            }
        }
        _ => Plan::Answer,
    })
    .await;
    let mut bootstrap = bootstrap(&api, "echo.raw");
    let mut ids = Vec::new();
    for n in 0..answer_len {
        ids.push(format!("cut-{n}"));
    }
    for n in 0..3 {
        ids.push(format!("bytes-{n}"));
    }
    for (i, id) in ids.iter().enumerate() {
        api.push(id, format!("[{i}]"));
    }
    let accepted = api.wait_accepted(&ids).await;
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(only_post(&accepted, id), ("response".into(), format!("[{i}]")), "{id}");
    }
    assert!(api.strays().is_empty(), "{:?}", api.strays());
    assert!(bootstrap.is_running(), "{}", bootstrap.stderr());
}

#[tokio::test]
async fn next_answers_cut_at_every_byte_lose_nothing() {
    // The first answer to each poll is cut after n bytes, for every n up to past the end of the event.
    // Cut in the head, the runtime never saw the id and the API gives it again; cut in the body, the
    // runtime has the id but not the event, and answers with an error post.
    let cuts = Arc::new(Mutex::new(0usize));
    let seen = Arc::clone(&cuts);
    let answer_len = 600;
    let api = RawApi::start(move |request| match request.call {
        Call::Next => {
            let mut cuts = seen.lock().unwrap();
            *cuts += 1;
            // Every other poll is cut, at the next offset.
            match *cuts % 2 {
                1 if *cuts / 2 < answer_len => Plan::CutAfter(*cuts / 2),
                _ => Plan::Answer,
            }
        }
        _ => Plan::Answer,
    })
    .await;
    let mut bootstrap = bootstrap(&api, "echo.raw");
    let ids: Vec<String> = (0..answer_len).map(|i| format!("id-{i:03}")).collect();
    for id in &ids {
        api.push(id, r#"{"event":"body"}"#);
    }
    let accepted = api.wait_accepted(&ids).await;
    let mut incomplete = 0;
    for id in &ids {
        match only_post(&accepted, id) {
            (kind, body) if kind == "response" => assert_eq!(body, r#"{"event":"body"}"#),
            (_, body) => {
                assert!(body.contains("Runtime.IncompleteEvent"), "{id}: {body}");
                incomplete += 1;
            }
        }
    }
    // The cuts that fall in the event's 16 bytes leave the id known and the event incomplete.
    assert_eq!(incomplete, 16, "one incomplete event per cut inside the body");
    assert!(api.strays().is_empty(), "{:?}", api.strays());
    assert!(bootstrap.is_running(), "{}", bootstrap.stderr());
}

#[tokio::test]
async fn an_oversized_response_refused_early_with_413_gets_one_error_post_and_no_resend() {
    let api = RawApi::start(|request| match &request.call {
        Call::Response(id) if id == "too-big" => Plan::EarlyAnswer {
            status: 413,
            after: 64 * 1024,
        },
        _ => Plan::Answer,
    })
    .await;
    let mut bootstrap = bootstrap(&api, "echo.raw");
    let big = format!("\"{}\"", "x".repeat(6_500_000));
    api.push("too-big", big);
    api.push("small", "[2]");
    let accepted = tokio::time::timeout(
        Duration::from_secs(20),
        api.wait_accepted(&["too-big".to_owned(), "small".to_owned()]),
    )
    .await
    .unwrap_or_else(|_| panic!("not served without a resend loop: {}", bootstrap.stderr()));
    let (kind, body) = only_post(&accepted, "too-big");
    assert_eq!(kind, "error");
    assert!(body.contains("Function.ResponseSizeTooLarge"), "{body}");
    assert!(body.contains("413"), "{body}");
    let requests = api.requests();
    assert_eq!(
        count(&requests, &Call::Response("too-big".into())),
        1,
        "the refused body is not sent again"
    );
    assert!(bootstrap.is_running(), "{}", bootstrap.stderr());
}

#[tokio::test]
async fn a_next_answer_with_hundreds_of_headers_is_served() {
    let many = vec![Plan::ManyHeaders(100), Plan::ManyHeaders(1500)];
    let api = RawApi::start(for_polls(many, Arc::default())).await;
    let mut bootstrap = bootstrap(&api, "echo.raw");
    api.push("hundred-headers", "[100]");
    api.push("many-headers", "[1500]");
    let accepted = api
        .wait_accepted(&["hundred-headers".to_owned(), "many-headers".to_owned()])
        .await;
    assert_eq!(only_post(&accepted, "hundred-headers").1, "[100]");
    assert_eq!(only_post(&accepted, "many-headers").1, "[1500]");
    assert!(bootstrap.is_running(), "{}", bootstrap.stderr());
}

#[tokio::test]
async fn a_next_answer_whose_body_cannot_be_framed_gets_an_error_post_for_its_id() {
    let api = RawApi::start(for_polls(vec![Plan::TwoLengths], Arc::default())).await;
    let mut bootstrap = bootstrap(&api, "echo.raw");
    api.push("two-lengths", "[1]");
    api.push("after", "[2]");
    let accepted = api.wait_accepted(&["two-lengths".to_owned(), "after".to_owned()]).await;
    let (kind, body) = only_post(&accepted, "two-lengths");
    assert_eq!(kind, "error");
    assert!(
        body.contains("Runtime.IncompleteEvent") && body.contains("two different Content-Length"),
        "{body}"
    );
    assert_eq!(only_post(&accepted, "after"), ("response".into(), "[2]".into()));
    assert!(bootstrap.is_running(), "{}", bootstrap.stderr());
}

#[tokio::test]
async fn a_streaming_response_after_the_api_closed_the_idle_connection_starts_on_a_new_one() {
    let api = RawApi::start(|request| match request.call {
        // The API closes the kept-alive connection while the handler runs.
        Call::Next => Plan::AnswerThenClose,
        _ => Plan::Answer,
    })
    .await;
    let mut bootstrap = bootstrap(&api, "stream.lines");
    api.push("streamed", r#"{"count": 3, "delay_ms": 30}"#);
    let accepted = api.wait_accepted(&["streamed".to_owned()]).await;
    assert_eq!(
        only_post(&accepted, "streamed"),
        ("response".into(), "line 1\nline 2\nline 3\n".into())
    );
    let requests = api.requests();
    let next = requests.iter().find(|r| r.call == Call::Next).unwrap();
    let post = requests
        .iter()
        .find(|r| r.call == Call::Response("streamed".into()))
        .unwrap();
    assert_ne!(next.conn, post.conn, "the post went on a new connection");
    assert_eq!(post.header("Lambda-Runtime-Function-Response-Mode"), Some("streaming"));
    assert!(bootstrap.is_running(), "{}", bootstrap.stderr());
}

/// xorshift64*: a small deterministic generator, so that a failing run can be repeated from its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

#[tokio::test]
async fn a_thousand_invocations_with_random_faults_each_end_in_exactly_one_accepted_post() {
    let seed = std::env::var("FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_1A3B_DA00_0001_u64);
    let rng = Mutex::new(Rng(seed));
    let api = RawApi::start(move |request| {
        let mut rng = rng.lock().unwrap();
        if rng.below(100) >= 15 {
            return Plan::Answer;
        }
        match (&request.call, rng.below(6)) {
            (Call::Next, 0) => Plan::Status(if rng.below(2) == 0 { 502 } else { 503 }),
            (_, 0 | 1) => Plan::Close,
            (_, 2) => Plan::Reset,
            // Cut mid-head (the status line and the first headers are in the first ~100 bytes) or
            // anywhere in the answer.
            (_, 3) => Plan::CutAfter(rng.below(100) as usize),
            (_, 4) => Plan::CutAfter(rng.below(400) as usize),
            _ => Plan::Delay(Duration::from_millis(rng.below(5))),
        }
    })
    .await;
    let mut bootstrap = bootstrap(&api, "echo.raw");
    let ids: Vec<String> = (0..1000).map(|i| format!("inv-{i:04}")).collect();
    for (i, id) in ids.iter().enumerate() {
        api.push(id, format!("{{\"invocation\":{i}}}"));
    }
    let accepted = api.wait_accepted(&ids).await;
    let mut errors = 0;
    for (i, id) in ids.iter().enumerate() {
        let (kind, body) = only_post(&accepted, id);
        match kind.as_str() {
            "response" => assert_eq!(body, format!("{{\"invocation\":{i}}}"), "{id} (seed {seed})"),
            _ => {
                assert!(body.contains("Runtime.IncompleteEvent"), "{id}: {body} (seed {seed})");
                errors += 1;
            }
        }
    }
    assert_eq!(
        accepted.len(),
        ids.len(),
        "no accepted post for an id not queued (seed {seed})"
    );
    assert!(
        api.strays().is_empty(),
        "posts for ids never given: {:?} (seed {seed})",
        api.strays()
    );
    assert_eq!(api.given().len(), ids.len());
    assert!(bootstrap.is_running(), "seed {seed}\n{}", bootstrap.stderr());
    eprintln!(
        "1000 invocations over {} connections, {} requests, {errors} incomplete events (seed {seed})",
        api.connections(),
        api.requests().len()
    );
}
