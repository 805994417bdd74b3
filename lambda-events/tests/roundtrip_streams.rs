//! Round trips and helper tests for the messaging, stream and storage events: SQS, SNS, EventBridge,
//! Kinesis, Firehose, DynamoDB Streams, Kafka, Amazon MQ, SES, S3 and CloudWatch Logs.

#![cfg(all(
    feature = "sqs",
    feature = "sns",
    feature = "eventbridge",
    feature = "kinesis",
    feature = "firehose",
    feature = "dynamodb",
    feature = "kafka",
    feature = "mq",
    feature = "ses",
    feature = "s3",
    feature = "cloudwatch_logs"
))]

mod common;

use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use common::{assert_round_trip, aws_example, own_fixture};
use lambda_fn_events::cloudwatch_logs::{LogData, LogEntry, LogsError, LogsEvent};
use lambda_fn_events::dynamodb::{
    AttributeValue, DynamoDbEvent, DynamoDbEventRecord, DynamoDbEventResponse, Item, OperationType, from_item, to_item,
};
use lambda_fn_events::eventbridge::{CloudTrailDetail, CloudWatchEvent, CodeDeployLifecycleEvent, EventBridgeEvent};
use lambda_fn_events::firehose::{
    FirehoseRecordResult, KinesisFirehoseEvent, KinesisFirehoseResponse, KinesisFirehoseResponseRecord,
};
use lambda_fn_events::kafka::KafkaEvent;
use lambda_fn_events::kinesis::{
    KinesisEvent, KinesisEventResponse, KinesisTimeWindowEvent, KinesisTimeWindowEventResponse,
};
use lambda_fn_events::mq::{ActiveMqEvent, RabbitMqEvent};
use lambda_fn_events::s3::{
    S3BatchJobEvent, S3BatchJobResponse, S3BatchJobResult, S3BatchResultCode, S3Event, S3ObjectLambdaEvent,
    S3ObjectLambdaResponse,
};
use lambda_fn_events::ses::{SimpleEmailDisposition, SimpleEmailDispositionResponse, SimpleEmailEvent};
use lambda_fn_events::sns::{SnsEvent, SnsEventObj, SnsMessage, SnsUrlKeyStyle};
use lambda_fn_events::sqs::{SqsApiEvent, SqsBatchResponse, SqsEvent, SqsEventObj};

type Check = fn(&Path);

fn rt<T: DeserializeOwned + Serialize>(path: &Path) {
    assert_round_trip::<T>(path);
}

/// Body of `example-sqs-event-obj.json`, fields in the order of the JSON text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct AbBody {
    a: String,
    b: i64,
}

/// Message of `example-sns-event-obj.json`, fields in the order of the JSON text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct FooBar {
    foo: String,
    bar: i64,
}

/// Every shared example payload of these sources, and the type it decodes into.
const SHARED: &[(&str, Check)] = &[
    // SQS
    ("example-sqs-event.json", rt::<SqsEvent>),
    ("example-sqs-event-obj.json", rt::<SqsEvent>),
    ("example-sqs-event-obj.json", rt::<SqsEventObj<AbBody>>),
    ("example-sqs-batch-response.json", rt::<SqsBatchResponse>),
    ("example-sqs-api-event-obj.json", rt::<SqsApiEvent>),
    // SNS
    ("example-sns-event.json", rt::<SnsEvent>),
    ("example-sns-event-pascal-case.json", rt::<SnsEvent>),
    ("example-sns-event-obj.json", rt::<SnsEvent>),
    ("example-sns-event-obj.json", rt::<SnsEventObj<FooBar>>),
    // EventBridge and the EventBridge-shaped service events
    ("example-eventbridge-event-obj.json", rt::<EventBridgeEvent>),
    ("example-eventbridge-schedule.json", rt::<EventBridgeEvent>),
    (
        "example-autoscaling-event-launch-successful.json",
        rt::<EventBridgeEvent>,
    ),
    (
        "example-autoscaling-event-launch-unsuccessful.json",
        rt::<EventBridgeEvent>,
    ),
    (
        "example-autoscaling-event-lifecycle-action.json",
        rt::<EventBridgeEvent>,
    ),
    (
        "example-autoscaling-event-terminate-action.json",
        rt::<EventBridgeEvent>,
    ),
    (
        "example-autoscaling-event-terminate-successful.json",
        rt::<EventBridgeEvent>,
    ),
    (
        "example-autoscaling-event-terminate-unsuccessful.json",
        rt::<EventBridgeEvent>,
    ),
    ("example-codebuild-phase-change.json", rt::<EventBridgeEvent>),
    ("example-codebuild-state-change.json", rt::<EventBridgeEvent>),
    ("example-codedeploy-deployment-event.json", rt::<EventBridgeEvent>),
    ("example-codedeploy-instance-event.json", rt::<EventBridgeEvent>),
    (
        "example-codedeploy-lifecycle-event.json",
        rt::<CodeDeployLifecycleEvent>,
    ),
    (
        "example-codepipeline-action-execution-stage-change-event.json",
        rt::<EventBridgeEvent>,
    ),
    (
        "example-codepipeline-execution-stage-change-event.json",
        rt::<EventBridgeEvent>,
    ),
    (
        "example-codepipeline-execution-state-change-event.json",
        rt::<EventBridgeEvent>,
    ),
    ("example-ecr-image-scan-event.json", rt::<EventBridgeEvent>),
    (
        "example-ecr-image-scan-event-with-missing-severities.json",
        rt::<EventBridgeEvent>,
    ),
    // The CloudTrail examples are the `detail` of "AWS API Call via CloudTrail" events.
    (
        "example-cloudwatch-cloudtrail-assumed-role.json",
        rt::<CloudTrailDetail>,
    ),
    (
        "example-cloudwatch-cloudtrail-unknown-federate.json",
        rt::<CloudTrailDetail>,
    ),
    (
        "example-cloudwatch-cloudtrail-unknown-user-auth.json",
        rt::<CloudTrailDetail>,
    ),
    // Kinesis and Firehose
    ("example-kinesis-event.json", rt::<KinesisEvent>),
    ("example-kinesis-event-encrypted.json", rt::<KinesisEvent>),
    ("example-firehose-event.json", rt::<KinesisFirehoseEvent>),
    ("example-kinesis-firehose-event.json", rt::<KinesisFirehoseEvent>),
    ("example-kinesis-firehose-response.json", rt::<KinesisFirehoseResponse>),
    // DynamoDB
    ("example-dynamodb-event.json", rt::<DynamoDbEvent>),
    (
        "example-dynamodb-event-record-with-optional-fields.json",
        rt::<DynamoDbEventRecord>,
    ),
    // Kafka, MQ
    ("example-kafka-event.json", rt::<KafkaEvent>),
    ("example-activemq-event.json", rt::<ActiveMqEvent>),
    ("example-rabbitmq-event.json", rt::<RabbitMqEvent>),
    // SES
    ("example-ses-event.json", rt::<SimpleEmailEvent>),
    ("example-ses-lambda-event.json", rt::<SimpleEmailEvent>),
    ("example-ses-s3-event.json", rt::<SimpleEmailEvent>),
    ("example-ses-sns-event.json", rt::<SimpleEmailEvent>),
    // S3
    ("example-s3-event.json", rt::<S3Event>),
    ("example-s3-event-with-decoded.json", rt::<S3Event>),
    (
        "example-s3-object-lambda-event-get-object-assumed-role.json",
        rt::<S3ObjectLambdaEvent>,
    ),
    (
        "example-s3-object-lambda-event-get-object-iam.json",
        rt::<S3ObjectLambdaEvent>,
    ),
    (
        "example-s3-object-lambda-event-head-object-iam.json",
        rt::<S3ObjectLambdaEvent>,
    ),
    (
        "example-s3-object-lambda-event-list-objects-iam.json",
        rt::<S3ObjectLambdaEvent>,
    ),
    (
        "example-s3-object-lambda-event-list-objects-v2-iam.json",
        rt::<S3ObjectLambdaEvent>,
    ),
    // CloudWatch Logs
    ("example-cloudwatch_logs-event.json", rt::<LogsEvent>),
];

/// Prefixes of the shared examples that belong to these sources (and so must all be listed above).
const SHARED_PREFIXES: &[&str] = &[
    "example-sqs-",
    "example-sns-",
    "example-eventbridge-",
    "example-autoscaling-",
    "example-codebuild-",
    "example-codedeploy-",
    "example-codepipeline-action-",
    "example-codepipeline-execution-",
    "example-ecr-image-scan-",
    "example-cloudwatch-cloudtrail-",
    "example-kinesis-",
    "example-firehose-",
    "example-dynamodb-",
    "example-kafka-",
    "example-activemq-",
    "example-rabbitmq-",
    "example-ses-",
    "example-s3-",
    "example-cloudwatch_logs-",
];

/// Every own fixture, and the type it decodes into.
const OWN: &[(&str, Check)] = &[
    ("sqs/event.json", rt::<SqsEvent>),
    ("sqs/event-null-maps.json", rt::<SqsEvent>),
    ("sqs/event-sns-body.json", rt::<SqsEvent>),
    ("sqs/batch-response.json", rt::<SqsBatchResponse>),
    ("sqs/batch-response-empty.json", rt::<SqsBatchResponse>),
    ("sqs/api-event.json", rt::<SqsApiEvent>),
    ("sns/event.json", rt::<SnsEvent>),
    ("sns/event-fifo-no-attributes.json", rt::<SnsEvent>),
    ("sns/notification-via-sqs.json", rt::<SnsMessage>),
    ("sns/subscription-confirmation.json", rt::<SnsMessage>),
    ("eventbridge/scheduled-event.json", rt::<EventBridgeEvent>),
    ("eventbridge/custom-event-replayed.json", rt::<EventBridgeEvent>),
    ("eventbridge/s3-object-created.json", rt::<CloudWatchEvent>),
    (
        "eventbridge/cloudtrail-api-call.json",
        rt::<EventBridgeEvent<CloudTrailDetail>>,
    ),
    (
        "eventbridge/codedeploy-lifecycle-hook.json",
        rt::<CodeDeployLifecycleEvent>,
    ),
    ("kinesis/event.json", rt::<KinesisEvent>),
    ("kinesis/batch-response.json", rt::<KinesisEventResponse>),
    ("kinesis/time-window-event.json", rt::<KinesisTimeWindowEvent>),
    (
        "kinesis/time-window-response.json",
        rt::<KinesisTimeWindowEventResponse>,
    ),
    ("firehose/event-direct-put.json", rt::<KinesisFirehoseEvent>),
    ("firehose/event-kinesis-source.json", rt::<KinesisFirehoseEvent>),
    ("firehose/response.json", rt::<KinesisFirehoseResponse>),
    ("dynamodb/event-insert-modify-remove.json", rt::<DynamoDbEvent>),
    ("dynamodb/event-keys-only.json", rt::<DynamoDbEvent>),
    ("dynamodb/batch-response.json", rt::<DynamoDbEventResponse>),
    ("kafka/msk-event.json", rt::<KafkaEvent>),
    ("kafka/self-managed-event.json", rt::<KafkaEvent>),
    ("mq/activemq-event.json", rt::<ActiveMqEvent>),
    ("mq/rabbitmq-event.json", rt::<RabbitMqEvent>),
    ("ses/lambda-action-event.json", rt::<SimpleEmailEvent>),
    ("ses/disposition-response.json", rt::<SimpleEmailDispositionResponse>),
    ("s3/event-put.json", rt::<S3Event>),
    ("s3/event-delete-marker.json", rt::<S3Event>),
    ("s3/event-restore-completed.json", rt::<S3Event>),
    ("s3/batch-job-event-1.0.json", rt::<S3BatchJobEvent>),
    ("s3/batch-job-event-2.0.json", rt::<S3BatchJobEvent>),
    ("s3/batch-job-response.json", rt::<S3BatchJobResponse>),
    ("s3/object-lambda-get-object.json", rt::<S3ObjectLambdaEvent>),
    ("s3/object-lambda-list-objects-v2.json", rt::<S3ObjectLambdaEvent>),
    ("s3/object-lambda-head-response.json", rt::<S3ObjectLambdaResponse>),
    ("s3/object-lambda-list-response.json", rt::<S3ObjectLambdaResponse>),
    ("s3/object-lambda-error-response.json", rt::<S3ObjectLambdaResponse>),
    ("cloudwatch_logs/event.json", rt::<LogsEvent>),
    ("cloudwatch_logs/control-message.json", rt::<LogsEvent>),
    ("cloudwatch_logs/account-policy-event.json", rt::<LogsEvent>),
];

const OWN_DIRS: &[&str] = &[
    "sqs",
    "sns",
    "eventbridge",
    "kinesis",
    "firehose",
    "dynamodb",
    "kafka",
    "mq",
    "ses",
    "s3",
    "cloudwatch_logs",
];

fn own<T: DeserializeOwned + Serialize>(rel: &str) -> T {
    assert_round_trip::<T>(&own_fixture(rel))
}

fn shared<T: DeserializeOwned + Serialize>(name: &str) -> T {
    assert_round_trip::<T>(&aws_example(name))
}

#[test]
fn aws_examples_round_trip() {
    for (name, check) in SHARED {
        check(&aws_example(name));
    }
}

#[test]
fn every_aws_example_of_these_sources_is_listed() {
    let dir = aws_example("");
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if SHARED_PREFIXES.iter().any(|p| name.starts_with(p)) && !SHARED.iter().any(|(n, _)| *n == name) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "shared fixtures with no type in SHARED: {missing:?}"
    );
}

#[test]
fn own_fixtures_round_trip() {
    for (rel, check) in OWN {
        check(&own_fixture(rel));
    }
}

#[test]
fn every_own_fixture_is_listed() {
    let mut missing = Vec::new();
    for dir in OWN_DIRS {
        for entry in std::fs::read_dir(own_fixture(dir)).unwrap() {
            let rel = format!("{dir}/{}", entry.unwrap().file_name().into_string().unwrap());
            if !OWN.iter().any(|(r, _)| *r == rel) {
                missing.push(rel);
            }
        }
    }
    assert!(missing.is_empty(), "own fixtures with no type in OWN: {missing:?}");
}

// ---------------------------------------------------------------------------------------------
// SQS

#[test]
fn sqs_event_fields_and_accessors() {
    let event: SqsEvent = own("sqs/event.json");
    assert_eq!(event.records.len(), 2);
    let first = &event.records[0];
    assert_eq!(first.message_id, "059f36b4-87a3-44ab-83d2-661975830a7d");
    assert_eq!(
        first.event_source_arn.as_deref(),
        Some("arn:aws:sqs:us-east-2:123456789012:orders")
    );
    assert_eq!(first.approximate_receive_count(), Some(1));
    assert_eq!(
        first.sent_timestamp(),
        Some(UNIX_EPOCH + Duration::from_millis(1_545_082_649_183))
    );
    assert_eq!(
        first.approximate_first_receive_timestamp(),
        Some(UNIX_EPOCH + Duration::from_millis(1_545_082_649_185))
    );
    assert_eq!(first.message_attributes["tenant"].string_value.as_deref(), Some("acme"));
    assert_eq!(first.message_attributes["priority"].data_type, "Number.int");
    let thumb = first.message_attributes["thumbnail"].binary_value.as_ref().unwrap();
    assert_eq!(&thumb.as_ref()[..4], b"\x89PNG");
    #[derive(Deserialize)]
    struct Order {
        #[serde(rename = "orderId")]
        order_id: u32,
        status: String,
    }
    let order: Order = first.body_json().unwrap();
    assert_eq!((order.order_id, order.status.as_str()), (1042, "paid"));

    let fifo = &event.records[1];
    assert_eq!(fifo.approximate_receive_count(), Some(3));
    assert_eq!(fifo.message_group_id(), Some("group-7"));
    assert_eq!(fifo.message_deduplication_id(), Some("dedup-2e14"));
    assert!(fifo.body_json::<serde_json::Value>().is_err(), "plain text is not JSON");
}

#[test]
fn sqs_null_maps_decode_to_empty() {
    let event: SqsEvent = own("sqs/event-null-maps.json");
    let m = &event.records[0];
    assert!(m.attributes.is_empty());
    assert!(m.message_attributes.is_empty());
    assert_eq!(m.md5_of_message_attributes, None);
    assert_eq!(m.approximate_receive_count(), None);

    // Lists AWS sends as null decode as empty too.
    let attr: lambda_fn_events::sqs::SqsMessageAttribute = serde_json::from_str(
        r#"{"stringValue": "x", "stringListValues": null, "binaryListValues": null, "dataType": "String"}"#,
    )
    .unwrap();
    assert!(attr.string_list_values.is_empty() && attr.binary_list_values.is_empty());
}

#[test]
fn sqs_event_obj_decodes_bodies() {
    let event: SqsEventObj<AbBody> = shared("example-sqs-event-obj.json");
    assert_eq!(
        event.records[0].body,
        AbBody {
            a: "Test".into(),
            b: 123
        }
    );
    assert_eq!(
        event.records[0].message_attributes["Attribute3"]
            .binary_list_values
            .len(),
        3
    );
    assert_eq!(
        event.records[0].message_attributes["Attribute3"]
            .binary_value
            .as_ref()
            .unwrap()
            .as_ref(),
        b"1100"
    );
}

#[test]
fn sqs_batch_response_builders() {
    let response = SqsBatchResponse::from_failed_ids(["id2", "id4"]);
    let expected = common::read_json(&aws_example("example-sqs-batch-response.json"));
    assert_eq!(serde_json::to_value(&response).unwrap(), expected);

    let collected: SqsBatchResponse = vec![String::from("id2"), String::from("id4")].into_iter().collect();
    assert_eq!(collected, response);

    let mut empty = SqsBatchResponse::default();
    assert!(empty.is_success());
    assert_eq!(serde_json::to_string(&empty).unwrap(), r#"{"batchItemFailures":[]}"#);
    empty.add_failure("x");
    assert!(!empty.is_success());
    assert_eq!(
        serde_json::to_string(&empty).unwrap(),
        r#"{"batchItemFailures":[{"itemIdentifier":"x"}]}"#
    );
}

#[test]
fn sqs_api_event_fields() {
    let api: SqsApiEvent = own("sqs/api-event.json");
    let m = &api.messages[0];
    assert_eq!(m.message_id, "d6790f8d-d575-4f01-bc51-40122EXAMPLE");
    assert_eq!(m.body_md5(), Some("1000f835...a35411fa"));
    assert_eq!(
        m.message_attributes["checksum"].binary_value.as_ref().unwrap().as_ref(),
        &[0xde, 0xad, 0xbe, 0xef]
    );
    let body: serde_json::Value = m.body_json().unwrap();
    assert_eq!(body["width"], 640);

    let shared_api: SqsApiEvent = shared("example-sqs-api-event-obj.json");
    let m = &shared_api.messages[0];
    assert_eq!(
        m.body_md5(),
        Some("2b3e4f40b57e80d67ac5b9660c56d787"),
        "the Md5OfBody spelling is found too"
    );
    let body: serde_json::Value = m.body_json().unwrap();
    assert_eq!(body["city"], "provincetown");
}

#[test]
fn sns_via_sqs_body() {
    let event: SqsEvent = own("sqs/event-sns-body.json");
    let sns = event.records[0].sns_notification().unwrap();
    assert_eq!(sns.message_type.as_deref(), Some("Notification"));
    assert_eq!(sns.topic_arn, "arn:aws:sns:us-east-1:123456789012:shipments");
    assert_eq!(sns.subject.as_deref(), Some("Shipment"));
    assert_eq!(sns.urls.key_style, SnsUrlKeyStyle::UpperUrl);
    assert_eq!(
        sns.signing_cert_url(),
        Some("https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem")
    );
    assert_eq!(sns.message_attributes["carrier"].value, "ups");
    #[derive(Deserialize)]
    struct Shipment {
        #[serde(rename = "shipmentId")]
        shipment_id: String,
        items: u32,
    }
    let shipment: Shipment = sns.message_json().unwrap();
    assert_eq!((shipment.shipment_id.as_str(), shipment.items), ("S-9", 2));
    assert_eq!(SnsMessage::from_sqs_body(&event.records[0].body).unwrap(), sns);
}

// ---------------------------------------------------------------------------------------------
// SNS

#[test]
fn sns_event_fields_and_url_spellings() {
    let event: SnsEvent = own("sns/event.json");
    let record = &event.records[0];
    assert_eq!(record.event_source.as_deref(), Some("aws:sns"));
    let sns = &record.sns;
    assert_eq!(sns.subject, None);
    assert_eq!(sns.message, "disk usage above 90% on host web-3");
    assert_eq!(sns.message_attributes["hosts"].data_type, "String.Array");
    assert_eq!(sns.message_attributes["threshold"].value, "90");
    assert_eq!(sns.urls.key_style, SnsUrlKeyStyle::CamelUrl);
    assert!(sns.unsubscribe_url().unwrap().contains("Action=Unsubscribe"));
    assert_eq!(
        sns.timestamp(),
        Some(UNIX_EPOCH + Duration::from_millis(1_708_343_162_087))
    );

    // The same notification spelled both ways keeps its spelling on encode.
    let upper: SnsEvent = shared("example-sns-event.json");
    let camel: SnsEvent = shared("example-sns-event-pascal-case.json");
    assert_eq!(
        upper.records[0].sns.urls.signing_cert_url,
        camel.records[0].sns.urls.signing_cert_url
    );
    let upper_json = serde_json::to_value(&upper).unwrap();
    let camel_json = serde_json::to_value(&camel).unwrap();
    assert!(upper_json["Records"][0]["Sns"].get("SigningCertURL").is_some());
    assert!(camel_json["Records"][0]["Sns"].get("SigningCertUrl").is_some());
    assert!(camel_json["Records"][0]["Sns"].get("SigningCertURL").is_none());

    let fifo: SnsEvent = own("sns/event-fifo-no-attributes.json");
    let sns = &fifo.records[0].sns;
    assert_eq!(sns.sequence_number.as_deref(), Some("10000000000000012000"));
    assert!(sns.message_attributes.is_empty());
    assert_eq!(sns.signing_cert_url(), None);
    assert!(sns.unsubscribe_url().is_some());
    assert_eq!(sns.subject, None);
}

#[test]
fn sns_event_obj_and_confirmation() {
    let event: SnsEventObj<FooBar> = shared("example-sns-event-obj.json");
    assert_eq!(
        event.records[0].sns.message,
        FooBar {
            foo: "Hello world!".into(),
            bar: 123
        }
    );
    assert!(event.records[0].sns.timestamp().is_some());

    let confirmation: SnsMessage = own("sns/subscription-confirmation.json");
    assert_eq!(confirmation.message_type.as_deref(), Some("SubscriptionConfirmation"));
    assert!(
        confirmation.other["SubscribeURL"]
            .as_str()
            .unwrap()
            .contains("ConfirmSubscription")
    );
    assert!(confirmation.other.contains_key("Token"));
}

// ---------------------------------------------------------------------------------------------
// EventBridge

#[test]
fn eventbridge_fields_and_generic_detail() {
    let scheduled: EventBridgeEvent = own("eventbridge/scheduled-event.json");
    assert_eq!(scheduled.detail_type, "Scheduled Event");
    assert_eq!(scheduled.time(), Some(UNIX_EPOCH + Duration::from_secs(1_705_305_600)));
    assert_eq!(scheduled.resources.len(), 1);

    #[derive(Debug, Serialize, Deserialize)]
    struct Order {
        #[serde(rename = "orderId")]
        order_id: String,
        amount: f64,
        items: Vec<serde_json::Value>,
        gift: bool,
    }
    let order: EventBridgeEvent<Order> = own("eventbridge/custom-event-replayed.json");
    assert_eq!(order.detail.order_id, "O-2001");
    assert_eq!(order.detail.amount, 49.95);
    assert_eq!(order.replay_name.as_deref(), Some("replay-2024-04-02"));
    assert_eq!(order.source, "com.example.shop");

    let no_version: EventBridgeEvent = shared("example-eventbridge-event-obj.json");
    assert_eq!(no_version.version, None);
    assert_eq!(no_version.detail["state"], "pending");

    let trail: EventBridgeEvent<CloudTrailDetail> = own("eventbridge/cloudtrail-api-call.json");
    assert_eq!(trail.detail.event_name.as_deref(), Some("PutBucketPolicy"));
    assert_eq!(
        trail.detail.user_identity.as_ref().unwrap().user_name.as_deref(),
        Some("deployer")
    );
    assert_eq!(trail.detail.response_elements, None);
    assert!(trail.detail.other.contains_key("tlsDetails"));
    assert!(trail.detail.event_time().is_some());

    let assumed: CloudTrailDetail = shared("example-cloudwatch-cloudtrail-assumed-role.json");
    let issuer = assumed
        .user_identity
        .unwrap()
        .session_context
        .unwrap()
        .session_issuer
        .unwrap();
    assert_eq!(issuer.issuer_type.as_deref(), Some("Role"));

    let hook: CodeDeployLifecycleEvent = shared("example-codedeploy-lifecycle-event.json");
    assert!(!hook.deployment_id.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Kinesis and Firehose

#[test]
fn kinesis_data_and_timestamps() {
    let event: KinesisEvent = own("kinesis/event.json");
    let [a, b, c] = &event.records[..] else {
        panic!("three records")
    };
    assert_eq!(a.kinesis.data_str(), Some(r#"{"deviceId":17,"temp":21.5}"#));
    assert_eq!(
        a.kinesis.approximate_arrival_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_710_000_000_123))
    );
    assert!(!a.kinesis.is_encrypted());
    assert_eq!(b.kinesis.data.as_ref(), &[0, 1, 2, 253, 254, 255]);
    assert!(b.kinesis.is_encrypted());
    assert_eq!(
        b.kinesis.approximate_arrival_time(),
        Some(UNIX_EPOCH + Duration::from_secs(1_710_000_001))
    );
    assert!(c.kinesis.data.as_ref().is_empty());
    assert_eq!(
        c.event_source_arn.as_deref(),
        Some("arn:aws:kinesis:us-east-2:123456789012:stream/telemetry")
    );

    // Whole-second timestamps are written back as integers, fractional ones as floats.
    let json = serde_json::to_value(&event).unwrap();
    assert!(json["Records"][1]["kinesis"]["approximateArrivalTimestamp"].is_i64());
    assert!(json["Records"][0]["kinesis"]["approximateArrivalTimestamp"].is_f64());

    let shared_event: KinesisEvent = shared("example-kinesis-event-encrypted.json");
    assert_eq!(shared_event.records[0].kinesis.data.as_ref(), b"Hello World");
    assert_eq!(shared_event.records[0].kinesis.encryption_type.as_deref(), Some("KMS"));
    assert_eq!(shared_event.records[1].kinesis.encryption_type, None);
}

#[test]
fn kinesis_responses_and_windows() {
    let event: KinesisEvent = own("kinesis/event.json");
    let response = KinesisEventResponse::from_failed_ids([event.records[1].kinesis.sequence_number.clone()]);
    let expected = common::read_json(&own_fixture("kinesis/batch-response.json"));
    assert_eq!(serde_json::to_value(&response).unwrap(), expected);
    assert_eq!(
        serde_json::to_string(&KinesisEventResponse::default()).unwrap(),
        r#"{"batchItemFailures":[]}"#
    );

    let window: KinesisTimeWindowEvent = own("kinesis/time-window-event.json");
    assert_eq!(window.state["count"], "41");
    assert_eq!(window.is_final_invoke_for_window, Some(false));
    let bounds = window.window.as_ref().unwrap();
    assert_eq!(
        bounds.end().unwrap().duration_since(bounds.start().unwrap()).unwrap(),
        Duration::from_secs(300)
    );
    let reply: KinesisTimeWindowEventResponse = own("kinesis/time-window-response.json");
    assert_eq!(reply.state["count"], "42");
    // A built response writes `state` even when it is empty.
    assert_eq!(
        serde_json::to_string(&KinesisTimeWindowEventResponse::default()).unwrap(),
        r#"{"state":{},"batchItemFailures":[]}"#
    );
}

#[test]
fn firehose_event_and_response_builders() {
    let event: KinesisFirehoseEvent = own("firehose/event-direct-put.json");
    assert_eq!(event.source_kinesis_stream_arn, None);
    assert_eq!(
        event.records[0].data.as_ref(),
        b"{\"page\":\"/home\",\"user\":\"u-1\"}\n"
    );
    assert_eq!(
        event.records[0].approximate_arrival_time(),
        UNIX_EPOCH + Duration::from_millis(1_710_000_000_123)
    );

    let from_kinesis: KinesisFirehoseEvent = own("firehose/event-kinesis-source.json");
    let meta = from_kinesis.records[0].kinesis_record_metadata.as_ref().unwrap();
    assert_eq!(meta.shard_id.as_deref(), Some("shardId-000000000002"));
    assert_eq!(meta.subsequence_number, Some(0));

    // Build the response fixture with the constructors.
    let built = KinesisFirehoseResponse::new([
        KinesisFirehoseResponseRecord::ok(
            &event.records[0].record_id,
            b"{\"page\":\"/home\",\"user\":\"u-1\",\"processed\":true}\n".to_vec(),
        )
        .with_partition_key("customer_id", "u-1")
        .with_partition_key("year", "2024"),
        KinesisFirehoseResponseRecord::processing_failed(&event.records[1].record_id, event.records[1].data.0.clone()),
        KinesisFirehoseResponseRecord::dropped(&from_kinesis.records[0].record_id),
    ]);
    let expected = common::read_json(&own_fixture("firehose/response.json"));
    assert_eq!(serde_json::to_value(&built).unwrap(), expected);

    // Undocumented result values survive as they are.
    let odd: KinesisFirehoseResponse = shared("example-kinesis-firehose-response.json");
    assert_eq!(
        odd.records[0].result,
        FirehoseRecordResult::Other("TRANSFORMED_STATE_OK".into())
    );
    assert_eq!(
        odd.records[2].metadata.as_ref().unwrap().partition_keys["iamKey1"],
        "iamValue1"
    );
    let decoded: KinesisFirehoseResponse = own("firehose/response.json");
    assert_eq!(decoded.records[2].result, FirehoseRecordResult::Dropped);
    assert_eq!(decoded.records[2].data, None);
}

// ---------------------------------------------------------------------------------------------
// DynamoDB

#[test]
fn dynamodb_images_and_attribute_values() {
    let event: DynamoDbEvent = own("dynamodb/event-insert-modify-remove.json");
    let [insert, modify, remove] = &event.records[..] else {
        panic!("three records")
    };
    assert_eq!(insert.operation(), Some(OperationType::Insert));
    assert_eq!(modify.operation(), Some(OperationType::Modify));
    assert_eq!(remove.operation(), Some(OperationType::Remove));
    assert!(remove.is_ttl_delete() && !insert.is_ttl_delete());

    let img = &insert.dynamodb.new_image;
    assert_eq!(img["name"].as_s(), Some("Ada"));
    assert_eq!(img["age"].as_number::<u8>(), Some(36));
    assert_eq!(img["balance"].as_number::<f64>(), Some(-12.75));
    assert_eq!(&img["avatar"].as_b().unwrap()[..4], b"\x89PNG");
    assert_eq!(img["tags"].as_ss().unwrap(), ["admin", "beta"]);
    assert_eq!(img["scores"].as_ns().unwrap(), ["1", "2.5", "1e3"]);
    assert_eq!(img["keys"].as_bs().unwrap(), [vec![1, 2, 3], vec![4, 5, 6]]);
    assert_eq!(img["active"].as_bool(), Some(true));
    assert!(img["deletedAt"].is_null());
    let address = img["address"].as_m().unwrap();
    assert_eq!(address["geo"].as_l().unwrap()[1].as_n(), Some("-0.12"));
    assert_eq!(img["history"].as_l().unwrap().len(), 4);
    assert_eq!(insert.dynamodb.keys.len(), 2);
    assert!(insert.dynamodb.old_image.is_empty());
    assert_eq!(
        insert.dynamodb.approximate_creation_time(),
        Some(UNIX_EPOCH + Duration::from_secs(1_710_000_000))
    );
    assert_eq!(
        modify.dynamodb.approximate_creation_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_710_000_060_500))
    );
    assert_eq!(modify.dynamodb.old_image["age"], AttributeValue::N("36".into()));
    assert_eq!(modify.dynamodb.new_image["age"], AttributeValue::from(37));

    let keys_only: DynamoDbEvent = own("dynamodb/event-keys-only.json");
    let record = &keys_only.records[0].dynamodb;
    assert!(
        record.new_image.is_empty() && record.old_image.is_empty(),
        "null images decode to empty"
    );
    assert_eq!(record.keys["id"].as_b(), Some(&[0xde, 0xad, 0xbe, 0xef][..]));
    assert_eq!(record.stream_view_type.as_deref(), Some("KEYS_ONLY"));

    let shared_event: DynamoDbEvent = shared("example-dynamodb-event.json");
    let img = &shared_event.records[1].dynamodb.new_image;
    assert_eq!(img["EmptyStringSet"].as_ss(), Some(&[][..]));
    assert_eq!(img["Map"].as_m().unwrap()["Age"].as_number::<u32>(), Some(35));
    let optional: DynamoDbEventRecord = shared("example-dynamodb-event-record-with-optional-fields.json");
    assert_eq!(optional.user_identity, None);
    assert_eq!(optional.table_name.as_deref(), Some("examples"));
    assert_eq!(optional.dynamodb.size_bytes, Some(292));
}

#[test]
fn dynamodb_items_to_and_from_user_types() {
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Address {
        city: String,
        zip: String,
        geo: Vec<f64>,
    }
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct User {
        pk: String,
        name: String,
        age: u32,
        tags: Vec<String>,
        active: bool,
        #[serde(rename = "deletedAt")]
        deleted_at: Option<String>,
        address: Address,
    }
    let event: DynamoDbEvent = own("dynamodb/event-insert-modify-remove.json");
    let user: User = from_item(&event.records[0].dynamodb.new_image).unwrap();
    assert_eq!(user.name, "Ada");
    assert_eq!(user.age, 36);
    assert_eq!(user.tags, ["admin", "beta"]);
    assert_eq!(user.deleted_at, None);
    assert_eq!(user.address.geo, [51.53, -0.12]);

    let item: Item = to_item(&user).unwrap();
    assert_eq!(item["age"], AttributeValue::N("36".into()));
    assert_eq!(item["deletedAt"], AttributeValue::Null);
    assert_eq!(item["address"].as_m().unwrap()["city"], AttributeValue::from("London"));
    let back: User = from_item(&item).unwrap();
    assert_eq!(back, user);
    assert!(to_item(&42).is_err());
}

#[test]
fn dynamodb_attribute_value_errors() {
    for bad in [
        r#"{}"#,
        r#"{"S": "a", "N": "1"}"#,
        r#"{"X": 1}"#,
        r#"{"B": "not base64!"}"#,
        r#""S""#,
        r#"{"NULL": "yes"}"#,
    ] {
        assert!(
            serde_json::from_str::<AttributeValue>(bad).is_err(),
            "{bad} should not decode"
        );
    }
    let response = DynamoDbEventResponse::from_failed_ids(["111100000000000000000002"]);
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        common::read_json(&own_fixture("dynamodb/batch-response.json"))
    );
}

// ---------------------------------------------------------------------------------------------
// Kafka and MQ

#[test]
fn kafka_records_keys_values_headers() {
    let event: KafkaEvent = own("kafka/msk-event.json");
    assert_eq!(event.all_records().count(), 3);
    let first = &event.records["orders-0"][0];
    assert_eq!(first.key_str(), Some("order-101"));
    assert_eq!(first.value_str(), Some(r#"{"id":101,"total":30}"#));
    assert_eq!(first.header_str("content-type"), Some("application/json"));
    assert_eq!(first.header("trace-id"), Some(&b"abc-123"[..]));
    assert_eq!(first.header("missing"), None);
    assert_eq!(first.time(), UNIX_EPOCH + Duration::from_millis(1_710_000_000_000));
    let keyless = &event.records["orders-1"][0];
    assert_eq!(keyless.key, None);
    assert_eq!(keyless.header("bin"), Some(&[0, 255, 128][..]));
    assert_eq!(keyless.timestamp_type.as_deref(), Some("LOG_APPEND_TIME"));

    let self_managed: KafkaEvent = own("kafka/self-managed-event.json");
    assert_eq!(self_managed.event_source_arn, None);
    let tombstone = &self_managed.records["audit-log-3"][1];
    assert_eq!(tombstone.value, None);
    assert_eq!(tombstone.offset, 9_000_000_002);

    let msk: KafkaEvent = shared("example-kafka-event.json");
    assert_eq!(
        msk.records["AWSKafkaTopic-0"][0].header_str("headerKey"),
        Some("headerValue")
    );

    // Java's signed bytes are accepted.
    let signed: lambda_fn_events::kafka::KafkaHeaderValue = serde_json::from_str("[-1, -128, 127]").unwrap();
    assert_eq!(signed.0, [255, 128, 127]);
    assert!(serde_json::from_str::<lambda_fn_events::kafka::KafkaHeaderValue>("[256]").is_err());
}

#[test]
fn mq_messages() {
    let active: ActiveMqEvent = own("mq/activemq-event.json");
    let text = &active.messages[0];
    assert_eq!(text.data_str(), Some("ORDER 55 CREATED"));
    assert_eq!(text.correlation_id.as_deref(), Some("order-55"));
    assert_eq!(text.properties["region"], "emea");
    assert_eq!(text.destination.as_ref().unwrap().physical_name, "orders.queue");
    assert_eq!(text.time(), Some(UNIX_EPOCH + Duration::from_millis(1_710_000_000_100)));
    assert_eq!(active.messages[1].data.as_ref(), &[1, 2, 3, 4, 5]);
    assert!(active.messages[1].properties.is_empty());

    let rabbit: RabbitMqEvent = own("mq/rabbitmq-event.json");
    let mut seen: Vec<_> = rabbit
        .messages()
        .map(|(q, v, m)| (q, v, m.data_str().unwrap()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("audit", "prod-vhost", "hello"),
            ("invoices", "/", r#"{"invoice":"INV-9"}"#)
        ]
    );
    let props = &rabbit.rmq_messages_by_queue["invoices::/"][0].basic_properties;
    assert_eq!(props.header_str("x-tenant").as_deref(), Some("acme"));
    assert_eq!(props.headers["x-attempt"], 2);
    assert_eq!(props.content_encoding, None);
    assert_eq!(props.body_size, Some(19));

    let shared_rabbit: RabbitMqEvent = shared("example-rabbitmq-event.json");
    let props = &shared_rabbit.rmq_messages_by_queue["test::/"][0].basic_properties;
    assert_eq!(props.header_str("header1").as_deref(), Some("value1"));
    assert_eq!(props.header_bytes("numberInHeader"), None);
}

// ---------------------------------------------------------------------------------------------
// SES

#[test]
fn ses_records_and_disposition() {
    let event: SimpleEmailEvent = own("ses/lambda-action-event.json");
    let ses = &event.records[0].ses;
    assert_eq!(ses.mail.destination.len(), 2);
    assert_eq!(ses.mail.common_headers.cc, ["sales@example.com"]);
    assert_eq!(ses.mail.common_headers.reply_to, ["alice+replies@example.org"]);
    assert!(ses.mail.common_headers.bcc.is_empty());
    assert_eq!(ses.mail.header("message-id"), Some("<20240309160000.1234@example.org>"));
    assert_eq!(
        ses.mail.timestamp(),
        Some(UNIX_EPOCH + Duration::from_millis(1_710_000_000_123))
    );
    assert!(ses.receipt.spam_verdict.as_ref().unwrap().is_pass());
    assert!(!ses.receipt.spf_verdict.as_ref().unwrap().is_pass());
    assert_eq!(ses.receipt.dmarc_policy.as_deref(), Some("quarantine"));
    assert_eq!(ses.receipt.action.invocation_type.as_deref(), Some("RequestResponse"));

    let s3_action: SimpleEmailEvent = shared("example-ses-s3-event.json");
    let action = &s3_action.records[0].ses.receipt.action;
    assert_eq!(action.action_type, "S3");
    assert_eq!(action.bucket_name.as_deref(), Some("my-S3-bucket"));
    assert_eq!(action.object_key.as_deref(), Some("email"));
    let sns_action: SimpleEmailEvent = shared("example-ses-sns-event.json");
    assert_eq!(sns_action.records[0].ses.receipt.action.action_type, "SNS");

    let reply: SimpleEmailDispositionResponse = own("ses/disposition-response.json");
    assert_eq!(reply.disposition, SimpleEmailDisposition::StopRuleSet);
    assert_eq!(
        serde_json::to_string(&SimpleEmailDisposition::Continue.response()).unwrap(),
        r#"{"disposition":"CONTINUE"}"#
    );
}

// ---------------------------------------------------------------------------------------------
// S3

#[test]
fn s3_notifications_and_key_decoding() {
    let event: S3Event = own("s3/event-put.json");
    let record = &event.records[0];
    assert_eq!(record.s3.object.decoded_key(), "holiday 2024/café & beach+1.jpg");
    assert_eq!(record.s3.object.size, Some(1_305_107));
    assert_eq!(record.s3.bucket.name, "photo-uploads");
    assert_eq!(record.response_elements["x-amz-request-id"], "D82B88E5F771F645");
    assert_eq!(
        record.request_parameters.as_ref().unwrap().source_ip_address,
        "198.51.100.23"
    );
    assert_eq!(
        record.event_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_710_000_000_456))
    );

    let deleted: S3Event = own("s3/event-delete-marker.json");
    assert_eq!(deleted.records[0].s3.object.size, None);
    assert_eq!(deleted.records[0].s3.object.e_tag, None);

    let restored: S3Event = own("s3/event-restore-completed.json");
    let restore = restored.records[0]
        .glacier_event_data
        .as_ref()
        .unwrap()
        .restore_event_data
        .as_ref()
        .unwrap();
    assert_eq!(restore.lifecycle_restore_storage_class.as_deref(), Some("DEEP_ARCHIVE"));
    assert!(restore.lifecycle_restoration_expiry_time().is_some());

    let decoded: S3Event = shared("example-s3-event-with-decoded.json");
    let object = &decoded.records[0].s3.object;
    assert_eq!(object.url_decoded_key.as_deref(), Some("Happy Face.jpg"));
    assert_eq!(object.decoded_key(), "Happy Face.jpg");
    assert_eq!(
        decoded.records[0].event_time(),
        Some(UNIX_EPOCH + Duration::from_millis(123))
    );

    // Malformed escapes are kept, invalid UTF-8 replaced.
    let odd = lambda_fn_events::s3::S3Object {
        key: "100%+sure%zz%ff".into(),
        ..Default::default()
    };
    assert_eq!(odd.decoded_key(), "100% sure%zz\u{fffd}");
}

#[test]
fn s3_batch_jobs() {
    let v1: S3BatchJobEvent = own("s3/batch-job-event-1.0.json");
    assert_eq!(v1.tasks[0].decoded_key(), "invoices/2024/March report.pdf");
    assert_eq!(v1.tasks[0].bucket_name(), Some("finance-docs"));
    assert!(v1.job.user_arguments.is_empty());

    let v2: S3BatchJobEvent = own("s3/batch-job-event-2.0.json");
    assert_eq!(v2.job.user_arguments["targetFormat"], "webp");
    assert_eq!(v2.tasks[0].s3_version_id, None);
    assert_eq!(v2.tasks[0].bucket_name(), Some("media--use1-az4--x-s3"));
    assert_eq!(v2.tasks[0].decoded_key(), "images/cat photo.png");

    let mut built = S3BatchJobResponse::for_event(
        &v2,
        [S3BatchJobResult::temporary_failure(
            &v2.tasks[0].task_id,
            "throttled by image service, retry",
        )],
    );
    built.treat_missing_keys_as = Some(S3BatchResultCode::PermanentFailure);
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        common::read_json(&own_fixture("s3/batch-job-response.json"))
    );
    let ok = S3BatchJobResult::succeeded("t", "fine");
    assert_eq!(serde_json::to_value(&ok).unwrap()["resultCode"], "Succeeded");
    assert_eq!(
        S3BatchJobResult::permanent_failure("t", "no").result_code.as_str(),
        "PermanentFailure"
    );
}

#[test]
fn s3_object_lambda() {
    let get: S3ObjectLambdaEvent = own("s3/object-lambda-get-object.json");
    let ctx = get.get_object_context.as_ref().unwrap();
    assert_eq!(ctx.output_route, "io-use1-002");
    assert_eq!(ctx.output_token, "OUTPUT-TOKEN-EXAMPLE");
    assert_eq!(get.user_request.headers["Range"], "bytes=0-1023");
    let session = get.user_identity.session_context.as_ref().unwrap();
    assert_eq!(session.attributes["mfaAuthenticated"], "true");
    assert_eq!(
        session.session_issuer.as_ref().unwrap().user_name.as_deref(),
        Some("Analyst")
    );
    let payload: serde_json::Value = get.configuration.payload_json().unwrap().unwrap();
    assert_eq!(payload["redact"][1], "phone");

    let list: S3ObjectLambdaEvent = own("s3/object-lambda-list-objects-v2.json");
    assert!(list.get_object_context.is_none());
    assert!(list.input_s3_url().unwrap().contains("list-type=2"));
    assert_eq!(list.configuration.payload_json::<serde_json::Value>().unwrap(), None);

    let head: S3ObjectLambdaEvent = shared("example-s3-object-lambda-event-head-object-iam.json");
    assert!(head.head_object_context.is_some());
    assert_eq!(head.protocol_version, "1.01");

    let built = S3ObjectLambdaResponse::ok()
        .with_header("Content-Length", "1024")
        .with_header("Content-Type", "text/csv")
        .with_header("x-amz-meta-redacted", "true");
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        common::read_json(&own_fixture("s3/object-lambda-head-response.json"))
    );
    let error = S3ObjectLambdaResponse::error(403, "AccessDenied", "listing is restricted to the finance team");
    assert_eq!(
        serde_json::to_value(&error).unwrap(),
        common::read_json(&own_fixture("s3/object-lambda-error-response.json"))
    );
    let listed: S3ObjectLambdaResponse = own("s3/object-lambda-list-response.json");
    assert!(listed.list_result_xml.unwrap().contains("<Key>q1.csv</Key>"));
}

// ---------------------------------------------------------------------------------------------
// CloudWatch Logs

#[test]
fn cloudwatch_logs_decode() {
    let event: LogsEvent = own("cloudwatch_logs/event.json");
    let data = event.decode().unwrap();
    assert_eq!(data.log_group, "/aws/lambda/checkout");
    assert_eq!(data.subscription_filters, ["errors-to-lambda"]);
    assert!(!data.is_control_message());
    assert_eq!(data.log_events.len(), 2);
    assert_eq!(data.log_events[1].message, "ERROR payment declined card=****4242");
    assert_eq!(data.log_events[1].extracted_fields.as_ref().unwrap()["level"], "ERROR");
    assert_eq!(
        data.log_events[0].time(),
        UNIX_EPOCH + Duration::from_millis(1_710_000_000_000)
    );
    assert_eq!(data.policy_level, None);

    let control = assert_round_trip::<LogsEvent>(&own_fixture("cloudwatch_logs/control-message.json"))
        .decode()
        .unwrap();
    assert!(control.is_control_message());
    let account = assert_round_trip::<LogsEvent>(&own_fixture("cloudwatch_logs/account-policy-event.json"))
        .decode()
        .unwrap();
    assert_eq!(account.policy_level.as_deref(), Some("ACCOUNT_LEVEL_POLICY"));

    let shared_event: LogsEvent = shared("example-cloudwatch_logs-event.json");
    let shared_data = shared_event.decode().unwrap();
    assert_eq!(shared_data.message_type, "DATA_MESSAGE");
    assert!(!shared_data.log_events.is_empty());
}

#[test]
fn cloudwatch_logs_encode_round_trip_and_errors() {
    let data = LogData {
        owner: "123456789012".into(),
        log_group: "/aws/lambda/f".into(),
        log_stream: "s".into(),
        subscription_filters: vec!["f".into()],
        message_type: "DATA_MESSAGE".into(),
        log_events: (0..50)
            .map(|i| LogEntry::new(i.to_string(), 1_700_000_000_000 + i, format!("line {i}")))
            .collect(),
        ..Default::default()
    };
    let event = data.encode().unwrap();
    assert_eq!(event.decode().unwrap(), data);
    assert_eq!(LogsEvent::from_data(&data).unwrap().decode().unwrap(), data);

    let not_base64 = LogsEvent {
        awslogs: lambda_fn_events::cloudwatch_logs::AwsLogs {
            data: "%%%".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(matches!(not_base64.decode(), Err(LogsError::Base64(_))));
    let not_gzip = LogsEvent {
        awslogs: lambda_fn_events::cloudwatch_logs::AwsLogs {
            data: "aGVsbG8=".into(),
            ..Default::default()
        },
        ..Default::default()
    };
    let err = not_gzip.decode().unwrap_err();
    assert!(matches!(err, LogsError::Gzip(_)));
    assert!(err.to_string().contains("gzip"));
    assert!(std::error::Error::source(&err).is_some());
}

/// Some forwarders compress `awslogs.data` with zlib rather than gzip; `decode` tells them apart
/// by the first bytes.
#[test]
fn cloudwatch_logs_zlib_payloads_decode() {
    use std::io::Write as _;

    use base64::Engine as _;
    use flate2::Compression;
    use flate2::write::ZlibEncoder;

    let data = LogData {
        owner: "210987654321".into(),
        log_group: "/aws/lambda/zlib".into(),
        log_stream: "2024/06/01/[$LATEST]0123456789abcdef".into(),
        subscription_filters: vec!["everything".into()],
        message_type: "DATA_MESSAGE".into(),
        log_events: vec![
            LogEntry::new("1", 1_717_200_000_000, "START RequestId: r-1"),
            LogEntry::new("2", 1_717_200_000_001, "deflated, not gzipped"),
        ],
        ..Default::default()
    };
    let json = serde_json::to_vec(&data).unwrap();
    // Every compression level writes a different second header byte (78 01, 78 5e, 78 9c, 78 da).
    for level in [0, 1, 6, 9] {
        let mut encoder = ZlibEncoder::new(Vec::new(), Compression::new(level));
        encoder.write_all(&json).unwrap();
        let compressed = encoder.finish().unwrap();
        assert_eq!(compressed[0], 0x78, "zlib header at level {level}");
        let event: LogsEvent = serde_json::from_value(serde_json::json!({
            "awslogs": {"data": base64::engine::general_purpose::STANDARD.encode(&compressed)}
        }))
        .unwrap();
        assert_eq!(event.decode().unwrap(), data, "level {level}");
    }

    // The gzip payload of the same data still decodes, and gzip stays what `encode` writes.
    let gzip = data.encode().unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&gzip.awslogs.data)
        .unwrap();
    assert_eq!(&bytes[..2], [0x1f, 0x8b]);
    assert_eq!(gzip.decode().unwrap(), data);

    // A zlib header followed by garbage is a decompression error, not a panic.
    let broken = LogsEvent {
        awslogs: lambda_fn_events::cloudwatch_logs::AwsLogs {
            data: base64::engine::general_purpose::STANDARD.encode([0x78, 0x9c, 0xff, 0xff, 0xff]),
            ..Default::default()
        },
        ..Default::default()
    };
    assert!(matches!(broken.decode(), Err(LogsError::Gzip(_))));
}
