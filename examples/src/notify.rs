//! Handlers of AWS notifications, each taking the `lambda-fn-events` type of its trigger (the compiler checks
//! that the type can take the trigger's events):
//!
//! - `uploads.s3`: S3 object notifications of the bucket `UploadsBucket`;
//! - `alerts.sns`: the messages of the topic `AlertsTopic`;
//! - `uploads.events`: an EventBridge rule matching the `Object Created` events S3 sends to EventBridge,
//!   for objects under `reports/`;
//! - `reports.daily`: a schedule, every day at 06:00 UTC.

use lambda_fn::handler;
use lambda_fn_events::eventbridge::EventBridgeEvent;
use lambda_fn_events::s3::S3Event;
use lambda_fn_events::sns::SnsEvent;
use serde::Deserialize;

/// `bucket/key` of every object the notification names.
#[handler("uploads.s3", s3 = "UploadsBucket")]
pub fn uploaded(event: S3Event) -> Vec<String> {
    event
        .records
        .iter()
        .map(|record| format!("{}/{}", record.s3.bucket.name, record.s3.object.key))
        .collect()
}

/// The subject of each message, or the message itself when it has none.
#[handler("alerts.sns", sns = "AlertsTopic")]
pub fn alerts(event: SnsEvent) -> Vec<String> {
    event
        .records
        .into_iter()
        .map(|record| record.sns.subject.unwrap_or(record.sns.message))
        .collect()
}

/// The `detail` of an S3 `Object Created` event on EventBridge, as far as this handler reads it.
#[derive(Debug, Deserialize)]
pub struct ObjectCreated {
    /// The bucket.
    pub bucket: Named,
    /// The object.
    pub object: Object,
}

/// Something with a name.
#[derive(Debug, Deserialize)]
pub struct Named {
    /// The name.
    pub name: String,
}

/// The object created.
#[derive(Debug, Deserialize)]
pub struct Object {
    /// Its key.
    pub key: String,
    /// Its size in bytes.
    #[serde(default)]
    pub size: u64,
}

/// `bucket/key (size bytes)` of the report that was written.
#[handler(
    "uploads.events",
    eventbridge = r#"{
        "source": ["aws.s3"],
        "detail-type": ["Object Created"],
        "detail": {"object": {"key": [{"prefix": "reports/"}]}}
    }"#
)]
pub fn object_created(event: EventBridgeEvent<ObjectCreated>) -> String {
    let detail = event.detail;
    format!(
        "{}/{} ({} bytes)",
        detail.bucket.name, detail.object.key, detail.object.size
    )
}

/// Which day's report to build: the date of the scheduled event's time (`2024-05-10T06:00:00Z`).
#[handler("reports.daily", schedule = "cron(0 6 * * ? *)")]
pub fn daily(event: EventBridgeEvent) -> String {
    let day = event.time.split('T').next().unwrap_or_default();
    format!("report for {day}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture<T: serde::de::DeserializeOwned>(path: &str) -> T {
        let text = std::fs::read_to_string(format!(
            "{}/../lambda-events/tests/fixtures/{path}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .expect("the fixture exists");
        serde_json::from_str(&text).expect("the fixture decodes")
    }

    #[test]
    fn names_each_uploaded_object() {
        let event: S3Event = fixture("s3/event-put.json");
        let uploaded = uploaded(event.clone());
        assert_eq!(uploaded.len(), event.records.len());
        assert_eq!(
            uploaded[0],
            format!("{}/{}", event.records[0].s3.bucket.name, event.records[0].s3.object.key)
        );
    }

    #[test]
    fn takes_the_subject_or_the_message() {
        let mut event: SnsEvent = fixture("sns/event.json");
        event.records[0].sns.subject = None;
        let message = event.records[0].sns.message.clone();
        assert_eq!(alerts(event.clone()), vec![message]);
        event.records[0].sns.subject = Some("disk full".into());
        assert_eq!(alerts(event), vec!["disk full".to_owned()]);
    }

    #[test]
    fn the_report_is_for_the_day_of_the_schedule() {
        let event: EventBridgeEvent = fixture("eventbridge/scheduled-event.json");
        let day = event.time[..10].to_owned();
        assert_eq!(daily(event), format!("report for {day}"));
    }

    #[test]
    fn describes_the_created_report() {
        let event: EventBridgeEvent<ObjectCreated> = fixture("eventbridge/s3-object-created.json");
        assert_eq!(
            object_created(event),
            "uploads-bucket/reports/2024-05-10.csv (5242880 bytes)"
        );
    }
}
