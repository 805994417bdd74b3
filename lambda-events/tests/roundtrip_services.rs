//! Round trips and helper tests for the "services" event modules: CloudWatch alarms, Cognito,
//! AppSync, Alexa, CloudFormation, Secrets Manager, Config, IoT, CodeCommit, CodePipeline, Lex,
//! Connect and Bedrock agents.
//!
//! Every fixture under `tests/fixtures/<module>/` and every shared fixture of these sources is
//! listed below with the type it decodes into; `every_own_fixture_is_listed` and
//! `every_aws_example_of_these_sources_is_listed` fail when a file is added without a mapping.
#![cfg(all(
    feature = "alexa",
    feature = "appsync",
    feature = "bedrock_agent",
    feature = "cloudformation",
    feature = "cloudwatch_alarms",
    feature = "codecommit",
    feature = "codepipeline",
    feature = "cognito",
    feature = "config",
    feature = "connect",
    feature = "iot",
    feature = "lex",
    feature = "secretsmanager",
))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on bad fixtures

mod common;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::{Value, json};

use lambda_fn_events::alexa::*;
use lambda_fn_events::appsync::*;
use lambda_fn_events::bedrock_agent::*;
use lambda_fn_events::cloudformation::*;
use lambda_fn_events::cloudwatch_alarms::*;
use lambda_fn_events::codecommit::*;
use lambda_fn_events::codepipeline::*;
use lambda_fn_events::cognito::*;
use lambda_fn_events::config::*;
use lambda_fn_events::connect::*;
use lambda_fn_events::iot::*;
use lambda_fn_events::lex::*;
use lambda_fn_events::secretsmanager::*;

/// The modules whose fixture folders this file owns.
const MODULES: &[&str] = &[
    "cloudwatch_alarms",
    "cognito",
    "appsync",
    "alexa",
    "cloudformation",
    "secretsmanager",
    "config",
    "iot",
    "codecommit",
    "codepipeline",
    "lex",
    "connect",
    "bedrock_agent",
];

/// Round-trips the fixture at a path through one type (or, for SNS-shaped alarm payloads,
/// through [`alarm_sns_messages`]).
type Check = fn(&Path);

fn rt<T: serde::de::DeserializeOwned + serde::Serialize>(path: &Path) {
    common::assert_round_trip::<T>(path);
}

/// Every own fixture, `module/file.json`, and the type it round-trips through.
const OWN: &[(&str, Check)] = &[
    ("cloudwatch_alarms/metric-alarm.json", rt::<CloudWatchAlarmEvent>),
    ("cloudwatch_alarms/metric-math-alarm.json", rt::<CloudWatchAlarmEvent>),
    ("cloudwatch_alarms/composite-alarm.json", rt::<CloudWatchAlarmEvent>),
    (
        "cloudwatch_alarms/sns-payload-single-metric.json",
        rt::<CloudWatchAlarmSnsPayload>,
    ),
    (
        "cloudwatch_alarms/sns-payload-metric-math.json",
        rt::<CloudWatchAlarmSnsPayload>,
    ),
    (
        "cloudwatch_alarms/metric-alarm-empty-dimensions.json",
        rt::<CloudWatchAlarmEvent>,
    ),
    ("cognito/pre-signup-admin-create-user.json", rt::<PreSignUpEvent>),
    (
        "cognito/post-confirmation-forgot-password.json",
        rt::<PostConfirmationEvent>,
    ),
    (
        "cognito/pre-authentication-user-not-found.json",
        rt::<PreAuthenticationEvent>,
    ),
    (
        "cognito/pre-authentication-numeric-version.json",
        rt::<PreAuthenticationEvent>,
    ),
    ("cognito/post-authentication.json", rt::<PostAuthenticationEvent>),
    ("cognito/pre-token-generation-v1.json", rt::<PreTokenGenerationEvent>),
    ("cognito/pre-token-generation-v2.json", rt::<PreTokenGenerationV2Event>),
    ("cognito/custom-message-sign-up.json", rt::<CustomMessageEvent>),
    (
        "cognito/define-auth-challenge-first-step.json",
        rt::<DefineAuthChallengeEvent>,
    ),
    (
        "cognito/create-auth-challenge-retry.json",
        rt::<CreateAuthChallengeEvent>,
    ),
    ("cognito/verify-auth-challenge.json", rt::<VerifyAuthChallengeEvent>),
    ("cognito/migrate-user-forgot-password.json", rt::<MigrateUserEvent>),
    ("cognito/custom-email-sender-generic.json", rt::<CognitoUserPoolEvent>),
    ("cognito/cognito-sync.json", rt::<CognitoEvent>),
    ("appsync/resolver-cognito-nested-field.json", rt::<AppSyncResolverEvent>),
    ("appsync/resolver-iam-mutation.json", rt::<AppSyncResolverEvent>),
    ("appsync/resolver-oidc.json", rt::<AppSyncResolverEvent>),
    ("appsync/resolver-lambda-authorized.json", rt::<AppSyncResolverEvent>),
    ("appsync/resolver-api-key-no-identity.json", rt::<AppSyncResolverEvent>),
    ("appsync/batch-resolver.json", rt::<AppSyncBatchResolverEvent>),
    (
        "appsync/invoke-with-source-and-identity.json",
        rt::<AppSyncInvokeEvent<AppSyncInvokePayload>>,
    ),
    (
        "appsync/lambda-authorizer-request.json",
        rt::<AppSyncLambdaAuthorizerRequest>,
    ),
    (
        "appsync/lambda-authorizer-response-deny-fields.json",
        rt::<AppSyncLambdaAuthorizerResponse>,
    ),
    (
        "appsync/resolver-empty-stash-and-variables.json",
        rt::<AppSyncResolverEvent>,
    ),
    ("alexa/launch-request.json", rt::<AlexaRequest>),
    ("alexa/intent-request-with-resolutions.json", rt::<AlexaRequest>),
    ("alexa/session-ended-request-error.json", rt::<AlexaRequest>),
    ("alexa/audioplayer-request-no-session.json", rt::<AlexaRequest>),
    ("alexa/response-ssml-standard-card.json", rt::<AlexaResponse>),
    ("alexa/response-plain-text-link-account.json", rt::<AlexaResponse>),
    (
        "cloudformation/create-request-nested-properties.json",
        rt::<CloudFormationCustomResourceRequest>,
    ),
    (
        "cloudformation/update-request-changed-properties.json",
        rt::<CloudFormationCustomResourceRequest>,
    ),
    (
        "cloudformation/delete-request.json",
        rt::<CloudFormationCustomResourceRequest>,
    ),
    (
        "cloudformation/response-success-no-echo.json",
        rt::<CloudFormationCustomResourceResponse>,
    ),
    (
        "cloudformation/provider-is-complete-response.json",
        rt::<CloudFormationProviderIsCompleteResponse>,
    ),
    (
        "secretsmanager/rotation-set-secret.json",
        rt::<SecretsManagerSecretRotationEvent>,
    ),
    (
        "secretsmanager/rotation-finish-secret-with-rotation-token.json",
        rt::<SecretsManagerSecretRotationEvent>,
    ),
    ("config/change-notification-event.json", rt::<ConfigEvent>),
    ("config/scheduled-notification-no-parameters.json", rt::<ConfigEvent>),
    ("config/oversized-change-notification.json", rt::<ConfigEvent>),
    (
        "iot/custom-auth-request-http-no-token.json",
        rt::<IoTCustomAuthorizerRequest>,
    ),
    (
        "iot/custom-auth-response-string-policies.json",
        rt::<IoTCustomAuthorizerResponse>,
    ),
    ("iot/one-click-double-click.json", rt::<IoTOneClickEvent>),
    ("iot/button-long-press.json", rt::<IoTButtonEvent>),
    ("codecommit/reference-changes-two-records.json", rt::<CodeCommitEvent>),
    ("codepipeline/job-with-encryption-key.json", rt::<CodePipelineJobEvent>),
    ("codepipeline/job-no-artifacts.json", rt::<CodePipelineJobEvent>),
    ("lex/v1-dialog-code-hook.json", rt::<LexEvent>),
    ("lex/v1-response-elicit-slot.json", rt::<LexResponse>),
    ("lex/v2-fulfillment-event.json", rt::<LexV2Event>),
    ("lex/v2-response-image-card.json", rt::<LexV2Response>),
    ("connect/contact-flow-chat-with-media-streams.json", rt::<ConnectEvent>),
    ("connect/response-flat-map.json", rt::<ConnectResponse>),
    ("connect/contact-flow-empty-attributes.json", rt::<ConnectEvent>),
    ("bedrock_agent/function-details-event.json", rt::<AgentActionGroupEvent>),
    (
        "bedrock_agent/api-event-empty-parameters.json",
        rt::<AgentActionGroupEvent>,
    ),
    ("bedrock_agent/api-response.json", rt::<AgentActionGroupResponse>),
    (
        "bedrock_agent/function-response-reprompt.json",
        rt::<AgentActionGroupResponse>,
    ),
    (
        "bedrock_agent/function-event-empty-session.json",
        rt::<AgentActionGroupEvent>,
    ),
];

fn own<T: serde::de::DeserializeOwned + serde::Serialize>(rel: &str) -> T {
    common::assert_round_trip::<T>(&common::own_fixture(rel))
}

fn shared<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str) -> T {
    common::assert_round_trip::<T>(&common::aws_example(name))
}

#[test]
fn own_fixtures_round_trip() {
    for (rel, check) in OWN {
        check(&common::own_fixture(rel));
    }
}

#[test]
fn every_own_fixture_is_listed() {
    let listed: BTreeSet<String> = OWN.iter().map(|(rel, _)| rel.to_string()).collect();
    let mut on_disk = BTreeSet::new();
    for module in MODULES {
        let dir = common::own_fixture(module);
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name.ends_with(".json") {
                on_disk.insert(format!("{module}/{name}"));
            }
        }
    }
    assert_eq!(on_disk, listed, "fixtures on disk and fixtures listed in OWN differ");
    for module in MODULES {
        assert!(
            OWN.iter().any(|(rel, _)| rel.starts_with(&format!("{module}/"))),
            "{module} has no fixture"
        );
    }
}

/// Every AWS example payload of these sources, and the type it decodes into.
const SHARED: &[(&str, Check)] = &[
    ("example-cloudwatch-alarm-metric.json", rt::<CloudWatchAlarmEvent>),
    ("example-cloudwatch-alarm-composite.json", rt::<CloudWatchAlarmEvent>),
    (
        "example-cloudwatch-alarm-composite-with-suppressor-alarm.json",
        rt::<CloudWatchAlarmEvent>,
    ),
    (
        "example-cloudwatch-alarm-sns-payload-single-metric.json",
        alarm_sns_messages,
    ),
    (
        "example-cloudwatch-alarm-sns-payload-multiple-metrics.json",
        alarm_sns_messages,
    ),
    ("example-cognito-event.json", rt::<CognitoEvent>),
    ("example-cognito-event-userpools-presignup.json", rt::<PreSignUpEvent>),
    (
        "example-cognito-event-userpools-postconfirmation.json",
        rt::<PostConfirmationEvent>,
    ),
    (
        "example-cognito-event-userpools-preauthentication.json",
        rt::<PreAuthenticationEvent>,
    ),
    (
        "example-cognito-event-userpools-postauthentication.json",
        rt::<PostAuthenticationEvent>,
    ),
    (
        "example-cognito-event-userpools-pretokengen.json",
        rt::<PreTokenGenerationEvent>,
    ),
    (
        "example-cognito-event-userpools-pretokengen-incoming.json",
        rt::<PreTokenGenerationEvent>,
    ),
    (
        "example-cognito-event-userpools-pretokengen-v2.json",
        rt::<PreTokenGenerationV2Event>,
    ),
    (
        "example-cognito-event-userpools-pretokengen-v2-incoming.json",
        rt::<PreTokenGenerationV2Event>,
    ),
    (
        "example-cognito-event-userpools-custommessage.json",
        rt::<CustomMessageEvent>,
    ),
    (
        "example-cognito-event-userpools-define-auth-challenge.json",
        rt::<DefineAuthChallengeEvent>,
    ),
    (
        "example-cognito-event-userpools-define-auth-challenge-optional-response-fields.json",
        rt::<DefineAuthChallengeEvent>,
    ),
    (
        "example-cognito-event-userpools-define-auth-challenge-user-not-found.json",
        rt::<DefineAuthChallengeEvent>,
    ),
    (
        "example-cognito-event-userpools-create-auth-challenge.json",
        rt::<CreateAuthChallengeEvent>,
    ),
    (
        "example-cognito-event-userpools-create-auth-challenge-user-not-found.json",
        rt::<CreateAuthChallengeEvent>,
    ),
    (
        "example-cognito-event-userpools-verify-auth-challenge.json",
        rt::<VerifyAuthChallengeEvent>,
    ),
    (
        "example-cognito-event-userpools-verify-auth-challenge-null-answer-correct.json",
        rt::<VerifyAuthChallengeEvent>,
    ),
    (
        "example-cognito-event-userpools-verify-auth-challenge-optional-answer-correct.json",
        rt::<VerifyAuthChallengeEvent>,
    ),
    (
        "example-cognito-event-userpools-verify-auth-challenge-user-not-found.json",
        rt::<VerifyAuthChallengeEvent>,
    ),
    (
        "example-cognito-event-userpools-migrateuser.json",
        rt::<MigrateUserEvent>,
    ),
    ("example-appsync-direct-resolver.json", rt::<AppSyncResolverEvent>),
    ("example-appsync-identity-cognito.json", rt::<AppSyncIdentity>),
    ("example-appsync-identity-iam.json", rt::<AppSyncIdentity>),
    (
        "example-appsync-invoke.json",
        rt::<AppSyncInvokeEvent<AppSyncInvokePayload>>,
    ),
    (
        "example-appsync-batchinvoke.json",
        rt::<AppSyncInvokeEvent<Vec<AppSyncInvokePayload>>>,
    ),
    (
        "example-appsync-lambda-auth-request.json",
        rt::<AppSyncLambdaAuthorizerRequest>,
    ),
    (
        "example-appsync-lambda-auth-response.json",
        rt::<AppSyncLambdaAuthorizerResponse>,
    ),
    (
        "example-cloudformation-custom-resource-create-request.json",
        rt::<CloudFormationCustomResourceRequest>,
    ),
    (
        "example-cloudformation-custom-resource-update-request.json",
        rt::<CloudFormationCustomResourceRequest>,
    ),
    (
        "example-cloudformation-custom-resource-delete-request.json",
        rt::<CloudFormationCustomResourceRequest>,
    ),
    (
        "example-cloudformation-custom-resource-response.json",
        rt::<CloudFormationCustomResourceResponse>,
    ),
    (
        "example-cloudformation-custom-resource-provider-create-request.json",
        rt::<CloudFormationProviderRequest>,
    ),
    (
        "example-cloudformation-custom-resource-provider-update-request.json",
        rt::<CloudFormationProviderRequest>,
    ),
    (
        "example-cloudformation-custom-resource-provider-delete-request.json",
        rt::<CloudFormationProviderRequest>,
    ),
    (
        "example-cloudformation-custom-resource-provider-response.json",
        rt::<CloudFormationProviderResponse>,
    ),
    (
        "example-secretsmanager-secret-rotation-event.json",
        rt::<SecretsManagerSecretRotationEvent>,
    ),
    ("example-config-event.json", rt::<ConfigEvent>),
    ("example-iot-custom-auth-request.json", rt::<IoTCustomAuthorizerRequest>),
    (
        "example-iot-custom-auth-response.json",
        rt::<IoTCustomAuthorizerResponse>,
    ),
    ("example-iot_1_click-event.json", rt::<IoTOneClickEvent>),
    ("example-iot_button-event.json", rt::<IoTButtonEvent>),
    ("example-code_commit-event.json", rt::<CodeCommitEvent>),
    ("example-codepipeline_job-event.json", rt::<CodePipelineJobEvent>),
    ("example-lex-event.json", rt::<LexEvent>),
    ("example-lex-response.json", rt::<LexResponse>),
    ("example-connect-event.json", rt::<ConnectEvent>),
    ("example-connect-event-without-queue.json", rt::<ConnectEvent>),
    ("example-bedrock-agent-runtime-event.json", rt::<AgentActionGroupEvent>),
    (
        "example-bedrock-agent-runtime-event-without-parameters.json",
        rt::<AgentActionGroupEvent>,
    ),
    (
        "example-bedrock-agent-runtime-event-without-request-body.json",
        rt::<AgentActionGroupEvent>,
    ),
];

/// Shared fixtures whose names match these sources but that are not this group's types: the
/// CodePipeline state-change events are EventBridge events (module `eventbridge`); ClientVPN
/// and DocumentDB are not mapped yet.
const SHARED_NOT_MAPPED: &[&str] = &[
    "example-codepipeline-action-execution-stage-change-event.json",
    "example-codepipeline-execution-stage-change-event.json",
    "example-codepipeline-execution-state-change-event.json",
    "example-clientvpn-connectionhandler-request.json",
];

/// The SNS-shaped alarm fixtures: the SNS envelope belongs to the `sns` module; here each
/// record's `Message` must round-trip through [`CloudWatchAlarmSnsPayload`].
fn alarm_sns_messages(path: &Path) {
    let name = path.display();
    let event = common::read_json(path);
    let records = event["Records"].as_array().expect("Records");
    assert!(!records.is_empty());
    for record in records {
        let message = record["Sns"]["Message"].as_str().expect("Sns.Message");
        let payload = CloudWatchAlarmSnsPayload::from_sns_message(message).unwrap();
        let mut encoded = serde_json::to_value(&payload).unwrap();
        let mut expected: Value = serde_json::from_str(message).unwrap();
        common::normalize(&mut encoded);
        common::normalize(&mut expected);
        assert_eq!(encoded, expected, "{name}: alarm message lost data");
    }
}

#[test]
fn aws_examples_round_trip() {
    for (name, check) in SHARED {
        check(&common::aws_example(name));
    }
}

#[test]
fn every_aws_example_of_these_sources_is_listed() {
    const PREFIXES: &[&str] = &[
        "example-cloudwatch-alarm-",
        "example-cognito-",
        "example-appsync-",
        "example-cloudformation-",
        "example-secretsmanager-",
        "example-config-",
        "example-iot",
        "example-code_commit-",
        "example-codepipeline",
        "example-lex-",
        "example-connect-",
        "example-bedrock-agent-",
        "example-clientvpn-",
    ];
    let dir = common::aws_example("");
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if PREFIXES.iter().any(|p| name.starts_with(p))
            && !SHARED.iter().any(|(listed, _)| *listed == name)
            && !SHARED_NOT_MAPPED.contains(&name.as_str())
        {
            unlisted.push(name);
        }
    }
    assert!(unlisted.is_empty(), "shared fixtures without a mapping: {unlisted:?}");
}

// -------------------------------------------------------------------------------------------
// Present-and-empty maps: `{}` comes back as `{}`, an absent map stays absent.

#[test]
fn appsync_empty_stash_and_variables_are_kept() {
    let path = common::own_fixture("appsync/resolver-empty-stash-and-variables.json");
    common::assert_empty_object_kept::<AppSyncResolverEvent>(&path, "/stash");
    common::assert_empty_object_kept::<AppSyncResolverEvent>(&path, "/info/variables");
    let event: AppSyncResolverEvent = own("appsync/resolver-empty-stash-and-variables.json");
    assert!(event.stash.is_present() && event.stash.is_empty());
    assert!(event.info.variables.is_present() && event.info.variables.is_empty());
    assert_eq!(event.info.field_name, "getPost");
}

#[test]
fn bedrock_agent_empty_session_attributes_are_kept() {
    let path = common::own_fixture("bedrock_agent/function-event-empty-session.json");
    common::assert_empty_object_kept::<AgentActionGroupEvent>(&path, "/sessionAttributes");
    common::assert_empty_object_kept::<AgentActionGroupEvent>(&path, "/promptSessionAttributes");
    let event: AgentActionGroupEvent = own("bedrock_agent/function-event-empty-session.json");
    assert!(event.session_attributes.is_present() && event.session_attributes.is_empty());
    assert_eq!(event.parameter("city"), Some("Lisbon"));
    // The response fixture sends `"promptSessionAttributes": {}` too.
    common::assert_empty_object_kept::<AgentActionGroupResponse>(
        &common::own_fixture("bedrock_agent/api-response.json"),
        "/promptSessionAttributes",
    );
}

#[test]
fn cloudwatch_alarm_empty_dimensions_are_kept() {
    let path = common::own_fixture("cloudwatch_alarms/metric-alarm-empty-dimensions.json");
    let pointer = "/alarmData/configuration/metrics/0/metricStat/metric/dimensions";
    common::assert_empty_object_kept::<CloudWatchAlarmEvent>(&path, pointer);
    let event: CloudWatchAlarmEvent = own("cloudwatch_alarms/metric-alarm-empty-dimensions.json");
    let metric = &event.alarm_data.configuration.metrics[0]
        .metric_stat
        .as_ref()
        .unwrap()
        .metric;
    assert!(metric.dimensions.is_present() && metric.dimensions.is_empty());
}

#[test]
fn connect_empty_attributes_and_parameters_are_kept() {
    let path = common::own_fixture("connect/contact-flow-empty-attributes.json");
    common::assert_empty_object_kept::<ConnectEvent>(&path, "/Details/ContactData/Attributes");
    common::assert_empty_object_kept::<ConnectEvent>(&path, "/Details/Parameters");
    let event: ConnectEvent = own("connect/contact-flow-empty-attributes.json");
    assert!(event.details.parameters.is_present() && event.details.parameters.is_empty());
    assert!(event.details.contact_data.attributes.is_present());
    assert!(event.details.contact_data.queue.is_none());
}

/// AWS documents the trigger `version` as a string; some senders write a number. Either decodes,
/// and each is written back in the form it came in.
#[test]
fn cognito_version_is_a_string_or_a_number() {
    let numeric: PreAuthenticationEvent = own("cognito/pre-authentication-numeric-version.json");
    assert_eq!(numeric.version, "1");
    assert!(numeric.version.is_number());
    assert_eq!(serde_json::to_value(&numeric).unwrap()["version"], json!(1));
    assert_eq!(numeric.request.user_attributes.get_bool("email_verified"), Some(true));

    let text: PreAuthenticationEvent = own("cognito/pre-authentication-user-not-found.json");
    assert_eq!(text.version, "1");
    assert_eq!(text.version.as_str(), Some("1"));
    assert_eq!(serde_json::to_value(&text).unwrap()["version"], json!("1"));

    // Number in, number out; string in, string out, for the generic event too.
    for version in [json!(1), json!("1"), json!(2), json!("3"), json!(1.5)] {
        let raw = json!({"version": version, "triggerSource": "PreSignUp_SignUp", "region": "eu-west-1",
                         "userPoolId": "eu-west-1_x", "callerContext": {"awsSdkVersion": "s", "clientId": "c"},
                         "request": {}, "response": {}});
        let event: CognitoUserPoolEvent = common::assert_value_round_trip(raw.clone(), &format!("version {version}"));
        assert_eq!(serde_json::to_value(&event).unwrap()["version"], version);
        assert_eq!(
            event.version.to_text(),
            version.as_str().map_or_else(|| version.to_string(), str::to_owned)
        );
    }
    // A version that is neither is an error.
    let bad = json!({"version": true, "request": {}});
    assert!(serde_json::from_value::<CognitoUserPoolEvent>(bad).is_err());
}

// -------------------------------------------------------------------------------------------
// Decoded values and helpers, per module.

#[test]
fn cloudwatch_alarm_values_and_timestamps() {
    let event: CloudWatchAlarmEvent = own("cloudwatch_alarms/metric-alarm.json");
    assert_eq!(event.alarm_data.alarm_name, "orders-api-5xx");
    assert!(event.alarm_data.state.is_alarm());
    assert!(event.alarm_data.previous_state.as_ref().unwrap().is_ok());
    let metric = &event.alarm_data.configuration.metrics[0];
    let stat = metric.metric_stat.as_ref().unwrap();
    assert_eq!(stat.metric.dimensions["Stage"], "prod");
    assert_eq!(stat.period, 60);
    // 2024-06-11T08:14:02.771+0000
    let expected = UNIX_EPOCH + Duration::from_millis(1_718_093_642_771);
    assert_eq!(event.time(), Some(expected));
    assert_eq!(event.alarm_data.state.timestamp(), Some(expected));

    let reason: CloudWatchMetricAlarmReasonData = event.alarm_data.state.reason_data().unwrap().unwrap();
    assert_eq!(reason.statistic.as_deref(), Some("Sum"));
    assert_eq!(reason.recent_datapoints, Some(vec![9.0, 14.0]));
    assert_eq!(reason.evaluated_datapoints.unwrap()[0].value, Some(14.0));

    let math: CloudWatchAlarmEvent = own("cloudwatch_alarms/metric-math-alarm.json");
    assert!(math.alarm_data.state.is_insufficient_data());
    assert_eq!(math.alarm_data.state.evaluation_state.as_deref(), Some("PARTIAL_DATA"));
    let rate = &math.alarm_data.configuration.metrics[2];
    assert_eq!(rate.expression.as_deref(), Some("100 * errors / invocations"));
    assert!(rate.metric_stat.is_none());
    assert!(math.alarm_data.state.reason_data::<Value>().is_none());

    let composite: CloudWatchAlarmEvent = own("cloudwatch_alarms/composite-alarm.json");
    assert!(composite.alarm_data.configuration.is_composite());
    assert!(composite.alarm_data.configuration.metrics.is_empty());
    assert_eq!(
        composite.alarm_data.configuration.actions_suppressor_extension_period,
        Some(300)
    );
    let reason: CloudWatchCompositeAlarmReasonData = composite.alarm_data.state.reason_data().unwrap().unwrap();
    assert!(reason.triggering_alarms[0].arn.ends_with(":alarm:checkout-latency"));
    assert!(reason.triggering_alarms[0].state.is_ok());
}

#[test]
fn cloudwatch_alarm_shared_shapes() {
    // The EventBridge-shaped alarm keeps its envelope fields in `other`.
    let event: CloudWatchAlarmEvent = shared("example-cloudwatch-alarm-composite-with-suppressor-alarm.json");
    assert_eq!(event.other["detail-type"], "CloudWatch Alarm State Change");
    assert!(event.alarm_arn.is_none());
    assert_eq!(
        event.alarm_data.state.actions_suppressed_by.as_deref(),
        Some("WaitPeriod")
    );
    assert_eq!(event.time(), Some(UNIX_EPOCH + Duration::from_secs(1_658_505_465)));

    // This fixture's timestamps have stray spaces: decoding keeps them, the accessor says None.
    let metric: CloudWatchAlarmEvent = shared("example-cloudwatch-alarm-metric.json");
    assert_eq!(metric.time, "2023-08-04T12: 36: 15.490+0000");
    assert_eq!(metric.time(), None);
    assert_eq!(
        metric.alarm_data.configuration.metrics[0]
            .metric_stat
            .as_ref()
            .unwrap()
            .unit
            .as_deref(),
        Some("Percent")
    );

    let sns = common::read_json(&common::aws_example(
        "example-cloudwatch-alarm-sns-payload-multiple-metrics.json",
    ));
    let message = sns["Records"][0]["Sns"]["Message"].as_str().unwrap();
    let payload = CloudWatchAlarmSnsPayload::from_sns_message(message).unwrap();
    let trigger = payload.trigger.clone().unwrap();
    assert_eq!(trigger.metrics.len(), 2);
    assert_eq!(trigger.metrics[0].expression.as_deref(), Some("m1*1"));
    let stat = trigger.metrics[1].metric_stat.as_ref().unwrap();
    assert_eq!(stat.metric.metric_name, "NetworkOut");
    assert_eq!(stat.metric.dimensions[0].name, "InstanceId");
    assert_eq!(
        payload.state_change_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_433_353_407_123))
    );
}

/// With the `sns` feature the whole SNS event decodes at once, messages typed.
#[cfg(feature = "sns")]
#[test]
fn cloudwatch_alarm_sns_event_decodes_typed_messages() {
    let raw = common::read_json(&common::aws_example(
        "example-cloudwatch-alarm-sns-payload-single-metric.json",
    ));
    let event: CloudWatchAlarmSnsEvent = serde_json::from_value(raw).unwrap();
    let alarm = &event.records[0].sns.message;
    assert_eq!(alarm.aws_account_id.as_deref(), Some("123456789012"));
    assert_eq!(alarm.old_state_value, "INSUFFICIENT_DATA");
    let trigger = alarm.trigger.as_ref().unwrap();
    assert_eq!(trigger.metric_name.as_deref(), Some("NetworkOut"));
    assert_eq!(trigger.threshold, Some(0.0));
    assert_eq!(trigger.dimensions[0].value, "TestInstance");
}

#[test]
fn cloudwatch_alarm_timestamp_offsets() {
    let mut state = CloudWatchAlarmState::default();
    for (text, expected) in [
        ("1970-01-01T01:00:00.000+0100", Some(0)),
        ("1970-01-01T00:00:00.000-0130", Some(5400)),
        ("1970-01-01T00:00:01+00:00", Some(1)),
        ("1970-01-01T00:00:02Z", Some(2)),
        ("1970-01-01T00:00:03", Some(3)),
        ("not a time", None),
        ("1970-01-01T00:00:00+01", None),
    ] {
        state.timestamp = text.to_owned();
        assert_eq!(
            state.timestamp(),
            expected.map(|s| UNIX_EPOCH + Duration::from_secs(s)),
            "{text}"
        );
    }
}

#[test]
fn cognito_trigger_values() {
    let signup: PreSignUpEvent = shared("example-cognito-event-userpools-presignup.json");
    assert_eq!(signup.trigger_source, "PreSignUp_SignUp");
    assert_eq!(signup.caller_context.client_id, "<apps client id>");
    assert_eq!(signup.request.validation_data["k1"], "v1");
    assert_eq!(signup.response.auto_verify_email, Some(true));
    assert_eq!(signup.response.auto_confirm_user, Some(false));

    let admin: PreSignUpEvent = own("cognito/pre-signup-admin-create-user.json");
    assert!(admin.request.validation_data.is_empty());
    assert_eq!(admin.request.user_attributes.get_str("custom:plan"), Some("team"));

    let message: CustomMessageEvent = shared("example-cognito-event-userpools-custommessage.json");
    // This shared fixture sends booleans as attribute values; they survive and read as booleans.
    assert_eq!(
        message.request.user_attributes.get_bool("phone_number_verified"),
        Some(true)
    );
    assert_eq!(message.request.user_attributes.get_bool("email_verified"), Some(false));
    assert_eq!(message.request.code_parameter.as_deref(), Some("####"));

    let own_message: CustomMessageEvent = own("cognito/custom-message-sign-up.json");
    assert_eq!(
        own_message.request.user_attributes.get_bool("email_verified"),
        Some(false)
    );
    assert_eq!(own_message.request.link_parameter.as_deref(), Some("{##Click here##}"));
    assert!(own_message.response.sms_message.is_none());

    let v1: PreTokenGenerationEvent = shared("example-cognito-event-userpools-pretokengen.json");
    let details = v1.response.claims_override_details.unwrap();
    assert_eq!(details.claims_to_add_or_override["attribute_key"], "attribute_value");
    assert_eq!(
        details
            .group_override_details
            .unwrap()
            .groups_to_override
            .unwrap()
            .len(),
        3
    );
    let incoming: PreTokenGenerationEvent = shared("example-cognito-event-userpools-pretokengen-incoming.json");
    assert!(incoming.response.claims_override_details.is_none());

    let v2: PreTokenGenerationV2Event = own("cognito/pre-token-generation-v2.json");
    assert_eq!(v2.version, "2");
    assert_eq!(v2.request.scopes.as_ref().unwrap()[0], "openid");
    let over = v2.response.claims_and_scope_override_details.unwrap();
    let id = over.id_token_generation.unwrap();
    assert_eq!(id.claims_to_add_or_override["roles"], json!(["admin", "billing"]));
    assert_eq!(id.claims_to_add_or_override["limits"]["projects"], 10);
    let access = over.access_token_generation.unwrap();
    assert_eq!(access.scopes_to_add.unwrap(), vec!["orders/read"]);

    let define: DefineAuthChallengeEvent = own("cognito/define-auth-challenge-first-step.json");
    assert!(define.request.session.is_empty());
    let create: CreateAuthChallengeEvent = own("cognito/create-auth-challenge-retry.json");
    assert_eq!(
        create.request.session[1].challenge_metadata.as_deref(),
        Some("EMAIL_CODE")
    );
    assert!(!create.request.session[1].challenge_result);
    assert_eq!(create.response.private_challenge_parameters["answer"], "731904");

    let verify: VerifyAuthChallengeEvent =
        shared("example-cognito-event-userpools-verify-auth-challenge-null-answer-correct.json");
    assert_eq!(verify.response.answer_correct, None);
    assert_eq!(verify.request.challenge_answer.as_deref(), Some("123xxxx"));

    let migrate: MigrateUserEvent = shared("example-cognito-event-userpools-migrateuser.json");
    assert_eq!(migrate.request.password.as_deref(), Some("<password>"));
    assert!(
        !format!("{migrate:?}").contains("<password>"),
        "Debug must redact the password"
    );
    assert_eq!(migrate.response.force_alias_creation, Some(true));

    let generic: CognitoUserPoolEvent = own("cognito/custom-email-sender-generic.json");
    assert_eq!(generic.request["type"], "customEmailSenderRequestV1");

    let sync: CognitoEvent = shared("example-cognito-event.json");
    assert_eq!(sync.version, 2);
    assert_eq!(sync.dataset_records["SampleKey1"].op, "replace");
    let sync_own: CognitoEvent = own("cognito/cognito-sync.json");
    assert_eq!(sync_own.dataset_records["beta"].new_value, None);
}

#[test]
fn cognito_responses_are_easy_to_fill() {
    let mut event: DefineAuthChallengeEvent = shared("example-cognito-event-userpools-define-auth-challenge.json");
    event.response = DefineAuthChallengeResponse {
        issue_tokens: Some(true),
        fail_authentication: Some(false),
        ..Default::default()
    };
    let json = serde_json::to_value(&event).unwrap();
    assert_eq!(
        json["response"],
        json!({"issueTokens": true, "failAuthentication": false})
    );
    assert_eq!(json["triggerSource"], "DefineAuthChallenge_Authentication");

    let mut migrate = MigrateUserEvent::default();
    migrate
        .response
        .user_attributes
        .set("email", "a@example.org")
        .set("email_verified", "true");
    migrate.response.final_user_status = Some("CONFIRMED".into());
    migrate.response.message_action = Some("SUPPRESS".into());
    let json = serde_json::to_value(&migrate.response).unwrap();
    assert_eq!(
        json,
        json!({"userAttributes": {"email": "a@example.org", "email_verified": "true"},
               "finalUserStatus": "CONFIRMED", "messageAction": "SUPPRESS"})
    );

    // A test invocation without `response` decodes to an empty response, ready to fill.
    let bare: PreSignUpEvent = serde_json::from_value(json!({
        "version": "1", "triggerSource": "PreSignUp_SignUp", "region": "eu-west-1",
        "userPoolId": "eu-west-1_x", "userName": "u", "callerContext": {"awsSdkVersion": "v", "clientId": "c"},
        "request": {"userAttributes": {"email": "u@example.org"}}
    }))
    .unwrap();
    assert_eq!(bare.response, PreSignUpResponse::default());

    let attributes: UserAttributes = [("email", "x@example.org")].into_iter().collect();
    assert_eq!(attributes.get_str("email"), Some("x@example.org"));
    assert_eq!(attributes.get_bool("email"), None);
    assert_eq!(attributes.len(), 1);
}

#[test]
fn appsync_values_and_identities() {
    let event: AppSyncResolverEvent = shared("example-appsync-direct-resolver.json");
    assert_eq!(event.arguments["input"], "foo");
    assert_eq!(event.info.field_name, "greet");
    assert_eq!(event.info.variables["inputVar"], "foo");
    let request = event.request.as_ref().unwrap();
    assert_eq!(request.headers["x-forwarded-port"], "443");
    assert!(request.domain_name.is_none());
    match event.identity.as_ref().unwrap() {
        AppSyncIdentity::Iam(iam) => {
            assert_eq!(iam.account_id.as_deref(), Some("666666666666"));
            assert_eq!(iam.other["user"], "AIDAAAAAAAAAAAAAAAAAA");
        }
        other => panic!("expected IAM identity, got {other:?}"),
    }

    let cognito: AppSyncIdentity = shared("example-appsync-identity-cognito.json");
    let AppSyncIdentity::Cognito(c) = &cognito else {
        panic!("{cognito:?}")
    };
    assert_eq!(c.claims["cognito:username"], "user1");
    assert_eq!(cognito.source_ip(), ["192.168.196.186", "193.168.196.186"]);
    let iam: AppSyncIdentity = shared("example-appsync-identity-iam.json");
    let AppSyncIdentity::Iam(i) = &iam else {
        panic!("{iam:?}")
    };
    assert_eq!(i.cognito_identity_auth_type.as_deref(), Some("authenticated"));

    let oidc: AppSyncResolverEvent = own("appsync/resolver-oidc.json");
    assert!(matches!(oidc.identity, Some(AppSyncIdentity::Oidc(ref o)) if o.sub == "auth0|6654321"));
    assert!(oidc.stash.is_empty() && oidc.info.variables.is_empty());
    let lambda: AppSyncResolverEvent = own("appsync/resolver-lambda-authorized.json");
    assert!(matches!(lambda.identity, Some(AppSyncIdentity::Lambda(ref l)) if l.resolver_context["role"] == "support"));
    let api_key: AppSyncResolverEvent = own("appsync/resolver-api-key-no-identity.json");
    assert!(api_key.identity.is_none());

    #[derive(serde::Deserialize, serde::Serialize)]
    struct Page {
        first: u32,
        after: Option<String>,
    }
    let nested: AppSyncResolverEvent<Page> = own("appsync/resolver-cognito-nested-field.json");
    assert_eq!(nested.arguments.first, 5);
    assert_eq!(nested.source.as_ref().unwrap()["id"], "post-381");
    assert_eq!(nested.prev.as_ref().unwrap()["result"]["allowed"], true);
    assert_eq!(nested.info.selection_set_list[1], "items/id");

    let batch: AppSyncBatchResolverEvent = own("appsync/batch-resolver.json");
    assert_eq!(batch.len(), 2);
    assert_eq!(batch[1].source.as_ref().unwrap()["authorId"], "u-11");

    let invoke: AppSyncInvokeEvent<AppSyncInvokePayload> = shared("example-appsync-invoke.json");
    assert!(!invoke.is_batch());
    assert_eq!(invoke.payload.field.as_deref(), Some("getPost"));
    let batch_invoke: AppSyncInvokeEvent<Vec<AppSyncInvokePayload>> = shared("example-appsync-batchinvoke.json");
    assert!(batch_invoke.is_batch());
    assert_eq!(batch_invoke.payload[2].arguments["flag"], false);

    let auth: AppSyncLambdaAuthorizerRequest = shared("example-appsync-lambda-auth-request.json");
    assert_eq!(auth.request_context.operation_name.as_deref(), Some("MyQuery"));
    let auth_own: AppSyncLambdaAuthorizerRequest = own("appsync/lambda-authorizer-request.json");
    assert_eq!(auth_own.request_headers["content-type"], "application/json");
    let answer: AppSyncLambdaAuthorizerResponse = shared("example-appsync-lambda-auth-response.json");
    assert!(answer.is_authorized);
    assert_eq!(answer.resolver_context["banana"], "very yellow");

    let deny = serde_json::to_value(AppSyncLambdaAuthorizerResponse::deny()).unwrap();
    assert_eq!(deny, json!({"isAuthorized": false}));
}

#[test]
fn alexa_values_and_builders() {
    let launch: AlexaRequest = own("alexa/launch-request.json");
    assert_eq!(launch.request.kind(), AlexaRequestKind::Launch);
    assert!(launch.session.as_ref().unwrap().new);
    assert_eq!(
        launch.request.timestamp(),
        Some(UNIX_EPOCH + Duration::from_secs(1_718_437_512))
    );
    let system = &launch.context.as_ref().unwrap().system;
    assert_eq!(system.api_endpoint, "https://api.eu.amazonalexa.com");
    assert!(
        system
            .device
            .supported_interfaces
            .contains_key("Alexa.Presentation.APL")
    );
    assert!(
        !format!("{system:?}").contains("eyJ0eXAi"),
        "Debug must redact apiAccessToken"
    );

    let intent: AlexaRequest = own("alexa/intent-request-with-resolutions.json");
    assert_eq!(intent.request.kind(), AlexaRequestKind::Intent);
    assert_eq!(intent.slot_value("drink"), Some("flat white"));
    assert_eq!(intent.slot_value("size"), None);
    assert_eq!(intent.session_attribute("orders"), Some(&json!(2)));
    assert_eq!(intent.request.dialog_state.as_deref(), Some("IN_PROGRESS"));

    let ended: AlexaRequest = own("alexa/session-ended-request-error.json");
    assert_eq!(ended.request.kind(), AlexaRequestKind::SessionEnded);
    assert_eq!(ended.request.error.as_ref().unwrap().error_type, "INVALID_RESPONSE");

    let audio: AlexaRequest = own("alexa/audioplayer-request-no-session.json");
    assert!(audio.session.is_none());
    assert_eq!(audio.request.kind(), AlexaRequestKind::Other);
    assert_eq!(audio.request.other["token"], "episode-42");
    assert_eq!(audio.session_attribute("orders"), None);

    let response: AlexaResponse = own("alexa/response-ssml-standard-card.json");
    assert_eq!(response.response.card.as_ref().unwrap().card_type, "Standard");
    assert_eq!(response.response.should_end_session, Some(false));

    let plain = AlexaResponse::plain_text("Hello", true);
    assert_eq!(
        serde_json::to_value(&plain).unwrap(),
        json!({"version": "1.0", "response": {"outputSpeech": {"type": "PlainText", "text": "Hello"},
                                              "shouldEndSession": true}})
    );
    let mut link = AlexaResponse::plain_text("Please link your account in the Alexa app.", true);
    link.response.card = Some(AlexaCard::link_account());
    let expected: AlexaResponse = own("alexa/response-plain-text-link-account.json");
    assert_eq!(link, expected);
}

#[test]
fn cloudformation_values_and_responses() {
    let create: CloudFormationCustomResourceRequest =
        shared("example-cloudformation-custom-resource-create-request.json");
    assert_eq!(create.request_type(), "Create");
    assert_eq!(create.physical_resource_id(), None);
    assert_eq!(create.resource_properties()["Key2"], json!(["list"]));
    assert!(create.response_url().unwrap().starts_with("https://cr-response-bucket"));

    let update: CloudFormationCustomResourceRequest =
        shared("example-cloudformation-custom-resource-update-request.json");
    let CloudFormationCustomResourceRequest::Update(u) = &update else {
        panic!("{update:?}")
    };
    assert_eq!(u.old_resource_properties["Key1"], "string");
    assert_eq!(u.resource_properties["Key1"], "new-string");

    let provider: CloudFormationProviderRequest =
        shared("example-cloudformation-custom-resource-provider-delete-request.json");
    assert_eq!(provider.response_url(), None);
    assert_eq!(
        provider.physical_resource_id(),
        Some("custom-resource-f4bd5382-3de3-4caf-b7ad-1be06b899647")
    );

    #[derive(serde::Deserialize, serde::Serialize, Debug)]
    #[serde(rename_all = "PascalCase")]
    struct Dns {
        name: String,
        ttl: String,
    }
    // A user type that ignores some properties cannot round-trip, so decode without the check.
    let raw = common::read_json(&common::own_fixture(
        "cloudformation/update-request-changed-properties.json",
    ));
    let typed: CloudFormationCustomResourceRequest<Dns> = serde_json::from_value(raw).unwrap();
    let CloudFormationCustomResourceRequest::Update(u) = &typed else {
        panic!("{typed:?}")
    };
    assert_eq!(u.resource_properties.ttl, "60");
    assert_eq!(u.old_resource_properties.ttl, "300");
    assert_eq!(u.resource_properties.name, "api.example.org");

    let failed: CloudFormationCustomResourceResponse = CloudFormationCustomResourceResponse::failed(&update, "boom");
    let json = serde_json::to_value(&failed).unwrap();
    assert_eq!(json["Status"], "FAILED");
    assert_eq!(json["Reason"], "boom");
    assert_eq!(
        json["PhysicalResourceId"],
        "custom-resource-f4bd5382-3de3-4caf-b7ad-1be06b899647"
    );
    assert_eq!(json["RequestId"], "49347ca5-c603-44e5-a34b-10cf1854a887");
    let failed_create: CloudFormationCustomResourceResponse =
        CloudFormationCustomResourceResponse::failed(&create, "x");
    assert_eq!(failed_create.physical_resource_id, "CustomResource");

    let shared_response: CloudFormationCustomResourceResponse =
        shared("example-cloudformation-custom-resource-response.json");
    assert_eq!(
        shared_response.status,
        CloudFormationCustomResourceResponseStatus::Failed
    );
    let rebuilt = CloudFormationCustomResourceResponse::failed(&update, "This is a test failure.")
        .with_no_echo(false)
        .with_data(json!({"Key1": "a", "Key2": "b", "Key3": "c"}));
    assert_eq!(rebuilt, shared_response);

    let own_response: CloudFormationCustomResourceResponse = own("cloudformation/response-success-no-echo.json");
    assert_eq!(own_response.status, CloudFormationCustomResourceResponseStatus::Success);
    assert_eq!(own_response.no_echo, Some(true));

    let provider_response: CloudFormationProviderResponse =
        shared("example-cloudformation-custom-resource-provider-response.json");
    assert_eq!(provider_response.data.unwrap()["Key3"], "c");
    let complete: CloudFormationProviderIsCompleteResponse = own("cloudformation/provider-is-complete-response.json");
    assert!(complete.is_complete);
}

#[test]
fn secrets_manager_config_values() {
    let rotation: SecretsManagerSecretRotationEvent = shared("example-secretsmanager-secret-rotation-event.json");
    assert_eq!(rotation.step(), RotationStep::CreateSecret);
    let finish: SecretsManagerSecretRotationEvent =
        own("secretsmanager/rotation-finish-secret-with-rotation-token.json");
    assert_eq!(finish.step(), RotationStep::FinishSecret);
    assert_eq!(
        finish.rotation_token.as_deref(),
        Some("5c4b3a29-1807-46f5-a4e3-d2c1b0a9f8e7")
    );

    let config: ConfigEvent = shared("example-config-event.json");
    let invoking: ConfigInvokingEvent = config.invoking_event().unwrap();
    assert_eq!(invoking.message_type, "ConfigurationSnapshotDeliveryCompleted");
    assert_eq!(invoking.other["s3Bucket"], "config-bucket");
    assert_eq!(
        invoking.notification_creation_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_456_338_200_328))
    );
    let params: HashMap<String, String> = config.rule_parameters().unwrap().unwrap();
    assert_eq!(params["myParameterKey"], "myParameterValue");

    let change: ConfigEvent = own("config/change-notification-event.json");
    let invoking: ConfigInvokingEvent = change.invoking_event().unwrap();
    let item = invoking.configuration_item.unwrap();
    assert_eq!(item.resource_type, "AWS::EC2::Instance");
    assert_eq!(item.tags["team"], "platform");
    assert_eq!(item.configuration.unwrap()["state"]["name"], "stopped");
    assert_eq!(change.evaluation_mode.as_deref(), Some("DETECTIVE"));

    let scheduled: ConfigEvent = own("config/scheduled-notification-no-parameters.json");
    assert!(scheduled.rule_parameters::<Value>().is_none());
    assert_eq!(scheduled.event_left_scope, Some(true));
    let bad = ConfigEvent {
        invoking_event: "not json".into(),
        ..Default::default()
    };
    assert!(bad.invoking_event::<Value>().is_err());
}

#[test]
fn iot_values_and_builders() {
    let request: IoTCustomAuthorizerRequest = shared("example-iot-custom-auth-request.json");
    let data = request.protocol_data.as_ref().unwrap();
    let mqtt = data.mqtt.as_ref().unwrap();
    assert_eq!(mqtt.password.as_ref().unwrap().as_ref(), b"myPassword");
    assert!(!format!("{mqtt:?}").contains("myPassword"));
    assert_eq!(data.http.as_ref().unwrap().headers["X-Request-ID"], "abc123");
    assert_eq!(data.tls.as_ref().unwrap().server_name, "serverName");

    let no_token: IoTCustomAuthorizerRequest = own("iot/custom-auth-request-http-no-token.json");
    assert!(no_token.token.is_none());
    assert_eq!(no_token.protocols, ["tls", "http"]);

    let response: IoTCustomAuthorizerResponse = shared("example-iot-custom-auth-response.json");
    assert_eq!(response.refresh_after_in_seconds, Some(300));
    let IoTPolicy::Document(doc) = &response.policy_documents[0] else {
        panic!()
    };
    assert_eq!(doc.statement[0].action.as_slice(), ["iot:Publish"]);

    let mixed: IoTCustomAuthorizerResponse = own("iot/custom-auth-response-string-policies.json");
    assert!(matches!(&mixed.policy_documents[0], IoTPolicy::Json(s) if s.contains("iot:Connect")));
    let IoTPolicy::Document(doc) = &mixed.policy_documents[1] else {
        panic!()
    };
    assert_eq!(doc.statement[0].action, StringOrList::One("iot:Publish".into()));
    assert_eq!(doc.statement[0].resource.as_slice().len(), 2);

    let built = IoTCustomAuthorizerResponse::allow(
        "xxxxxxxx",
        IoTPolicyDocument::allow(
            ["iot:Publish"],
            ["arn:aws:iot:us-east-1:<your_aws_account_id>:topic/customauthtesting"],
        ),
    );
    assert_eq!(built.policy_documents, response.policy_documents);
    let denied = serde_json::to_value(IoTCustomAuthorizerResponse::deny("p")).unwrap();
    assert_eq!(
        denied,
        json!({"isAuthenticated": false, "principalId": "p", "policyDocuments": []})
    );

    let click: IoTOneClickEvent = shared("example-iot_1_click-event.json");
    assert_eq!(click.device_event.button_clicked.click_type, "SINGLE");
    assert_eq!(click.device_info.remaining_life, Some(5.0));
    assert_eq!(click.placement_info.devices["myButton"], "G030PMXXXXXXXXXX");
    assert_eq!(
        click.device_event.button_clicked.reported_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_525_476_393_747))
    );
    let button: IoTButtonEvent = shared("example-iot_button-event.json");
    assert_eq!(button.battery_voltage, "2000 mV");
}

#[test]
fn codecommit_codepipeline_values() {
    let event: CodeCommitEvent = shared("example-code_commit-event.json");
    let record = &event.records[0];
    assert_eq!(record.codecommit.references[0].reference, "refs/heads/master");
    assert_eq!(record.event_total_parts, 1);
    assert_eq!(
        record.event_time(),
        Some(UNIX_EPOCH + Duration::from_millis(1_516_982_313_475))
    );

    let own_event: CodeCommitEvent = own("codecommit/reference-changes-two-records.json");
    let first = &own_event.records[0];
    assert_eq!(first.codecommit.references[0].created, Some(true));
    assert_eq!(first.codecommit.references[1].deleted, Some(true));
    // +0200 and +0000 name the same instant.
    assert_eq!(first.event_time(), own_event.records[1].event_time());
    assert!(first.event_time().is_some());

    let job: CodePipelineJobEvent = shared("example-codepipeline_job-event.json");
    let data = &job.job.data;
    assert_eq!(job.job.account_id, "111111111111");
    assert_eq!(
        data.action_configuration.configuration.function_name.as_deref(),
        Some("MyLambdaFunctionForAWSCodePipeline")
    );
    assert_eq!(data.input_artifacts[0].location.location_type, "S3");
    assert!(data.input_artifacts[0].revision.is_none());
    assert_eq!(
        data.continuation_token.as_deref(),
        Some("A continuation token if continuing job")
    );
    let credentials = data.artifact_credentials.as_ref().unwrap();
    assert_eq!(credentials.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    let debug = format!("{job:?}");
    assert!(!debug.contains("wJalrXUtnFEMI"), "secret access key leaked in Debug");
    assert!(
        !debug.contains("MIICiTCCAfICCQD6m7oRw0uXOjANBgkqhkiG9w0BAQUFADCBiDELMAkGA1UEBhMC"),
        "session token leaked"
    );
    assert!(debug.contains("AKIAIOSFODNN7EXAMPLE"));

    let own_job: CodePipelineJobEvent = own("codepipeline/job-with-encryption-key.json");
    assert_eq!(own_job.job.data.encryption_key.as_ref().unwrap().key_type, "KMS");
    let params: Value = serde_json::from_str(
        own_job
            .job
            .data
            .action_configuration
            .configuration
            .user_parameters
            .as_ref()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(params["retries"], 3);
}

#[test]
fn lex_values_and_builders() {
    let event: LexEvent = shared("example-lex-event.json");
    assert_eq!(event.current_intent.slots["slot name1"].as_deref(), Some("value1"));
    assert_eq!(
        event.current_intent.slot_details["slot name2"]
            .original_value
            .as_deref(),
        Some("original text")
    );
    assert_eq!(event.bot.alias, "bot alias");
    let dialog: LexEvent = own("lex/v1-dialog-code-hook.json");
    assert_eq!(dialog.current_intent.slots["PickupDate"], None);
    assert!(dialog.request_attributes.is_empty());
    assert_eq!(
        dialog.recent_intent_summary_view.as_ref().unwrap()[0]
            .slot_to_elicit
            .as_deref(),
        Some("PickupDate")
    );

    let response: LexResponse = shared("example-lex-response.json");
    let card = response.dialog_action.response_card.as_ref().unwrap();
    assert_eq!(card.generic_attachments[0].buttons[0].text, "button-text");
    assert_eq!(
        serde_json::to_value(LexResponse::close("Fulfilled", "Done")).unwrap(),
        json!({"dialogAction": {"type": "Close", "fulfillmentState": "Fulfilled",
                                "message": {"contentType": "PlainText", "content": "Done"}}})
    );
    let slots: HashMap<String, Option<String>> = [("FlowerType".to_owned(), Some("tulips".to_owned()))].into();
    let elicit = LexResponse::elicit_slot("OrderFlowers", slots, "PickupDate", "When?");
    assert_eq!(elicit.dialog_action.slot_to_elicit.as_deref(), Some("PickupDate"));
    assert_eq!(
        LexResponse::delegate(HashMap::new()).dialog_action.action_type,
        "Delegate"
    );

    let v2: LexV2Event = own("lex/v2-fulfillment-event.json");
    assert_eq!(v2.slot_value("City"), Some("Lisbon"));
    assert_eq!(v2.slot_value("CheckIn"), None);
    assert_eq!(v2.slot_value("Missing"), None);
    let best = &v2.interpretations[0];
    assert_eq!(best.nlu_confidence, Some(0.97));
    let amenities = best.intent.slots["Amenities"].as_ref().unwrap();
    assert_eq!(amenities.values.as_ref().unwrap().len(), 2);
    assert_eq!(
        v2.transcriptions.as_ref().unwrap()[0].transcription_confidence,
        Some(0.94)
    );
    assert_eq!(
        v2.session_state.active_contexts.as_ref().unwrap()[0].context_attributes["city"],
        "Lisbon"
    );

    let mut intent = v2.session_state.intent.clone().unwrap();
    intent
        .slots
        .insert("CheckIn".into(), Some(LexV2Slot::scalar("2024-07-01")));
    let elicit = LexV2Response::elicit_slot(intent.clone(), "RoomType")
        .with_plain_text("Which room?")
        .with_session_attributes(v2.session_state.session_attributes.clone());
    let json = serde_json::to_value(&elicit).unwrap();
    assert_eq!(
        json["sessionState"]["dialogAction"],
        json!({"type": "ElicitSlot", "slotToElicit": "RoomType"})
    );
    assert_eq!(
        json["sessionState"]["intent"]["slots"]["CheckIn"]["value"]["interpretedValue"],
        "2024-07-01"
    );
    assert_eq!(json["sessionState"]["sessionAttributes"]["customerId"], "c-771");
    let close = LexV2Response::close(intent, "Failed");
    assert_eq!(
        close.session_state.intent.as_ref().unwrap().state.as_deref(),
        Some("Failed")
    );
    assert!(close.messages.is_none());
    assert!(LexV2Response::elicit_intent().session_state.intent.is_none());

    let response: LexV2Response = own("lex/v2-response-image-card.json");
    let messages = response.messages.as_ref().unwrap();
    assert_eq!(
        messages[1]
            .image_response_card
            .as_ref()
            .unwrap()
            .buttons
            .as_ref()
            .unwrap()[1]
            .value,
        "double"
    );
}

#[test]
fn connect_values() {
    let event: ConnectEvent = shared("example-connect-event.json");
    let contact = &event.details.contact_data;
    assert_eq!(event.name, "ContactFlowExecution");
    assert_eq!(contact.queue.as_ref().unwrap().name, "PrimaryPhoneQueue");
    assert_eq!(
        contact.system_endpoint.as_ref().unwrap().endpoint_type,
        "TELEPHONE_NUMBER"
    );
    assert_eq!(event.details.parameters["key2"], "value2");
    let without: ConnectEvent = shared("example-connect-event-without-queue.json");
    assert!(without.details.contact_data.queue.is_none());

    let own_event: ConnectEvent = own("connect/contact-flow-chat-with-media-streams.json");
    let contact = &own_event.details.contact_data;
    assert_eq!(contact.language_code.as_deref(), Some("pt-BR"));
    assert_eq!(
        contact.media_streams.as_ref().unwrap()["Customer"]["Audio"]["StartTimestamp"],
        "1718726400123"
    );
    assert_eq!(
        contact.segment_attributes["connect:Subtype"]["ValueString"],
        "connect:Telephony"
    );
    assert!(own_event.details.parameters.is_empty());

    let response: ConnectResponse = own("connect/response-flat-map.json");
    assert_eq!(response["balance"], "1520.75");
}

#[test]
fn bedrock_agent_values_and_builders() {
    let event: AgentActionGroupEvent = shared("example-bedrock-agent-runtime-event.json");
    assert_eq!(event.agent.alias, "AgentAlias");
    assert_eq!(event.parameter("param1"), Some("value1"));
    assert_eq!(event.body_property("application/json", "prop1"), Some("value1"));
    assert_eq!(event.body_property("text/plain", "prop1"), None);
    let no_params: AgentActionGroupEvent = shared("example-bedrock-agent-runtime-event-without-parameters.json");
    assert!(no_params.parameters.is_none());
    assert_eq!(no_params.parameter("param1"), None);
    let no_body: AgentActionGroupEvent = shared("example-bedrock-agent-runtime-event-without-request-body.json");
    assert!(no_body.request_body.is_none());

    let function: AgentActionGroupEvent = own("bedrock_agent/function-details-event.json");
    assert_eq!(function.function.as_deref(), Some("get_remaining_days"));
    assert!(function.api_path.is_none());
    assert_eq!(function.parameter("year"), Some("2024"));
    let answer = AgentActionGroupResponse::function_text(&function, "12 days");
    let json = serde_json::to_value(&answer).unwrap();
    assert_eq!(
        json,
        json!({"messageVersion": "1.0",
               "response": {"actionGroup": "time-off", "function": "get_remaining_days",
                            "functionResponse": {"responseBody": {"TEXT": {"body": "12 days"}}}},
               "promptSessionAttributes": {"today": "2024-06-19"}})
    );

    let api: AgentActionGroupEvent = own("bedrock_agent/api-event-empty-parameters.json");
    assert_eq!(api.parameters.as_deref(), Some(&[][..]));
    assert_eq!(api.body_property("application/json", "halfDay"), Some("false"));
    let mut built = AgentActionGroupResponse::api(
        &api,
        201,
        "application/json",
        r#"{"requestId":"to-9001","status":"PENDING"}"#,
    );
    built.session_attributes.insert("lastRequest".into(), "to-9001".into());
    let expected: AgentActionGroupResponse = own("bedrock_agent/api-response.json");
    assert_eq!(built, expected);

    let reprompt: AgentActionGroupResponse = own("bedrock_agent/function-response-reprompt.json");
    let function_response = reprompt.response.function_response.as_ref().unwrap();
    assert_eq!(function_response.response_state.as_deref(), Some("REPROMPT"));
    assert_eq!(reprompt.knowledge_bases_configuration.as_ref().unwrap().len(), 1);
}
