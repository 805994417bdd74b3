//! Batch handlers through the in-process emulator (the production Runtime API loop): with
//! `batch(concurrency = 4)` a standard SQS batch runs up to 4 records at once, never more, and a FIFO
//! batch through the same handler one record at a time; a panic while a record is decoded fails that
//! record only.
#![cfg(feature = "batch")]
#![allow(clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use lambda_fn::batch::SqsRecord;
use serde_json::{Value, json};
use support::post;

mod support;

static RUNNING: AtomicUsize = AtomicUsize::new(0);
static MOST: AtomicUsize = AtomicUsize::new(0);
static DONE: AtomicUsize = AtomicUsize::new(0);

#[lambda_fn::handler("batch.concurrent", batch(concurrency = 4))]
async fn slow(record: SqsRecord<u64>) -> Result<(), lambda_fn::Error> {
    let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
    MOST.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(20)).await;
    RUNNING.fetch_sub(1, Ordering::SeqCst);
    DONE.fetch_add(1, Ordering::SeqCst);
    match *record {
        0 => Err(lambda_fn::Error::new("Zero", "zero is refused")),
        _ => Ok(()),
    }
}

fn batch(values: &[u64], group: Option<&str>) -> String {
    let records: Vec<Value> = values
        .iter()
        .enumerate()
        .map(|(i, value)| {
            let mut attributes = json!({"ApproximateReceiveCount": "1"});
            if let Some(group) = group {
                attributes["MessageGroupId"] = json!(group);
            }
            json!({"messageId": format!("m-{i}"), "body": value.to_string(), "attributes": attributes})
        })
        .collect();
    json!({ "Records": records }).to_string()
}

#[test]
fn standard_records_run_up_to_the_limit_at_once_and_fifo_ones_one_by_one() {
    let emulator = lambda_fn::emulator::Emulator::builder()
        .timeout(Duration::from_secs(10))
        .start()
        .expect("the emulator starts");
    let path = "/2015-03-31/functions/batch.concurrent/invocations";

    let values: Vec<u64> = (0..20).map(|i| if i == 7 { 0 } else { i + 1 }).collect();
    let (status, _, body) = post(emulator.addr(), path, &batch(&values, None));
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer, json!({"batchItemFailures": [{"itemIdentifier": "m-7"}]}));
    assert_eq!(DONE.load(Ordering::SeqCst), 20, "every record ran once");
    assert_eq!(MOST.load(Ordering::SeqCst), 4, "at most 4 at once, and 4 were reached");

    MOST.store(0, Ordering::SeqCst);
    let (_, _, body) = post(emulator.addr(), path, &batch(&[1, 2, 3, 4, 5], Some("g")));
    assert_eq!(body, r#"{"batchItemFailures":[]}"#);
    assert_eq!(
        MOST.load(Ordering::SeqCst),
        1,
        "a FIFO group runs in order, one at a time"
    );
}

/// A body type whose decoding panics on 3 (a user's `Deserialize` with a bug).
struct Touchy(u64);

impl<'de> serde::Deserialize<'de> for Touchy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(deserializer)?;
        assert_ne!(n, 3, "Touchy cannot stand 3");
        Ok(Touchy(n))
    }
}

static TOUCHED: AtomicUsize = AtomicUsize::new(0);

#[lambda_fn::handler("batch.touchy", batch)]
async fn touchy(record: SqsRecord<Touchy>) {
    TOUCHED.fetch_add(record.0 as usize, Ordering::SeqCst);
}

#[test]
fn a_panic_while_a_record_is_decoded_fails_that_record_only() {
    let emulator = lambda_fn::emulator::Emulator::builder()
        .start()
        .expect("the emulator starts");
    let path = "/2015-03-31/functions/batch.touchy/invocations";
    let (status, _, body) = post(emulator.addr(), path, &batch(&[1, 2, 3, 4], None));
    assert_eq!(status, 200, "{body}");
    let answer: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(answer, json!({"batchItemFailures": [{"itemIdentifier": "m-2"}]}));
    assert_eq!(TOUCHED.load(Ordering::SeqCst), 1 + 2 + 4, "the other records ran");
}
