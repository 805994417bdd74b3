//! Batch handlers: one function per record of an SQS, Kinesis or DynamoDB Streams batch, with
//! partial batch failures (feature `batch`).
//!
//! ```ignore
//! use lambda_fn::batch::SqsRecord;
//!
//! #[lambda_fn::handler("orders.sqs", batch)]
//! async fn process(order: SqsRecord<Order>, ctx: lambda_fn::Context) -> Result<(), lambda_fn::Error> {
//!     if order.quantity <= 0 {
//!         return Err(lambda_fn::Error::new("InvalidQuantity", "quantity must be positive"));
//!     }
//!     Ok(())
//! }
//! ```
//!
//! The runtime runs the loop and answers `{"batchItemFailures": [{"itemIdentifier": ...}]}` (the
//! event source mapping needs `FunctionResponseTypes: [ReportBatchItemFailures]`). Every record ends as
//! exactly one of: succeeded, or reported failed (so that it comes back):
//!
//! - A record whose body does not decode into the handler's type, whose handler returns an error, or
//!   whose handler panics is a failed item, logged with the reason (and the invocation's request id).
//!   The rest of the batch goes on.
//! - **SQS FIFO**: after the first failure in a message group, the group's remaining records are
//!   reported failed without being processed, so that the group's order holds; other groups go on. A
//!   queue is FIFO when its ARN (`eventSourceARN`) ends in `.fifo`; the groups of a fair standard queue
//!   keep no order, so they do not stop (`message_group_id` still gives them).
//! - **Kinesis and DynamoDB Streams**: records of one shard run in order, and after a failure the
//!   shard's remaining records are reported failed without being processed. Lambda resumes the shard
//!   from the lowest failed sequence number, so it sends them again: processing them now would run
//!   them twice.
//! - **Standard SQS**: records run one at a time, or up to `concurrency` at once with
//!   `#[handler("name", batch(concurrency = 8))]`. Ordered sources always run one record at a time.
//! - **The deadline**: a record not yet started when less than the margin is left before the
//!   invocation's deadline is reported failed instead of started, so that a timeout does not make
//!   Lambda retry the whole batch. The margin is 500 ms by default,
//!   `#[handler("name", batch(margin_ms = 2000))]` sets it. With the deadline unknown, every record
//!   starts.
//!
//! The event itself must still be a batch of the source's shape: an event that is not (not JSON, no
//! `Records`) is `Runtime.UnmarshalError` for the whole invocation, since no item can be named.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures_util::FutureExt as _;
use futures_util::stream::{FuturesUnordered, StreamExt as _};
use std::borrow::Cow;
use std::collections::HashSet;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::encode::Output;
use crate::error::{Error, kind};
use crate::extract::Invocation;
use crate::registry::BatchSettings;

pub use lambda_fn_events::dynamodb::DynamoDbEventRecord;
pub use lambda_fn_events::kinesis::KinesisEventRecord;
pub use lambda_fn_events::sqs::SqsMessage;

/// One SQS message: its body decoded from JSON into `T`, its id and FIFO message group, and the whole
/// message (attributes, receive count, message attributes, the raw body) on demand with
/// [`message`](Self::message).
///
/// Derefs to the body. The loop reads only what it needs of each message (id, group, body) and keeps
/// the rest as the JSON Lambda sent until asked for, which makes a batch cheaper to take apart. A body
/// that is not JSON can be taken as [`serde::de::IgnoredAny`] and read from `message()?.body`.
#[derive(Debug, Clone)]
pub struct SqsRecord<T> {
    /// The body, decoded.
    pub body: T,
    /// `messageId`: what the batch response names when this record fails.
    pub message_id: String,
    /// The `MessageGroupId` attribute of a FIFO queue's message.
    pub message_group_id: Option<String>,
    /// The message's JSON, member by member as Lambda sent it.
    json: String,
}

impl<T> SqsRecord<T> {
    /// A record of `message` with `body` as its decoded body, for unit tests of a handler.
    ///
    /// ```
    /// use lambda_fn::batch::{SqsMessage, SqsRecord};
    ///
    /// let mut message = SqsMessage::default();
    /// message.message_id = "m-1".into();
    /// message.body = "42".into();
    /// let record = SqsRecord::for_test(42, &message);
    /// assert_eq!((*record, record.message_id.as_str()), (42, "m-1"));
    /// assert_eq!(record.message().unwrap().body, "42");
    /// ```
    pub fn for_test(body: T, message: &SqsMessage) -> Self {
        SqsRecord {
            body,
            message_id: message.message_id.clone(),
            message_group_id: message.message_group_id().map(str::to_owned),
            json: serde_json::to_string(message).unwrap_or_else(|_| "{}".to_owned()),
        }
    }

    /// The whole message as Lambda sent it, decoded from its JSON on each call.
    ///
    /// # Errors
    /// When a member of the message does not fit its type (the message id and body did, or the
    /// record would not have reached the handler).
    pub fn message(&self) -> Result<SqsMessage, Error> {
        decode_json::<SqsMessage>(self.json.as_bytes(), "the SQS message")
    }
}

#[derive(Deserialize)]
struct SqsGroup {
    #[serde(rename = "MessageGroupId")]
    message_group_id: Option<String>,
}

/// An SQS batch, each message read in one pass.
#[doc(hidden)]
#[derive(Deserialize)]
pub struct SqsBatch {
    #[serde(rename = "Records")]
    records: Vec<SqsRaw>,
}

/// One message of an [`SqsBatch`]: its id, group and body, and the message's JSON, all from one pass
/// over the batch (each member is borrowed from the event, read if the loop needs it, and copied into
/// `json`).
#[doc(hidden)]
pub struct SqsRaw {
    message_id: String,
    message_group_id: Option<String>,
    /// Whether the message came from a FIFO queue, whose groups keep their order.
    fifo: bool,
    body: String,
    json: String,
}

/// The text of a JSON string without escapes, between its quotes: what decoding it would give,
/// without decoding.
fn plain_string(json: &str) -> Option<&str> {
    json.strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .filter(|inner| !inner.contains('\\'))
}

impl<'de> Deserialize<'de> for SqsRaw {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MessageVisitor;
        impl<'de> serde::de::Visitor<'de> for MessageVisitor {
            type Value = SqsRaw;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an SQS message")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut members: A) -> Result<SqsRaw, A::Error> {
                use serde::de::Error as _;
                // A JSON string member as a `String`: copied when it has no escapes, decoded otherwise.
                let string = |text: &str| match plain_string(text) {
                    Some(plain) => Ok(plain.to_owned()),
                    None => serde_json::from_str::<String>(text).map_err(A::Error::custom),
                };
                let mut raw = SqsRaw {
                    message_id: String::new(),
                    message_group_id: None,
                    fifo: false,
                    body: String::new(),
                    // Most messages Lambda sends are under 1 KiB with their attributes.
                    json: String::with_capacity(1024),
                };
                let mut arn = None;
                raw.json.push('{');
                while let Some(Name(name)) = members.next_key::<Name<'de>>()? {
                    let value: &'de RawValue = members.next_value()?;
                    let text = value.get();
                    match name.as_ref() {
                        "messageId" => raw.message_id = string(text)?,
                        "body" => raw.body = string(text)?,
                        // Only FIFO queues and fair standard queues send a group: the others' attributes
                        // need not be read.
                        "attributes" if text.contains("MessageGroupId") => {
                            let group: SqsGroup = serde_json::from_str(text).map_err(A::Error::custom)?;
                            raw.message_group_id = group.message_group_id;
                        }
                        // A string (`.fifo` is never escaped); anything else says nothing.
                        "eventSourceARN" => arn = text.starts_with('"').then(|| text.ends_with(".fifo\"")),
                        _ => {}
                    }
                    if raw.json.len() > 1 {
                        raw.json.push(',');
                    }
                    // The name as a JSON string again (escaped when it needs it), then the value as it came.
                    if name.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
                        let quoted = serde_json::to_string(name.as_ref()).map_err(A::Error::custom)?;
                        raw.json.push_str(&quoted);
                    } else {
                        raw.json.push('"');
                        raw.json.push_str(&name);
                        raw.json.push('"');
                    }
                    raw.json.push(':');
                    raw.json.push_str(text);
                }
                raw.json.push('}');
                // A FIFO queue's name ends in `.fifo`; an event without the queue's ARN as a string
                // (written by hand) is taken as FIFO when its messages have groups.
                raw.fifo = arn.unwrap_or(raw.message_group_id.is_some());
                Ok(raw)
            }
        }
        deserializer.deserialize_map(MessageVisitor)
    }
}

/// A member name, borrowed from the event unless it has escapes (serde's `Cow<str>` always copies).
struct Name<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Name<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor;
        impl<'de> serde::de::Visitor<'de> for NameVisitor {
            type Value = Name<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, name: &'de str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Borrowed(name)))
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Name<'de>, E> {
                Ok(Name(Cow::Owned(name.to_owned())))
            }
        }
        deserializer.deserialize_str(NameVisitor)
    }
}

/// One Kinesis record: its data (base64 on the wire) decoded from JSON into `T`, and the record
/// (partition key, sequence number, shard in `event_id`, the raw `kinesis.data`).
#[derive(Debug, Clone)]
pub struct KinesisRecord<T> {
    /// The data, decoded.
    pub data: T,
    /// The record as Lambda sent it.
    pub record: KinesisEventRecord,
}

/// One DynamoDB Streams record: the item after and before the change decoded into `T` (`None` when
/// the stream view or the operation has no such image: a `REMOVE` has no new image), and the record.
#[derive(Debug, Clone)]
pub struct DynamoDbRecord<T> {
    /// `NewImage`, decoded.
    pub new_image: Option<T>,
    /// `OldImage`, decoded.
    pub old_image: Option<T>,
    /// The record as Lambda sent it (keys, sequence number, event name).
    pub record: DynamoDbEventRecord,
}

impl<T> std::ops::Deref for SqsRecord<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T> std::ops::Deref for KinesisRecord<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.data
    }
}

/// A record type a batch handler takes: how its source's batch splits into records, what names a
/// record in the batch response, which records must stay in order, and how one is decoded.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a batch record",
    label = "a `batch` handler takes one record",
    note = "take `lambda_fn::batch::SqsRecord<T>`, `KinesisRecord<T>` or `DynamoDbRecord<T>`, with `T` your record's type"
)]
pub trait BatchRecord: Sized {
    /// The whole batch, as Lambda sends it.
    #[doc(hidden)]
    type Event: DeserializeOwned;
    /// One record, undecoded.
    #[doc(hidden)]
    type Raw;
    /// The records of the batch, in order.
    #[doc(hidden)]
    fn records(event: Self::Event) -> Vec<Self::Raw>;
    /// What names the record in `batchItemFailures`.
    #[doc(hidden)]
    fn item_identifier(raw: &Self::Raw) -> &str;
    /// Records with the same key run in order and stop at the key's first failure; `None`: independent.
    #[doc(hidden)]
    fn order_key(raw: &Self::Raw) -> Option<&str>;
    /// Decodes the record's payload.
    #[doc(hidden)]
    fn decode(raw: Self::Raw) -> Result<Self, Error>;
}

impl<T: DeserializeOwned> BatchRecord for SqsRecord<T> {
    type Event = SqsBatch;
    type Raw = SqsRaw;

    fn records(event: Self::Event) -> Vec<SqsRaw> {
        event.records
    }

    fn item_identifier(raw: &SqsRaw) -> &str {
        &raw.message_id
    }

    fn order_key(raw: &SqsRaw) -> Option<&str> {
        // A fair standard queue's messages have groups too, but no order to keep.
        raw.message_group_id.as_deref().filter(|_| raw.fifo)
    }

    fn decode(message: SqsRaw) -> Result<Self, Error> {
        let body = decode_json::<T>(message.body.as_bytes(), "body")?;
        Ok(SqsRecord {
            body,
            message_id: message.message_id,
            message_group_id: message.message_group_id,
            json: message.json,
        })
    }
}

impl<T: DeserializeOwned> BatchRecord for KinesisRecord<T> {
    type Event = lambda_fn_events::kinesis::KinesisEvent;
    type Raw = KinesisEventRecord;

    fn records(event: Self::Event) -> Vec<KinesisEventRecord> {
        event.records
    }

    fn item_identifier(raw: &KinesisEventRecord) -> &str {
        &raw.kinesis.sequence_number
    }

    fn order_key(raw: &KinesisEventRecord) -> Option<&str> {
        // `shardId-000000000006:4959...`: the shard; every record of a batch usually shares it.
        let shard = raw.event_id.as_deref().map(|id| id.split(':').next().unwrap_or(id));
        Some(shard.unwrap_or_default())
    }

    fn decode(record: KinesisEventRecord) -> Result<Self, Error> {
        let data = decode_json::<T>(&record.kinesis.data.0, "kinesis.data")?;
        Ok(KinesisRecord { data, record })
    }
}

impl<T: DeserializeOwned> BatchRecord for DynamoDbRecord<T> {
    type Event = lambda_fn_events::dynamodb::DynamoDbEvent;
    type Raw = DynamoDbEventRecord;

    fn records(event: Self::Event) -> Vec<DynamoDbEventRecord> {
        event.records
    }

    fn item_identifier(raw: &DynamoDbEventRecord) -> &str {
        raw.dynamodb.sequence_number.as_deref().unwrap_or_default()
    }

    fn order_key(raw: &DynamoDbEventRecord) -> Option<&str> {
        // A batch comes from one shard of one stream.
        Some(raw.event_source_arn.as_deref().unwrap_or_default())
    }

    fn decode(record: DynamoDbEventRecord) -> Result<Self, Error> {
        let image = |item: &lambda_fn_events::encoding::PresenceMap<String, _>, what: &str| {
            if item.is_empty() {
                return Ok(None);
            }
            lambda_fn_events::dynamodb::from_item::<T>(item)
                .map(Some)
                .map_err(|e| Error::new(kind::UNMARSHAL, format!("`dynamodb.{what}` does not decode: {e}")))
        };
        let new_image = image(&record.dynamodb.new_image, "NewImage")?;
        let old_image = image(&record.dynamodb.old_image, "OldImage")?;
        Ok(DynamoDbRecord {
            new_image,
            old_image,
            record,
        })
    }
}

/// A record's payload from JSON, with the path of what does not fit.
fn decode_json<T: DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|_| {
        let message = match crate::extract::misfit::<T>(bytes) {
            Some((Some(path), why)) => format!("`{what}` at `{path}`: {why}"),
            Some((None, why)) => format!("`{what}`: {why}"),
            None => format!("`{what}` does not decode"),
        };
        Error::new(
            kind::UNMARSHAL,
            format!(
                "could not decode the record as `{}`: {message}",
                std::any::type_name::<T>()
            ),
        )
    })
}

/// What a per-record handler returns: `()` or `Result<(), E>`.
#[diagnostic::on_unimplemented(
    message = "a `batch` handler returns `()` or `Result<(), E>`, not `{Self}`",
    label = "the per-record result",
    note = "the runtime builds the batch response; return `Ok(())` for a record that succeeded and an error for one that failed"
)]
pub trait RecordResult {
    /// The record's outcome.
    fn into_result(self) -> Result<(), Error>;
}

impl RecordResult for () {
    fn into_result(self) -> Result<(), Error> {
        Ok(())
    }
}

impl<E: Into<Error>> RecordResult for Result<(), E> {
    fn into_result(self) -> Result<(), Error> {
        self.map_err(Into::into)
    }
}

#[derive(Serialize)]
struct BatchResponse<'a> {
    #[serde(rename = "batchItemFailures")]
    batch_item_failures: Vec<ItemFailure<'a>>,
}

#[derive(Serialize)]
struct ItemFailure<'a> {
    #[serde(rename = "itemIdentifier")]
    item_identifier: &'a str,
}

/// Why a record is reported failed.
enum Failed {
    Error(Error),
    Skipped(&'static str),
}

/// Runs one batch: decodes the event, then each record, calls `call` for it (which extracts the
/// handler's other parameters and returns the handler's future), and encodes the batch response.
#[doc(hidden)]
pub async fn run<R, F, Fut, O>(mut invocation: Invocation, options: BatchSettings, mut call: F) -> Result<Output, Error>
where
    R: BatchRecord,
    F: FnMut(R, &mut Invocation) -> Result<Fut, Error>,
    Fut: Future<Output = O>,
    O: RecordResult,
{
    let event = invocation.event::<R::Event>()?;
    let raws = R::records(event);
    let ids: Vec<String> = raws.iter().map(|raw| R::item_identifier(raw).to_owned()).collect();
    let keys: Vec<Option<String>> = raws.iter().map(|raw| R::order_key(raw).map(str::to_owned)).collect();
    let margin = Duration::from_millis(options.margin_ms);
    // For each record: reported failed or not, logged with the reason as it happens.
    let mut failed = vec![false; raws.len()];
    let mut report = |index: usize, why: Failed| {
        let id = ids[index].as_str();
        match why {
            Failed::Error(error) => tracing::error!(
                itemIdentifier = id,
                errorType = error.error_type(),
                "record failed: {}",
                error.message()
            ),
            Failed::Skipped(why) => tracing::warn!(itemIdentifier = id, "record reported failed, not run: {why}"),
        }
        failed[index] = true;
    };
    let concurrent = options.concurrency > 1 && keys.iter().all(Option::is_none);
    if concurrent {
        let mut running = FuturesUnordered::new();
        let mut pending = raws.into_iter().enumerate();
        loop {
            while running.len() < options.concurrency {
                let Some((index, raw)) = pending.next() else { break };
                if out_of_time(&invocation, margin) {
                    report(index, Failed::Skipped(TOO_LATE));
                    continue;
                }
                match start(raw, &mut invocation, &mut call) {
                    Ok(future) => running.push(future.map(move |outcome| (index, outcome))),
                    Err(error) => report(index, Failed::Error(error)),
                }
            }
            match running.next().await {
                Some((index, Err(error))) => report(index, Failed::Error(error)),
                Some((_, Ok(()))) => {}
                None => break,
            }
        }
    } else {
        // The order keys (FIFO groups, shards) that have had a failure.
        let mut stopped: HashSet<&str> = HashSet::new();
        for (index, raw) in raws.into_iter().enumerate() {
            let key = keys[index].as_deref();
            let outcome = if key.is_some_and(|key| stopped.contains(&key)) {
                Err(Failed::Skipped(
                    "an earlier record of its message group or shard failed",
                ))
            } else if out_of_time(&invocation, margin) {
                Err(Failed::Skipped(TOO_LATE))
            } else {
                match start(raw, &mut invocation, &mut call) {
                    Ok(future) => future.await.map_err(Failed::Error),
                    Err(error) => Err(Failed::Error(error)),
                }
            };
            if let Err(why) = outcome {
                report(index, why);
                if let Some(key) = key {
                    stopped.insert(key);
                }
            }
        }
    }
    let failures = ids
        .iter()
        .zip(&failed)
        .filter(|(_, failed)| **failed)
        .map(|(id, _)| ItemFailure { item_identifier: id })
        .collect();
    crate::encode::Respond::respond(BatchResponse {
        batch_item_failures: failures,
    })
}

const TOO_LATE: &str = "too close to the deadline to start (see the batch handler's `margin_ms`)";

/// Whether less than `margin` is left before the invocation's deadline (never, when it is unknown).
fn out_of_time(invocation: &Invocation, margin: Duration) -> bool {
    invocation.context().remaining().is_some_and(|left| left < margin)
}

/// Decodes one record and starts its handler: the future resolves to its outcome, a panic caught.
fn start<R, F, Fut, O>(
    raw: R::Raw,
    invocation: &mut Invocation,
    call: &mut F,
) -> Result<impl Future<Output = Result<(), Error>> + use<R, F, Fut, O>, Error>
where
    R: BatchRecord,
    F: FnMut(R, &mut Invocation) -> Result<Fut, Error>,
    Fut: Future<Output = O>,
    O: RecordResult,
{
    // Decoding and the extractors run here, outside the record's future: a panic in them fails this
    // record too, not the whole batch.
    let started = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let record = R::decode(raw)?;
        call(record, invocation)
    }));
    let future = match started {
        Ok(started) => started?,
        Err(payload) => return Err(crate::runtime::panic::to_error(payload.as_ref())),
    };
    Ok(async move {
        match AssertUnwindSafe(future).catch_unwind().await {
            Ok(outcome) => outcome.into_result(),
            Err(payload) => Err(crate::runtime::panic::to_error(payload.as_ref())),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGE: &str = r#"{"messageId":"m-1","receiptHandle":"AQEB","body":"{\"n\": 1}",
        "attributes":{"ApproximateReceiveCount":"2","MessageGroupId":"g-1","SequenceNumber":"7"},
        "messageAttributes":{"tag":{"stringValue":"x","dataType":"String","stringListValues":[],"binaryListValues":[]}},
        "md5OfBody":"0123","eventSource":"aws:sqs","eventSourceARN":"arn:aws:sqs:eu-west-3:1:q.fifo",
        "awsRegion":"eu-west-3","somethingNew":{"kept":true}}"#;

    #[test]
    fn an_sqs_record_reads_id_group_and_body_once_and_gives_the_whole_message_on_demand() {
        let batch: SqsBatch = serde_json::from_str(&format!(r#"{{"Records":[{MESSAGE}]}}"#)).unwrap();
        let raw = batch.records.into_iter().next().unwrap();
        assert_eq!(SqsRecord::<serde_json::Value>::item_identifier(&raw), "m-1");
        assert_eq!(SqsRecord::<serde_json::Value>::order_key(&raw), Some("g-1"));
        let record = SqsRecord::<serde_json::Value>::decode(raw).unwrap();
        assert_eq!(record.body, serde_json::json!({"n": 1}));
        let expected: SqsMessage = serde_json::from_str(MESSAGE).unwrap();
        assert_eq!(
            record.message().unwrap(),
            expected,
            "the same as decoding the message whole"
        );
        assert_eq!(record.message().unwrap().other["somethingNew"]["kept"], true);
    }

    #[test]
    fn member_names_that_need_escapes_survive_in_the_whole_message() {
        let message = r#"{"messageId":"m-2","body":"1","we\"ird\\name":{"a":[1,2]},"tab\tbed":null}"#;
        let batch: SqsBatch = serde_json::from_str(&format!(r#"{{"Records":[{message}]}}"#)).unwrap();
        let record = SqsRecord::<u32>::decode(batch.records.into_iter().next().unwrap()).unwrap();
        assert_eq!((record.body, record.message_group_id.as_deref()), (1, None));
        let whole = serde_json::to_value(record.message().unwrap()).unwrap();
        assert_eq!(whole["we\"ird\\name"], serde_json::json!({"a": [1, 2]}), "{whole}");
        assert!(whole.as_object().unwrap().contains_key("tab\tbed"), "{whole}");
    }

    #[test]
    fn only_a_fifo_queues_groups_keep_an_order() {
        let fair = MESSAGE.replace("q.fifo", "q");
        let batch: SqsBatch = serde_json::from_str(&format!(r#"{{"Records":[{fair}]}}"#)).unwrap();
        let raw = batch.records.into_iter().next().unwrap();
        assert_eq!(SqsRecord::<u8>::order_key(&raw), None, "a fair standard queue");
        assert_eq!(raw.message_group_id.as_deref(), Some("g-1"), "its group is still given");
        let by_hand = r#"{"messageId":"m-3","body":"1","attributes":{"MessageGroupId":"g"}}"#;
        let batch: SqsBatch = serde_json::from_str(&format!(r#"{{"Records":[{by_hand}]}}"#)).unwrap();
        let raw = batch.records.into_iter().next().unwrap();
        assert_eq!(SqsRecord::<u8>::order_key(&raw), Some("g"), "no ARN: the group decides");
        let null_arn = r#"{"messageId":"m-5","body":"1","attributes":{"MessageGroupId":"g"},"eventSourceARN":null}"#;
        let batch: SqsBatch = serde_json::from_str(&format!(r#"{{"Records":[{null_arn}]}}"#)).unwrap();
        let raw = batch.records.into_iter().next().unwrap();
        assert_eq!(
            SqsRecord::<u8>::order_key(&raw),
            Some("g"),
            "an ARN that is not a string says nothing"
        );
    }

    #[test]
    fn ids_and_bodies_with_and_without_escapes_decode_the_same() {
        let message = r#"{"messageId":"m\u002d4","body":"{\"n\": \"\u00e9\"}","attributes":null}"#;
        let batch: SqsBatch = serde_json::from_str(&format!(r#"{{"Records":[{message}]}}"#)).unwrap();
        let raw = batch.records.into_iter().next().unwrap();
        assert_eq!(SqsRecord::<serde_json::Value>::item_identifier(&raw), "m-4");
        let record = SqsRecord::<serde_json::Value>::decode(raw).unwrap();
        assert_eq!(record.body, serde_json::json!({"n": "\u{e9}"}));
        assert_eq!(super::plain_string(r#""plain""#), Some("plain"));
        assert_eq!(super::plain_string(r#""a\"b""#), None);
        assert_eq!(super::plain_string("12"), None);
    }

    #[test]
    fn a_body_that_does_not_fit_names_where() {
        let batch: SqsBatch = serde_json::from_str(&format!(r#"{{"Records":[{MESSAGE}]}}"#)).unwrap();
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Wants {
            n: String,
        }
        let raw = batch.records.into_iter().next().unwrap();
        let error = SqsRecord::<Wants>::decode(raw).unwrap_err();
        assert_eq!(error.error_type(), "Runtime.UnmarshalError");
        assert!(error.message().contains("`body` at `n`"), "{}", error.message());
    }
}
