//! Property test over mutated fixtures: a damaged event never makes a decoder panic, and every
//! decode error names where in the JSON it went wrong.
//!
//! Each case takes one fixture of [`FIXTURES`] (every own fixture, and a sample of the AWS examples
//! that adds the types and shapes the own fixtures lack), applies one [`Mutation`] to it, and decodes
//! the result into the fixture's type through `serde_path_to_error`:
//!
//! 1. decoding must not panic (checked with `catch_unwind`);
//! 2. when the mutation changed the value at a JSON path `P` below the root and decoding fails, the
//!    error's path must be non-empty and be `P` or an ancestor of `P`, or a path inside the value the
//!    mutation put at `P` (an element of an inserted array names its own index). Removing a member
//!    changes its object, so `P` is then the object's path.
//!
//! A successful decode is always fine: many fields accept any JSON (`serde_json::Value` fields,
//! untagged enums, the `OtherFields` maps that keep unknown members). The types that report errors at
//! the root for a reason of their own are listed, with the reason, in [`root_error_allowed`].
//!
//! Decoding runs on JSON text (`serde_json::Deserializer::from_slice`), as the runtime does: a
//! truncated document is not a `serde_json::Value`, and the parser's recursion limit (128 levels),
//! which turns a deeply nested array into an error instead of a stack overflow, applies to text only.
#![cfg(all(
    feature = "alb",
    feature = "apigw",
    feature = "function_url",
    feature = "vpc_lattice",
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
    feature = "cloudwatch_logs",
    feature = "cloudwatch_alarms",
    feature = "cognito",
    feature = "appsync",
    feature = "alexa",
    feature = "cloudformation",
    feature = "secretsmanager",
    feature = "config",
    feature = "iot",
    feature = "codecommit",
    feature = "codepipeline",
    feature = "lex",
    feature = "connect",
    feature = "bedrock_agent"
))]
// Loading the fixtures panics on a missing or broken file: that is a test failure here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::any::Any;
use std::fmt::Write as _;
use std::panic;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use serde_path_to_error::Segment;

use lambda_fn_events::alb::*;
use lambda_fn_events::alexa::*;
use lambda_fn_events::apigw::*;
use lambda_fn_events::appsync::*;
use lambda_fn_events::bedrock_agent::*;
use lambda_fn_events::cloudformation::*;
use lambda_fn_events::cloudwatch_alarms::*;
use lambda_fn_events::cloudwatch_logs::*;
use lambda_fn_events::codecommit::*;
use lambda_fn_events::codepipeline::*;
use lambda_fn_events::cognito::*;
use lambda_fn_events::config::*;
use lambda_fn_events::connect::*;
use lambda_fn_events::dynamodb::*;
use lambda_fn_events::eventbridge::*;
use lambda_fn_events::firehose::*;
use lambda_fn_events::function_url::*;
use lambda_fn_events::iot::*;
use lambda_fn_events::kafka::*;
use lambda_fn_events::kinesis::*;
use lambda_fn_events::lex::*;
use lambda_fn_events::mq::*;
use lambda_fn_events::s3::*;
use lambda_fn_events::secretsmanager::*;
use lambda_fn_events::ses::*;
use lambda_fn_events::sns::*;
use lambda_fn_events::sqs::*;
use lambda_fn_events::vpc_lattice::*;

/// One step of a JSON path: an object member or an array element.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
    /// A segment `serde_path_to_error` could not name (a map key that was not a string).
    Unknown,
}

/// A path the way `serde_path_to_error` writes one: `Records[0].s3.object.size`, `.` for the root.
fn show(path: &[Step]) -> String {
    if path.is_empty() {
        return ".".to_owned();
    }
    let mut text = String::new();
    for (i, step) in path.iter().enumerate() {
        match step {
            Step::Index(index) => write!(text, "[{index}]").unwrap(),
            Step::Key(key) => {
                if i > 0 {
                    text.push('.');
                }
                text.push_str(key);
            }
            Step::Unknown => {
                if i > 0 {
                    text.push('.');
                }
                text.push('?');
            }
        }
    }
    text
}

/// A failed decode: the type, where `serde_path_to_error` says it failed, and the message.
#[derive(Debug)]
struct DecodeError {
    type_name: &'static str,
    path: Vec<Step>,
    shown: String,
    message: String,
}

/// Decodes JSON text into one fixture type.
type Decode = fn(&[u8]) -> Result<(), DecodeError>;

/// Decodes `json` as a `T`, keeping the path of the first error (the error's segments, not its text,
/// so member names holding `.` or `[` compare right).
fn decode<T: DeserializeOwned>(json: &[u8]) -> Result<(), DecodeError> {
    let type_name = std::any::type_name::<T>();
    let mut de = serde_json::Deserializer::from_slice(json);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => de.end().map_err(|e| DecodeError {
            type_name,
            path: Vec::new(),
            shown: ".".to_owned(),
            message: e.to_string(),
        }),
        Err(e) => Err(DecodeError {
            type_name,
            path: e
                .path()
                .iter()
                .map(|segment| match segment {
                    Segment::Seq { index } => Step::Index(*index),
                    // An enum variant is a member key (`{"Variant": ...}`) in the JSON.
                    Segment::Map { key } | Segment::Enum { variant: key } => Step::Key(key.clone()),
                    Segment::Unknown => Step::Unknown,
                })
                .collect(),
            shown: e.path().to_string(),
            message: e.inner().to_string(),
        }),
    }
}

/// Body of `example-sqs-event-obj.json`: decoded from the JSON text of each record's `body`.
#[derive(Deserialize)]
#[allow(dead_code)] // only decoded
struct AbBody {
    a: String,
    b: i64,
}

/// Message of `example-sns-event-obj.json`: decoded from the JSON text of each `Sns.Message`.
#[derive(Deserialize)]
#[allow(dead_code)] // only decoded
struct FooBar {
    foo: String,
    bar: i64,
}

/// The fixtures (relative to `tests/fixtures/`) and the type each decodes into, as listed in the
/// `roundtrip_*.rs` tables: every own fixture, then a sample of the AWS examples.
#[rustfmt::skip] // one line per fixture
const FIXTURES: &[(&str, Decode)] = &[
    ("alb/request-post-form.json", decode::<AlbTargetGroupRequest>),
    ("alb/request-multi-value-repeated.json", decode::<AlbTargetGroupRequest>),
    ("alb/request-binary-body.json", decode::<AlbTargetGroupRequest>),
    ("alb/request-null-maps.json", decode::<AlbTargetGroupRequest>),
    ("alb/request-multi-value-empty-query.json", decode::<AlbTargetGroupRequest>),
    ("alb/response-html.json", decode::<AlbTargetGroupResponse>),
    ("alb/response-binary-multi-value.json", decode::<AlbTargetGroupResponse>),
    ("apigw/rest-request-cognito-mtls.json", decode::<ApiGatewayProxyRequest>),
    ("apigw/rest-request-binary-multi-query.json", decode::<ApiGatewayProxyRequest>),
    ("apigw/rest-response-multi-value.json", decode::<ApiGatewayProxyResponse>),
    ("apigw/v2-request-jwt-cookies-base64.json", decode::<ApiGatewayV2HttpRequest>),
    ("apigw/v2-request-minimal.json", decode::<ApiGatewayV2HttpRequest>),
    ("apigw/v2-response-cookies.json", decode::<ApiGatewayV2HttpResponse>),
    ("apigw/websocket-message.json", decode::<ApiGatewayWebsocketProxyRequest>),
    ("apigw/websocket-connect-authorized.json", decode::<ApiGatewayWebsocketProxyRequest>),
    ("apigw/authorizer-token-request.json", decode::<ApiGatewayCustomAuthorizerRequest>),
    ("apigw/authorizer-request-type-request.json", decode::<ApiGatewayCustomAuthorizerRequestTypeRequest>),
    ("apigw/authorizer-request-type-empty-path-parameters.json", decode::<ApiGatewayCustomAuthorizerRequestTypeRequest>),
    ("apigw/authorizer-response-sid-not-resource.json", decode::<ApiGatewayCustomAuthorizerResponse>),
    ("apigw/v2-authorizer-v1-request.json", decode::<ApiGatewayV2CustomAuthorizerV1Request>),
    ("apigw/v2-authorizer-v2-request-no-identity.json", decode::<ApiGatewayV2CustomAuthorizerV2Request>),
    ("apigw/v2-authorizer-simple-response.json", decode::<ApiGatewayV2CustomAuthorizerSimpleResponse>),
    ("apigw/v2-authorizer-iam-response.json", decode::<ApiGatewayV2CustomAuthorizerIamPolicyResponse>),
    ("function_url/request-iam-auth.json", decode::<LambdaFunctionUrlRequest>),
    ("function_url/request-public-base64.json", decode::<LambdaFunctionUrlRequest>),
    ("function_url/response-cookies.json", decode::<LambdaFunctionUrlResponse>),
    ("vpc_lattice/request-v1.json", decode::<VpcLatticeRequestV1>),
    ("vpc_lattice/request-v2-iam.json", decode::<VpcLatticeRequestV2>),
    ("vpc_lattice/request-v2-unsigned-string-values.json", decode::<VpcLatticeRequestV2>),
    ("vpc_lattice/response.json", decode::<VpcLatticeResponse>),
    ("cloudwatch_alarms/metric-alarm.json", decode::<CloudWatchAlarmEvent>),
    ("cloudwatch_alarms/metric-math-alarm.json", decode::<CloudWatchAlarmEvent>),
    ("cloudwatch_alarms/composite-alarm.json", decode::<CloudWatchAlarmEvent>),
    ("cloudwatch_alarms/sns-payload-single-metric.json", decode::<CloudWatchAlarmSnsPayload>),
    ("cloudwatch_alarms/sns-payload-metric-math.json", decode::<CloudWatchAlarmSnsPayload>),
    ("cloudwatch_alarms/metric-alarm-empty-dimensions.json", decode::<CloudWatchAlarmEvent>),
    ("cognito/pre-signup-admin-create-user.json", decode::<PreSignUpEvent>),
    ("cognito/post-confirmation-forgot-password.json", decode::<PostConfirmationEvent>),
    ("cognito/pre-authentication-user-not-found.json", decode::<PreAuthenticationEvent>),
    ("cognito/pre-authentication-numeric-version.json", decode::<PreAuthenticationEvent>),
    ("cognito/post-authentication.json", decode::<PostAuthenticationEvent>),
    ("cognito/pre-token-generation-v1.json", decode::<PreTokenGenerationEvent>),
    ("cognito/pre-token-generation-v2.json", decode::<PreTokenGenerationV2Event>),
    ("cognito/custom-message-sign-up.json", decode::<CustomMessageEvent>),
    ("cognito/define-auth-challenge-first-step.json", decode::<DefineAuthChallengeEvent>),
    ("cognito/create-auth-challenge-retry.json", decode::<CreateAuthChallengeEvent>),
    ("cognito/verify-auth-challenge.json", decode::<VerifyAuthChallengeEvent>),
    ("cognito/migrate-user-forgot-password.json", decode::<MigrateUserEvent>),
    ("cognito/custom-email-sender-generic.json", decode::<CognitoUserPoolEvent>),
    ("cognito/cognito-sync.json", decode::<CognitoEvent>),
    ("appsync/resolver-cognito-nested-field.json", decode::<AppSyncResolverEvent>),
    ("appsync/resolver-iam-mutation.json", decode::<AppSyncResolverEvent>),
    ("appsync/resolver-oidc.json", decode::<AppSyncResolverEvent>),
    ("appsync/resolver-lambda-authorized.json", decode::<AppSyncResolverEvent>),
    ("appsync/resolver-api-key-no-identity.json", decode::<AppSyncResolverEvent>),
    ("appsync/batch-resolver.json", decode::<AppSyncBatchResolverEvent>),
    ("appsync/invoke-with-source-and-identity.json", decode::<AppSyncInvokeEvent<AppSyncInvokePayload>>),
    ("appsync/lambda-authorizer-request.json", decode::<AppSyncLambdaAuthorizerRequest>),
    ("appsync/lambda-authorizer-response-deny-fields.json", decode::<AppSyncLambdaAuthorizerResponse>),
    ("appsync/resolver-empty-stash-and-variables.json", decode::<AppSyncResolverEvent>),
    ("alexa/launch-request.json", decode::<AlexaRequest>),
    ("alexa/intent-request-with-resolutions.json", decode::<AlexaRequest>),
    ("alexa/session-ended-request-error.json", decode::<AlexaRequest>),
    ("alexa/audioplayer-request-no-session.json", decode::<AlexaRequest>),
    ("alexa/response-ssml-standard-card.json", decode::<AlexaResponse>),
    ("alexa/response-plain-text-link-account.json", decode::<AlexaResponse>),
    ("cloudformation/create-request-nested-properties.json", decode::<CloudFormationCustomResourceRequest>),
    ("cloudformation/update-request-changed-properties.json", decode::<CloudFormationCustomResourceRequest>),
    ("cloudformation/delete-request.json", decode::<CloudFormationCustomResourceRequest>),
    ("cloudformation/response-success-no-echo.json", decode::<CloudFormationCustomResourceResponse>),
    ("cloudformation/provider-is-complete-response.json", decode::<CloudFormationProviderIsCompleteResponse>),
    ("secretsmanager/rotation-set-secret.json", decode::<SecretsManagerSecretRotationEvent>),
    ("secretsmanager/rotation-finish-secret-with-rotation-token.json", decode::<SecretsManagerSecretRotationEvent>),
    ("config/change-notification-event.json", decode::<ConfigEvent>),
    ("config/scheduled-notification-no-parameters.json", decode::<ConfigEvent>),
    ("config/oversized-change-notification.json", decode::<ConfigEvent>),
    ("iot/custom-auth-request-http-no-token.json", decode::<IoTCustomAuthorizerRequest>),
    ("iot/custom-auth-response-string-policies.json", decode::<IoTCustomAuthorizerResponse>),
    ("iot/one-click-double-click.json", decode::<IoTOneClickEvent>),
    ("iot/button-long-press.json", decode::<IoTButtonEvent>),
    ("codecommit/reference-changes-two-records.json", decode::<CodeCommitEvent>),
    ("codepipeline/job-with-encryption-key.json", decode::<CodePipelineJobEvent>),
    ("codepipeline/job-no-artifacts.json", decode::<CodePipelineJobEvent>),
    ("lex/v1-dialog-code-hook.json", decode::<LexEvent>),
    ("lex/v1-response-elicit-slot.json", decode::<LexResponse>),
    ("lex/v2-fulfillment-event.json", decode::<LexV2Event>),
    ("lex/v2-response-image-card.json", decode::<LexV2Response>),
    ("connect/contact-flow-chat-with-media-streams.json", decode::<ConnectEvent>),
    ("connect/response-flat-map.json", decode::<ConnectResponse>),
    ("connect/contact-flow-empty-attributes.json", decode::<ConnectEvent>),
    ("bedrock_agent/function-details-event.json", decode::<AgentActionGroupEvent>),
    ("bedrock_agent/api-event-empty-parameters.json", decode::<AgentActionGroupEvent>),
    ("bedrock_agent/api-response.json", decode::<AgentActionGroupResponse>),
    ("bedrock_agent/function-response-reprompt.json", decode::<AgentActionGroupResponse>),
    ("bedrock_agent/function-event-empty-session.json", decode::<AgentActionGroupEvent>),
    ("sqs/event.json", decode::<SqsEvent>),
    ("sqs/event-null-maps.json", decode::<SqsEvent>),
    ("sqs/event-sns-body.json", decode::<SqsEvent>),
    ("sqs/batch-response.json", decode::<SqsBatchResponse>),
    ("sqs/batch-response-empty.json", decode::<SqsBatchResponse>),
    ("sqs/api-event.json", decode::<SqsApiEvent>),
    ("sns/event.json", decode::<SnsEvent>),
    ("sns/event-fifo-no-attributes.json", decode::<SnsEvent>),
    ("sns/notification-via-sqs.json", decode::<SnsMessage>),
    ("sns/subscription-confirmation.json", decode::<SnsMessage>),
    ("eventbridge/scheduled-event.json", decode::<EventBridgeEvent>),
    ("eventbridge/custom-event-replayed.json", decode::<EventBridgeEvent>),
    ("eventbridge/s3-object-created.json", decode::<CloudWatchEvent>),
    ("eventbridge/cloudtrail-api-call.json", decode::<EventBridgeEvent<CloudTrailDetail>>),
    ("eventbridge/codedeploy-lifecycle-hook.json", decode::<CodeDeployLifecycleEvent>),
    ("kinesis/event.json", decode::<KinesisEvent>),
    ("kinesis/batch-response.json", decode::<KinesisEventResponse>),
    ("kinesis/time-window-event.json", decode::<KinesisTimeWindowEvent>),
    ("kinesis/time-window-response.json", decode::<KinesisTimeWindowEventResponse>),
    ("firehose/event-direct-put.json", decode::<KinesisFirehoseEvent>),
    ("firehose/event-kinesis-source.json", decode::<KinesisFirehoseEvent>),
    ("firehose/response.json", decode::<KinesisFirehoseResponse>),
    ("dynamodb/event-insert-modify-remove.json", decode::<DynamoDbEvent>),
    ("dynamodb/event-keys-only.json", decode::<DynamoDbEvent>),
    ("dynamodb/batch-response.json", decode::<DynamoDbEventResponse>),
    ("kafka/msk-event.json", decode::<KafkaEvent>),
    ("kafka/self-managed-event.json", decode::<KafkaEvent>),
    ("mq/activemq-event.json", decode::<ActiveMqEvent>),
    ("mq/rabbitmq-event.json", decode::<RabbitMqEvent>),
    ("ses/lambda-action-event.json", decode::<SimpleEmailEvent>),
    ("ses/disposition-response.json", decode::<SimpleEmailDispositionResponse>),
    ("s3/event-put.json", decode::<S3Event>),
    ("s3/event-delete-marker.json", decode::<S3Event>),
    ("s3/event-restore-completed.json", decode::<S3Event>),
    ("s3/batch-job-event-1.0.json", decode::<S3BatchJobEvent>),
    ("s3/batch-job-event-2.0.json", decode::<S3BatchJobEvent>),
    ("s3/batch-job-response.json", decode::<S3BatchJobResponse>),
    ("s3/object-lambda-get-object.json", decode::<S3ObjectLambdaEvent>),
    ("s3/object-lambda-list-objects-v2.json", decode::<S3ObjectLambdaEvent>),
    ("s3/object-lambda-head-response.json", decode::<S3ObjectLambdaResponse>),
    ("s3/object-lambda-list-response.json", decode::<S3ObjectLambdaResponse>),
    ("s3/object-lambda-error-response.json", decode::<S3ObjectLambdaResponse>),
    ("cloudwatch_logs/event.json", decode::<LogsEvent>),
    ("cloudwatch_logs/control-message.json", decode::<LogsEvent>),
    ("cloudwatch_logs/account-policy-event.json", decode::<LogsEvent>),
    // A sample of the AWS examples: every type family again, plus the types no own fixture has.
    ("aws-events/example-alb-lambda-target-request-multivalue-headers.json", decode::<AlbTargetGroupRequest>),
    ("aws-events/example-alb-lambda-target-response.json", decode::<AlbTargetGroupResponse>),
    ("aws-events/example-apigw-request.json", decode::<ApiGatewayProxyRequest>),
    ("aws-events/example-apigw-restapi-openapi-request.json", decode::<ApiGatewayProxyRequest>),
    ("aws-events/example-apigw-v2-request-jwt-authorizer.json", decode::<ApiGatewayV2HttpRequest>),
    ("aws-events/example-apigw-v2-request-iam.json", decode::<ApiGatewayV2HttpRequest>),
    ("aws-events/example-apigw-websocket-request.json", decode::<ApiGatewayWebsocketProxyRequest>),
    ("aws-events/example-apigw-custom-auth-response-with-condition.json", decode::<ApiGatewayCustomAuthorizerResponse>),
    ("aws-events/example-apigw-v2-custom-authorizer-v2-request.json", decode::<ApiGatewayV2CustomAuthorizerV2Request>),
    ("aws-events/example-apigw-v2-custom-authorizer-websocket-request.json", decode::<ApiGatewayCustomAuthorizerRequestTypeRequest>),
    ("aws-events/example-sqs-event-obj.json", decode::<SqsEventObj<AbBody>>),
    ("aws-events/example-sqs-api-event-obj.json", decode::<SqsApiEvent>),
    ("aws-events/example-sqs-batch-response.json", decode::<SqsBatchResponse>),
    ("aws-events/example-sns-event-obj.json", decode::<SnsEventObj<FooBar>>),
    ("aws-events/example-sns-event-pascal-case.json", decode::<SnsEvent>),
    ("aws-events/example-cloudwatch-alarm-sns-payload-single-metric.json", decode::<SnsEvent>), // the SNS envelope
    ("aws-events/example-eventbridge-event-obj.json", decode::<EventBridgeEvent>),
    ("aws-events/example-codepipeline-execution-state-change-event.json", decode::<EventBridgeEvent>),
    ("aws-events/example-ecr-image-scan-event.json", decode::<EventBridgeEvent>),
    ("aws-events/example-cloudwatch-cloudtrail-assumed-role.json", decode::<CloudTrailDetail>),
    ("aws-events/example-cloudwatch-cloudtrail-unknown-federate.json", decode::<CloudTrailDetail>),
    ("aws-events/example-codedeploy-lifecycle-event.json", decode::<CodeDeployLifecycleEvent>),
    ("aws-events/example-kinesis-event-encrypted.json", decode::<KinesisEvent>),
    ("aws-events/example-kinesis-firehose-event.json", decode::<KinesisFirehoseEvent>),
    ("aws-events/example-kinesis-firehose-response.json", decode::<KinesisFirehoseResponse>),
    ("aws-events/example-dynamodb-event.json", decode::<DynamoDbEvent>),
    ("aws-events/example-dynamodb-event-record-with-optional-fields.json", decode::<DynamoDbEventRecord>),
    ("aws-events/example-kafka-event.json", decode::<KafkaEvent>),
    ("aws-events/example-activemq-event.json", decode::<ActiveMqEvent>),
    ("aws-events/example-rabbitmq-event.json", decode::<RabbitMqEvent>),
    ("aws-events/example-ses-sns-event.json", decode::<SimpleEmailEvent>),
    ("aws-events/example-s3-event-with-decoded.json", decode::<S3Event>),
    ("aws-events/example-s3-object-lambda-event-list-objects-iam.json", decode::<S3ObjectLambdaEvent>),
    ("aws-events/example-cloudwatch_logs-event.json", decode::<LogsEvent>),
    ("aws-events/example-cloudwatch-alarm-composite-with-suppressor-alarm.json", decode::<CloudWatchAlarmEvent>),
    ("aws-events/example-cognito-event.json", decode::<CognitoEvent>),
    ("aws-events/example-cognito-event-userpools-pretokengen-v2-incoming.json", decode::<PreTokenGenerationV2Event>),
    ("aws-events/example-cognito-event-userpools-define-auth-challenge.json", decode::<DefineAuthChallengeEvent>),
    ("aws-events/example-cognito-event-userpools-verify-auth-challenge.json", decode::<VerifyAuthChallengeEvent>),
    ("aws-events/example-appsync-identity-cognito.json", decode::<AppSyncIdentity>),
    ("aws-events/example-appsync-identity-iam.json", decode::<AppSyncIdentity>),
    ("aws-events/example-appsync-batchinvoke.json", decode::<AppSyncInvokeEvent<Vec<AppSyncInvokePayload>>>),
    ("aws-events/example-appsync-lambda-auth-response.json", decode::<AppSyncLambdaAuthorizerResponse>),
    ("aws-events/example-cloudformation-custom-resource-update-request.json", decode::<CloudFormationCustomResourceRequest>),
    ("aws-events/example-cloudformation-custom-resource-provider-update-request.json", decode::<CloudFormationProviderRequest>),
    ("aws-events/example-cloudformation-custom-resource-provider-response.json", decode::<CloudFormationProviderResponse>),
    ("aws-events/example-cloudformation-custom-resource-response.json", decode::<CloudFormationCustomResourceResponse>),
    ("aws-events/example-secretsmanager-secret-rotation-event.json", decode::<SecretsManagerSecretRotationEvent>),
    ("aws-events/example-config-event.json", decode::<ConfigEvent>),
    ("aws-events/example-iot-custom-auth-request.json", decode::<IoTCustomAuthorizerRequest>),
    ("aws-events/example-iot-custom-auth-response.json", decode::<IoTCustomAuthorizerResponse>),
    ("aws-events/example-iot_1_click-event.json", decode::<IoTOneClickEvent>),
    ("aws-events/example-code_commit-event.json", decode::<CodeCommitEvent>),
    ("aws-events/example-codepipeline_job-event.json", decode::<CodePipelineJobEvent>),
    ("aws-events/example-lex-event.json", decode::<LexEvent>),
    ("aws-events/example-lex-response.json", decode::<LexResponse>),
    ("aws-events/example-connect-event.json", decode::<ConnectEvent>),
    ("aws-events/example-bedrock-agent-runtime-event.json", decode::<AgentActionGroupEvent>),
];

/// The JSON types, for "replace with a value of another type".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonType {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

const JSON_TYPES: [JsonType; 6] = [
    JsonType::Null,
    JsonType::Bool,
    JsonType::Number,
    JsonType::String,
    JsonType::Array,
    JsonType::Object,
];

fn type_of(value: &Value) -> JsonType {
    match value {
        Value::Null => JsonType::Null,
        Value::Bool(_) => JsonType::Bool,
        Value::Number(_) => JsonType::Number,
        Value::String(_) => JsonType::String,
        Value::Array(_) => JsonType::Array,
        Value::Object(_) => JsonType::Object,
    }
}

/// Replacement values of a type: edge cases that decoders tend to trip over.
fn samples(of: JsonType) -> Vec<Value> {
    match of {
        JsonType::Null => vec![Value::Null],
        JsonType::Bool => vec![json!(true), json!(false)],
        JsonType::Number => vec![
            json!(0),
            json!(-1),
            json!(1.5),
            json!(1e300),
            json!(u64::MAX),
            json!(i64::MIN),
        ],
        JsonType::String => vec![
            json!(""),
            json!("x"),
            json!("-1"),
            json!("1970-01-01T00:00:00Z"),
            json!("not base64!"),
            json!("{"),
        ],
        JsonType::Array => vec![json!([]), json!([1]), json!(["x"]), json!([null]), json!([{}])],
        JsonType::Object => vec![json!({}), json!({"S": "x"}), json!({"k": 1}), json!({"Records": []})],
    }
}

/// A value of a type other than `current`'s, chosen by `kind` and `sample`.
fn other_type_value(current: &Value, kind: &Index, sample: &Index) -> Value {
    let others: Vec<JsonType> = JSON_TYPES.into_iter().filter(|t| *t != type_of(current)).collect();
    let values = samples(*kind.get(&others));
    sample.get(&values).clone()
}

/// A fixture, parsed, with every JSON path in it.
struct Fixture {
    name: &'static str,
    decode: Decode,
    text: Vec<u8>,
    value: Value,
    /// Every path in the document, depth first, the root first.
    paths: Vec<Vec<Step>>,
}

fn collect_paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, member) in map {
                prefix.push(Step::Key(key.clone()));
                collect_paths(member, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                prefix.push(Step::Index(index));
                collect_paths(item, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn fixtures() -> &'static [Fixture] {
    static LOADED: OnceLock<Vec<Fixture>> = OnceLock::new();
    LOADED.get_or_init(|| {
        FIXTURES
            .iter()
            .map(|&(name, decode)| {
                let path = common::own_fixture(name);
                let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let value = common::read_json(&path);
                let mut paths = Vec::new();
                collect_paths(&value, &mut Vec::new(), &mut paths);
                Fixture {
                    name,
                    decode,
                    text,
                    value,
                    paths,
                }
            })
            .collect()
    })
}

fn get<'a>(mut value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    for step in path {
        value = match step {
            Step::Key(key) => value.get(key.as_str())?,
            Step::Index(index) => value.get(*index)?,
            Step::Unknown => return None,
        };
    }
    Some(value)
}

fn get_mut<'a>(mut value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    for step in path {
        value = match step {
            Step::Key(key) => value.get_mut(key.as_str()),
            Step::Index(index) => value.get_mut(*index),
            Step::Unknown => None,
        }
        .expect("a path of the fixture");
    }
    value
}

/// One change to a fixture. The `Index`es pick a path among the fixture's paths that suit the
/// change (all paths, string values, member paths, ...) and a replacement value.
#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the value at a path with a value of another JSON type.
    Retype { at: Index, kind: Index, sample: Index },
    /// Replace a string with a number (the number it spells, when it spells one).
    StringToNumber { at: Index, sample: Index },
    /// Replace a number with its text.
    NumberToString { at: Index },
    /// Remove an object member.
    DeleteMember { at: Index },
    /// Append to an array a copy of one of its elements turned into another JSON type.
    AppendWrongType {
        at: Index,
        element: Index,
        kind: Index,
        sample: Index,
    },
    /// Cut the fixture's text after a byte (possibly inside a UTF-8 sequence).
    Truncate { at: Index },
    /// Put `depth` nested arrays at a path.
    DeepNest { at: Index, depth: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(at, kind, sample)| Mutation::Retype { at, kind, sample }),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(at, sample)| Mutation::StringToNumber { at, sample }),
        1 => any::<Index>().prop_map(|at| Mutation::NumberToString { at }),
        2 => any::<Index>().prop_map(|at| Mutation::DeleteMember { at }),
        1 => (any::<Index>(), any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(at, element, kind, sample)| Mutation::AppendWrongType { at, element, kind, sample }),
        1 => any::<Index>().prop_map(|at| Mutation::Truncate { at }),
        1 => (any::<Index>(), prop_oneof![Just(200usize), 120usize..140, Just(5_000usize)])
            .prop_map(|(at, depth)| Mutation::DeepNest { at, depth }),
    ]
}

/// What the mutation put at the changed path, for errors reported below it.
#[derive(Debug)]
enum Inserted {
    /// Nothing new (a member was removed).
    Nothing,
    /// This value.
    Value(Value),
    /// `depth` nested arrays, each holding the next one as element 0.
    DeepArray(usize),
}

impl Inserted {
    /// Whether `rest`, a path relative to the changed path, points into the inserted value.
    fn contains(&self, rest: &[Step]) -> bool {
        match self {
            Inserted::Nothing => false,
            Inserted::Value(value) => get(value, rest).is_some(),
            Inserted::DeepArray(depth) => rest.len() <= *depth && rest.iter().all(|s| *s == Step::Index(0)),
        }
    }
}

/// What a decode error must say about where it happened.
#[derive(Debug)]
enum Expect {
    /// Nothing: the document was truncated or its root replaced; only "no panic" applies.
    NoPanic,
    /// The error must name `changed`, an ancestor, or a path inside `inserted`.
    PathNear { changed: Vec<Step>, inserted: Inserted },
}

fn near(changed: Vec<Step>, inserted: Inserted) -> Expect {
    if changed.is_empty() {
        Expect::NoPanic
    } else {
        Expect::PathNear { changed, inserted }
    }
}

/// A mutated fixture, ready to decode.
struct Mutated {
    json: Vec<u8>,
    what: String,
    expect: Expect,
}

/// Text of a small value for messages, cut short.
fn brief(value: &Value) -> String {
    let text = value.to_string();
    if text.len() > 40 {
        let mut end = 40;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}...", &text[..end])
    } else {
        text
    }
}

/// A placeholder string put where deeply nested arrays go, then replaced in the JSON text: the
/// nesting never exists as a `serde_json::Value`, whose recursive `Drop` and `Display` could
/// themselves overflow the stack at great depths.
const NEST_MARKER: &str = "@@prop-mutations-deep-nest@@";

/// The paths of `fixture` whose value satisfies `keep`.
fn paths_where(fixture: &Fixture, keep: impl Fn(&[Step], &Value) -> bool) -> Vec<&[Step]> {
    fixture
        .paths
        .iter()
        .map(Vec::as_slice)
        .filter(|path| keep(path, get(&fixture.value, path).expect("a path of the fixture")))
        .collect()
}

/// Replaces the value at `path` (a path of the fixture) with `new`.
fn replace(fixture: &Fixture, path: &[Step], new: Value, what: String) -> Mutated {
    let mut doc = fixture.value.clone();
    *get_mut(&mut doc, path) = new.clone();
    Mutated {
        json: serde_json::to_vec(&doc).unwrap(),
        what,
        expect: near(path.to_vec(), Inserted::Value(new)),
    }
}

fn retype(fixture: &Fixture, at: &Index, kind: &Index, sample: &Index) -> Mutated {
    let path = at.get(&fixture.paths);
    let old = get(&fixture.value, path).unwrap();
    let new = other_type_value(old, kind, sample);
    let what = format!("retype `{}` from {} to {}", show(path), brief(old), brief(&new));
    replace(fixture, path, new, what)
}

fn apply(fixture: &Fixture, mutation: &Mutation) -> Mutated {
    match mutation {
        Mutation::Retype { at, kind, sample } => retype(fixture, at, kind, sample),
        Mutation::StringToNumber { at, sample } => {
            let strings = paths_where(fixture, |_, v| v.is_string());
            if strings.is_empty() {
                return retype(fixture, at, sample, sample);
            }
            let path = *at.get(&strings);
            let old = get(&fixture.value, path).unwrap();
            let spelled = old
                .as_str()
                .and_then(|s| serde_json::from_str::<serde_json::Number>(s).ok());
            let numbers = samples(JsonType::Number);
            let new = match spelled {
                Some(number) if sample.index(numbers.len() + 1) == 0 => Value::Number(number),
                _ => sample.get(&numbers).clone(),
            };
            let what = format!("string to number at `{}`: {} to {new}", show(path), brief(old));
            replace(fixture, path, new, what)
        }
        Mutation::NumberToString { at } => {
            let numbers = paths_where(fixture, |_, v| v.is_number());
            if numbers.is_empty() {
                return retype(fixture, at, at, at);
            }
            let path = *at.get(&numbers);
            let old = get(&fixture.value, path).unwrap();
            let new = Value::String(old.to_string());
            let what = format!("number to string at `{}`: {old} to {new}", show(path));
            replace(fixture, path, new, what)
        }
        Mutation::DeleteMember { at } => {
            let members = paths_where(fixture, |path, _| matches!(path.last(), Some(Step::Key(_))));
            if members.is_empty() {
                return retype(fixture, at, at, at);
            }
            let path = *at.get(&members);
            let (last, parent) = path.split_last().unwrap();
            let Step::Key(key) = last else {
                unreachable!("a member path")
            };
            let mut doc = fixture.value.clone();
            get_mut(&mut doc, parent).as_object_mut().unwrap().remove(key);
            Mutated {
                json: serde_json::to_vec(&doc).unwrap(),
                what: format!("delete member `{}`", show(path)),
                // The member's object changed: errors belong to it or above.
                expect: near(parent.to_vec(), Inserted::Nothing),
            }
        }
        Mutation::AppendWrongType {
            at,
            element,
            kind,
            sample,
        } => {
            let arrays = paths_where(fixture, |_, v| v.as_array().is_some_and(|a| !a.is_empty()));
            if arrays.is_empty() {
                return retype(fixture, at, kind, sample);
            }
            let path = *at.get(&arrays);
            let items = get(&fixture.value, path).unwrap().as_array().unwrap();
            let original = element.get(items);
            let copy = other_type_value(original, kind, sample);
            let mut changed = path.to_vec();
            changed.push(Step::Index(items.len()));
            let what = format!(
                "append {} (a wrong-typed copy of {}) to `{}`",
                brief(&copy),
                brief(original),
                show(path)
            );
            let mut doc = fixture.value.clone();
            get_mut(&mut doc, path).as_array_mut().unwrap().push(copy.clone());
            Mutated {
                json: serde_json::to_vec(&doc).unwrap(),
                what,
                expect: near(changed, Inserted::Value(copy)),
            }
        }
        Mutation::Truncate { at } => {
            let cut = at.index(fixture.text.len());
            Mutated {
                json: fixture.text[..cut].to_vec(),
                what: format!("truncate after byte {cut} of {}", fixture.text.len()),
                expect: Expect::NoPanic,
            }
        }
        Mutation::DeepNest { at, depth } => deep_nest(fixture, at.get(&fixture.paths).as_slice(), *depth),
    }
}

/// Puts `depth` nested arrays at `path` (a path of the fixture).
fn deep_nest(fixture: &Fixture, path: &[Step], depth: usize) -> Mutated {
    let mut doc = fixture.value.clone();
    *get_mut(&mut doc, path) = Value::String(NEST_MARKER.to_owned());
    let text = serde_json::to_string(&doc).unwrap();
    let marker = format!("\"{NEST_MARKER}\"");
    assert_eq!(
        text.matches(&marker).count(),
        1,
        "{}: the marker must be unique",
        fixture.name
    );
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    Mutated {
        json: text.replacen(&marker, &nested, 1).into_bytes(),
        what: format!("nest {depth} arrays at `{}`", show(path)),
        expect: near(path.to_vec(), Inserted::DeepArray(depth)),
    }
}

/// The type's name without its module path and generic arguments.
fn base_name(type_name: &str) -> &str {
    let without_generics = type_name.split('<').next().unwrap_or(type_name);
    without_generics.rsplit("::").next().unwrap_or(without_generics)
}

/// Types whose decode errors name the root (`.`) for a reason of their own, although the value that
/// broke is deeper. Everything else must name a non-empty path.
fn root_error_allowed(type_name: &str, changed: &[Step]) -> bool {
    match base_name(type_name) {
        // Internally tagged on `RequestType` at the top level: serde buffers the whole object to
        // find the tag, then decodes the variant from that buffer, where `serde_path_to_error`
        // cannot follow. Every error inside a request names the root.
        "CloudFormationCustomResourceRequest" => true,
        // Picks its variant from the members present: it decodes a `serde_json::Value` first and the
        // variant from that value, so errors inside an identity name the identity. Inside an event
        // that is the `identity` member; here the identity is the whole document.
        "AppSyncIdentity" => true,
        // known: `SnsMessage` flattens `SnsUrls` (custom `Deserialize`, so it reads either URL
        // spelling), and serde decodes flattened fields from a buffer without path tracking: a bad
        // `SigningCertURL`/`UnsubscribeURL` names the message's own path. Inside `SnsEvent` that is
        // `Records[i].Sns` (an ancestor, fine); when the message is the whole document, it is the root.
        "SnsMessage" => matches!(
            changed.first(),
            Some(Step::Key(key)) if ["SigningCertUrl", "SigningCertURL", "UnsubscribeUrl", "UnsubscribeURL"]
                .contains(&key.as_str())
        ),
        _ => false,
    }
}

/// Whether `error` names a place that fits a change at `changed`.
fn error_is_placed(error: &DecodeError, changed: &[Step], inserted: &Inserted) -> bool {
    if error.path.is_empty() {
        return root_error_allowed(error.type_name, changed);
    }
    if changed.starts_with(&error.path) {
        return true;
    }
    match error.path.strip_prefix(changed) {
        Some(rest) => inserted.contains(rest),
        None => false,
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "(not a string)"
    }
}

/// Decodes a mutated fixture and checks both properties; `Err` describes a failure.
fn check(fixture: &Fixture, mutated: &Mutated) -> Result<(), String> {
    let decode = fixture.decode;
    let json = mutated.json.as_slice();
    let outcome = panic::catch_unwind(|| decode(json));
    let error = match outcome {
        Err(payload) => {
            return Err(format!(
                "{}: decoding panicked after `{}`: {}",
                fixture.name,
                mutated.what,
                panic_message(payload.as_ref())
            ));
        }
        Ok(Ok(())) => return Ok(()),
        Ok(Err(error)) => error,
    };
    match &mutated.expect {
        Expect::NoPanic => Ok(()),
        Expect::PathNear { changed, inserted } if !error_is_placed(&error, changed, inserted) => Err(format!(
            "{}: after `{}`, decoding as {} failed at `{}` ({:?}), which is not `{}` nor an ancestor nor \
             inside the new value: {}",
            fixture.name,
            mutated.what,
            error.type_name,
            error.shown,
            error.path,
            show(changed),
            error.message
        )),
        Expect::PathNear { .. } => Ok(()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // About ten cases per fixture; the whole file runs in well under a second in a debug build.
        cases: 2048,
        // A failure is reported with its fixture and mutation; no regression file next to the source.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_fixtures_never_panic_and_errors_name_their_path(
        index in 0..FIXTURES.len(),
        mutation in mutation(),
    ) {
        let fixture = &fixtures()[index];
        if let Err(failure) = check(fixture, &apply(fixture, &mutation)) {
            prop_assert!(false, "{}", failure);
        }
    }
}

/// The table is right: every fixture decodes, unmutated, into its type.
#[test]
fn every_listed_fixture_decodes_unmutated() {
    for fixture in fixtures() {
        if let Err(e) = (fixture.decode)(&fixture.text) {
            panic!(
                "{} does not decode as {}: {} at {}",
                fixture.name, e.type_name, e.message, e.shown
            );
        }
    }
}

/// Deep nesting at every top-level member of every fixture, deterministically: an error from the
/// parser's recursion limit (or a value that accepts it), never a stack overflow.
#[test]
fn deep_nesting_at_every_top_level_member_is_rejected_without_overflow() {
    for fixture in fixtures() {
        for path in fixture.paths.iter().filter(|path| path.len() == 1) {
            for depth in [129, 10_000] {
                check(fixture, &deep_nest(fixture, path, depth)).unwrap_or_else(|failure| panic!("{failure}"));
            }
        }
    }
}
