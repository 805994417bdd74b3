//! Property tests for the "services" modules: the `+hhmm` timestamps of CloudWatch alarms and
//! CodeCommit, and AppSync identity discrimination (an identity must decode back into the variant
//! it was encoded from).
#![cfg(all(feature = "appsync", feature = "cloudwatch_alarms", feature = "codecommit"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on bad fixtures

use std::time::{Duration, UNIX_EPOCH};

use proptest::prelude::*;

use lambda_fn_events::appsync::{AppSyncCognitoIdentity, AppSyncIamIdentity, AppSyncIdentity, AppSyncOidcIdentity};
use lambda_fn_events::cloudwatch_alarms::CloudWatchAlarmState;
use lambda_fn_events::codecommit::CodeCommitRecord;

/// `utc` written as local time at `offset_minutes` east of UTC, in the given offset style.
fn local_text(utc_millis: u64, offset_minutes: i64, colon: bool) -> String {
    let local = UNIX_EPOCH + Duration::from_millis(utc_millis);
    let local = if offset_minutes >= 0 {
        local + Duration::from_secs(offset_minutes.unsigned_abs() * 60)
    } else {
        local - Duration::from_secs(offset_minutes.unsigned_abs() * 60)
    };
    let base = humantime::format_rfc3339_millis(local).to_string();
    let base = base.trim_end_matches('Z');
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let (h, m) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
    if colon {
        format!("{base}{sign}{h:02}:{m:02}")
    } else {
        format!("{base}{sign}{h:02}{m:02}")
    }
}

proptest! {
    #[test]
    fn offset_timestamps_name_the_right_instant(
        // 1971..2100, so that local times stay after the epoch for every offset.
        utc_millis in 31_536_000_000u64..4_102_444_800_000,
        offset_minutes in -14 * 60i64..=14 * 60,
        colon: bool,
    ) {
        let text = local_text(utc_millis, offset_minutes, colon);
        let expected = Some(UNIX_EPOCH + Duration::from_millis(utc_millis));

        prop_assert_eq!(lambda_fn_events::encoding::parse_iso8601(&text), expected, "shared parser {}", text);
        let state = CloudWatchAlarmState { timestamp: text.clone(), ..Default::default() };
        prop_assert_eq!(state.timestamp(), expected, "alarm timestamp {}", text);
        let record = CodeCommitRecord { event_time: text.clone(), ..Default::default() };
        prop_assert_eq!(record.event_time(), expected, "codecommit eventTime {}", text);
    }

    #[test]
    fn iam_identities_decode_as_iam(
        account in "[0-9]{12}",
        user in proptest::option::of("[a-zA-Z0-9:-]{1,20}"),
        pool in proptest::option::of("[a-z0-9:-]{1,30}"),
        ips in proptest::collection::vec("[0-9.]{7,15}", 0..3),
    ) {
        let identity = AppSyncIdentity::Iam(AppSyncIamIdentity {
            account_id: Some(account),
            user_arn: user.as_ref().map(|u| format!("arn:aws:iam::123456789012:user/{u}")),
            username: user,
            cognito_identity_pool_id: pool,
            source_ip: ips,
            ..Default::default()
        });
        let json = serde_json::to_value(&identity).unwrap();
        let back: AppSyncIdentity = serde_json::from_value(json).unwrap();
        prop_assert_eq!(back, identity);
    }

    #[test]
    fn cognito_and_oidc_identities_keep_their_variant(
        sub in "[a-f0-9-]{8,36}",
        username in "[a-z]{1,12}",
        groups in proptest::option::of(proptest::collection::vec("[a-z]{1,8}", 0..3)),
        claim in "[a-z]{1,8}",
    ) {
        let claims: std::collections::HashMap<String, serde_json::Value> =
            [(claim.clone(), serde_json::Value::String(sub.clone()))].into();
        let cognito = AppSyncIdentity::Cognito(AppSyncCognitoIdentity {
            sub: sub.clone(),
            issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x".into(),
            username,
            claims: claims.clone().into(),
            source_ip: vec!["203.0.113.1".into()],
            default_auth_strategy: Some("ALLOW".into()),
            groups,
            ..Default::default()
        });
        let back: AppSyncIdentity = serde_json::from_value(serde_json::to_value(&cognito).unwrap()).unwrap();
        prop_assert_eq!(back, cognito);

        let oidc = AppSyncIdentity::Oidc(AppSyncOidcIdentity {
            claims: claims.into(),
            issuer: "https://login.example.org/".into(),
            sub,
            ..Default::default()
        });
        let back: AppSyncIdentity = serde_json::from_value(serde_json::to_value(&oidc).unwrap()).unwrap();
        prop_assert_eq!(back, oidc);
    }
}
