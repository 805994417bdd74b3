//! Batch handlers end to end: the real `bootstrap` serves `orders.sqs`, `orders.kinesis` and
//! `orders.ddb` (one call per order) against a Runtime API on 127.0.0.1, and each batch response names
//! exactly the records that failed: an order the rules refuse, a body that is not an order, a panic,
//! the rest of a FIFO message group or of a shard after a failure, and the records that would start
//! too close to the deadline. Every record ends as exactly one of: succeeded (it was processed and is
//! not named) or reported failed.

// Panicking is how a helper of a test fails it.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use crate::support;

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{Value, json};
use support::{Bootstrap, Event, FakeApi, epoch_ms_in, response};

/// What a record holds, and so what must become of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Good,
    /// Quantity 0: `InvalidQuantity`.
    Refused,
    /// Not JSON: `Runtime.UnmarshalError`.
    Garbage,
    /// Id `panic`: the handler panics.
    Panics,
}

impl Kind {
    /// The i-th record of a mixed batch: mostly good, with every kind of failure mixed in.
    fn nth(i: usize) -> Kind {
        match i % 10 {
            3 => Kind::Refused,
            5 => Kind::Garbage,
            8 => Kind::Panics,
            _ => Kind::Good,
        }
    }

    fn body(self, i: usize) -> String {
        match self {
            Kind::Good => json!({"id": format!("o-{i}"), "quantity": i + 1}).to_string(),
            Kind::Refused => json!({"id": format!("o-{i}"), "quantity": 0}).to_string(),
            Kind::Garbage => format!("order {i}, not JSON"),
            Kind::Panics => json!({"id": "panic", "quantity": 1}).to_string(),
        }
    }
}

fn sqs_message(id: &str, body: &str, group: Option<&str>) -> Value {
    let mut attributes = json!({
        "ApproximateReceiveCount": "1",
        "SentTimestamp": "1732000000000",
        "SenderId": "AIDAEXAMPLE",
        "ApproximateFirstReceiveTimestamp": "1732000000100"
    });
    let queue = match group {
        Some(group) => {
            attributes["MessageGroupId"] = json!(group);
            attributes["MessageDeduplicationId"] = json!(id);
            attributes["SequenceNumber"] = json!("18849496460467696128");
            "orders.fifo"
        }
        None => "orders",
    };
    json!({
        "messageId": id,
        "receiptHandle": format!("AQEB{id}"),
        "body": body,
        "attributes": attributes,
        "messageAttributes": {},
        "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
        "eventSource": "aws:sqs",
        "eventSourceARN": format!("arn:aws:sqs:eu-west-3:123456789012:{queue}"),
        "awsRegion": "eu-west-3"
    })
}

/// The ids the batch response of `answer` names, checking its shape and that none is named twice.
fn failures(answer: &support::Recorded) -> BTreeSet<String> {
    let body = answer.json();
    let items = body["batchItemFailures"]
        .as_array()
        .unwrap_or_else(|| panic!("not a batch response: {body}"));
    let ids: Vec<String> = items
        .iter()
        .map(|item| {
            assert_eq!(item.as_object().map(|o| o.len()), Some(1), "{item}");
            item["itemIdentifier"].as_str().expect("a string id").to_owned()
        })
        .collect();
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(unique.len(), ids.len(), "an item is named twice: {ids:?}");
    unique
}

/// Sends a standard SQS batch of `n` mixed records; checks that exactly the bad ones are named and
/// that each good one was processed once (the handler logs each order it sees).
async fn standard_batch_of(n: usize) {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "orders.sqs");
    let records: Vec<Value> = (0..n)
        .map(|i| sqs_message(&format!("m-{i}"), &Kind::nth(i).body(i), None))
        .collect();
    let id = format!("sqs-{n}");
    api.push(Event::new(&id, json!({ "Records": records }).to_string()));
    let answer = api.answer_for(&id).await;
    assert_eq!(answer.call(), response(&id), "{}", api.diagnostics());
    let failed = failures(&answer);
    let expected: BTreeSet<String> = (0..n)
        .filter(|i| Kind::nth(*i) != Kind::Good)
        .map(|i| format!("m-{i}"))
        .collect();
    assert_eq!(failed, expected, "batch of {n}");
    // Succeeded records were each processed exactly once: one log line per good order.
    let good: Vec<usize> = (0..n).filter(|i| Kind::nth(*i) == Kind::Good).collect();
    let last = good.last().map(|i| format!("order o-{i} "));
    let stderr = bootstrap
        .wait_stderr("the handler's log lines", |s| {
            last.as_ref().is_none_or(|l| s.contains(l))
        })
        .await;
    for &i in good.iter().take(50).chain(good.last()) {
        let line = format!("order o-{i} message_id=m-{i} ");
        assert_eq!(stderr.matches(&line).count(), 1, "{line:?} in:\n{stderr}");
    }
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}

#[tokio::test]
async fn standard_sqs_batches_of_1_10_and_10000_name_exactly_the_failed_records() {
    standard_batch_of(1).await;
    standard_batch_of(10).await;
    standard_batch_of(10_000).await;
}

#[tokio::test]
async fn a_panic_or_an_undecodable_body_fails_only_its_record_and_says_why() {
    let api = FakeApi::start().await;
    let bootstrap = Bootstrap::start(&api, "orders.sqs");
    let records = vec![
        sqs_message("ok-1", &Kind::Good.body(1), None),
        sqs_message("panics", &Kind::Panics.body(2), None),
        sqs_message("garbage", &Kind::Garbage.body(3), None),
        sqs_message("ok-2", &Kind::Good.body(4), None),
    ];
    api.push(Event::new("mixed", json!({ "Records": records }).to_string()));
    let answer = api.answer_for("mixed").await;
    assert_eq!(failures(&answer), ["garbage", "panics"].map(String::from).into());
    let stderr = bootstrap
        .wait_stderr("the failure lines", |s| s.contains("itemIdentifier=\"garbage\""))
        .await;
    let line = |id: &str| {
        stderr
            .lines()
            .find(|l| l.contains("record failed") && l.contains(&format!("itemIdentifier=\"{id}\"")))
            .unwrap_or_else(|| panic!("no failure line for {id}:\n{stderr}"))
            .to_owned()
    };
    let panicked = line("panics");
    assert!(
        panicked.contains("Runtime.Panic") && panicked.contains("asked to panic"),
        "{panicked}"
    );
    assert!(
        panicked.contains("requestId=mixed"),
        "the request id is on the line: {panicked}"
    );
    let garbage = line("garbage");
    assert!(garbage.contains("Runtime.UnmarshalError"), "{garbage}");
}

#[tokio::test]
async fn fifo_a_failed_message_group_stops_while_the_other_group_goes_on() {
    let api = FakeApi::start().await;
    let bootstrap = Bootstrap::start(&api, "orders.sqs");
    let order = |id: &str, quantity: i64| json!({"id": id, "quantity": quantity}).to_string();
    let records = vec![
        sqs_message("a1", &order("a-1", 1), Some("group-a")),
        sqs_message("b1", &order("b-1", 1), Some("group-b")),
        sqs_message("a2", &order("a-2", 0), Some("group-a")),
        sqs_message("b2", &order("b-2", 2), Some("group-b")),
        sqs_message("a3", &order("a-3", 3), Some("group-a")),
        sqs_message("b3", "not an order", Some("group-b")),
        sqs_message("b4", &order("b-4", 4), Some("group-b")),
        sqs_message("a4", &order("a-4", 4), Some("group-a")),
    ];
    api.push(Event::new("fifo", json!({ "Records": records }).to_string()));
    let answer = api.answer_for("fifo").await;
    assert_eq!(
        failures(&answer),
        ["a2", "a3", "a4", "b3", "b4"].map(String::from).into(),
        "each group stops at its first failure"
    );
    let stderr = bootstrap.wait_stderr("the orders", |s| s.contains("b-2")).await;
    for processed in ["a-1", "b-1", "a-2", "b-2"] {
        assert!(
            stderr.contains(&format!("order {processed} ")),
            "{processed}:\n{stderr}"
        );
    }
    for never in ["a-3", "a-4", "b-4"] {
        assert!(
            !stderr.contains(&format!("order {never} ")),
            "{never} must not run:\n{stderr}"
        );
    }
}

#[tokio::test]
async fn a_fair_standard_queues_groups_do_not_stop_after_a_failure() {
    let api = FakeApi::start().await;
    let bootstrap = Bootstrap::start(&api, "orders.sqs");
    let order = |id: &str, quantity: i64| json!({"id": id, "quantity": quantity}).to_string();
    // A standard queue (its ARN does not end in `.fifo`) whose messages carry a group, as fair queues'
    // do: no order to keep, so the group's later records still run.
    let fair = |id: &str, body: &str| {
        let mut message = sqs_message(id, body, Some("tenant-a"));
        message["eventSourceARN"] = json!("arn:aws:sqs:eu-west-3:123456789012:orders");
        message
    };
    let records = vec![
        fair("f1", &order("f-1", 0)),
        fair("f2", &order("f-2", 2)),
        fair("f3", &order("f-3", 3)),
    ];
    api.push(Event::new("fair", json!({ "Records": records }).to_string()));
    let answer = api.answer_for("fair").await;
    assert_eq!(failures(&answer), ["f1"].map(String::from).into());
    let stderr = bootstrap.wait_stderr("the orders", |s| s.contains("order f-3 ")).await;
    assert!(stderr.contains("order f-2 "), "{stderr}");
}

fn kinesis_record(sequence: &str, data: &str) -> Value {
    json!({
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": "orders",
            "sequenceNumber": sequence,
            "data": base64::engine::general_purpose::STANDARD.encode(data),
            "approximateArrivalTimestamp": 1732000000.123
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": format!("shardId-000000000003:{sequence}"),
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn:aws:iam::123456789012:role/orders",
        "awsRegion": "eu-west-3",
        "eventSourceARN": "arn:aws:kinesis:eu-west-3:123456789012:stream/orders"
    })
}

#[tokio::test]
async fn kinesis_a_shard_stops_at_its_first_failure_by_sequence_number() {
    let api = FakeApi::start().await;
    let _bootstrap = Bootstrap::start(&api, "orders.kinesis");
    let records: Vec<Value> = (0..6)
        .map(|i| {
            let data = match i {
                2 => Kind::Panics.body(i),
                _ => Kind::Good.body(i),
            };
            kinesis_record(
                &format!("4959033827149025660855969253836157109592157598913658880{i}"),
                &data,
            )
        })
        .collect();
    api.push(Event::new("kinesis", json!({ "Records": records }).to_string()));
    let answer = api.answer_for("kinesis").await;
    let expected: BTreeSet<String> = (2..6)
        .map(|i| format!("4959033827149025660855969253836157109592157598913658880{i}"))
        .collect();
    assert_eq!(failures(&answer), expected);

    // A batch that all succeeds answers an empty list.
    let ok: Vec<Value> = (0..3)
        .map(|i| kinesis_record(&format!("1{i}"), &Kind::Good.body(i)))
        .collect();
    api.push(Event::new("kinesis-ok", json!({ "Records": ok }).to_string()));
    let answer = api.answer_for("kinesis-ok").await;
    assert_eq!(answer.json(), json!({"batchItemFailures": []}));
}

fn ddb_record(sequence: &str, name: &str, new: Option<Value>, old: Option<Value>) -> Value {
    let id = new
        .as_ref()
        .or(old.as_ref())
        .map(|image| image["id"].clone())
        .unwrap_or_default();
    let mut record = json!({
        "ApproximateCreationDateTime": 1732000000,
        "Keys": {"id": id},
        "SequenceNumber": sequence,
        "SizeBytes": 64,
        "StreamViewType": "NEW_AND_OLD_IMAGES"
    });
    if let Some(new) = new {
        record["NewImage"] = new;
    }
    if let Some(old) = old {
        record["OldImage"] = old;
    }
    json!({
        "eventID": format!("e-{sequence}"),
        "eventName": name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-3",
        "dynamodb": record,
        "eventSourceARN": "arn:aws:dynamodb:eu-west-3:123456789012:table/orders/stream/2026-11-01T00:00:00.000"
    })
}

#[tokio::test]
async fn dynamodb_new_images_decode_into_the_order_and_a_failure_stops_the_shard() {
    let api = FakeApi::start().await;
    let _bootstrap = Bootstrap::start(&api, "orders.ddb");
    let item = |id: &str, quantity: &str| json!({"id": {"S": id}, "quantity": {"N": quantity}});
    let records = vec![
        ddb_record("100", "INSERT", Some(item("d-1", "3")), None),
        // A removed order has no new image: nothing to check, it succeeds.
        ddb_record("200", "REMOVE", None, Some(item("d-2", "1"))),
        // A quantity that is not a number does not decode.
        ddb_record(
            "300",
            "MODIFY",
            Some(json!({"id": {"S": "d-3"}, "quantity": {"S": "many"}})),
            None,
        ),
        ddb_record("400", "INSERT", Some(item("d-4", "1")), None),
    ];
    api.push(Event::new("ddb", json!({ "Records": records }).to_string()));
    let answer = api.answer_for("ddb").await;
    assert_eq!(failures(&answer), ["300", "400"].map(String::from).into());
}

#[tokio::test]
async fn records_not_started_before_the_deadline_margin_are_reported_failed_not_run() {
    let api = FakeApi::start().await;
    let bootstrap = Bootstrap::start(&api, "orders.sqs");
    let records: Vec<Value> = (0..5)
        .map(|i| sqs_message(&format!("late-{i}"), &Kind::Good.body(i), None))
        .collect();
    // 300 ms left, less than the 500 ms margin: nothing starts, everything comes back.
    let deadline = epoch_ms_in(Duration::from_millis(300)).to_string();
    api.push(
        Event::new("late", json!({ "Records": records }).to_string()).header("Lambda-Runtime-Deadline-Ms", &deadline),
    );
    let answer = api.answer_for("late").await;
    let expected: BTreeSet<String> = (0..5).map(|i| format!("late-{i}")).collect();
    assert_eq!(failures(&answer), expected);
    let stderr = bootstrap
        .wait_stderr("the skipped records", |s| s.contains("itemIdentifier=\"late-4\""))
        .await;
    assert!(!stderr.contains("order o-0 "), "no record ran:\n{stderr}");
    assert!(stderr.contains("too close to the deadline"), "{stderr}");
}

#[tokio::test]
async fn an_event_that_is_not_a_batch_is_an_unmarshal_error_for_the_invocation() {
    let api = FakeApi::start().await;
    let mut bootstrap = Bootstrap::start(&api, "orders.sqs");
    api.push(Event::new("not-a-batch", r#"{"Records": "none"}"#));
    api.push(Event::new(
        "after",
        json!({"Records": [sqs_message("m", &Kind::Good.body(0), None)]}).to_string(),
    ));
    let answer = api.answer_for("not-a-batch").await;
    let message = support::assert_error_body(&answer, "Runtime.UnmarshalError");
    assert!(message.contains("Records"), "{message}");
    let after = api.answer_for("after").await;
    assert_eq!(after.json(), json!({"batchItemFailures": []}));
    assert!(bootstrap.is_running(), "{}", api.diagnostics());
}
