//! What the parallel and map requirements return about a batch: some of its counts, by the names the
//! suite uses.

use lambda_fn::durable::BatchResult;
use serde_json::{Map, Value, json};

/// The fields `keys` of `batch`'s summary: `completionReason`, `status`, `successCount`,
/// `failureCount`, `totalCount`, `hasFailure`, `errorCount`.
pub fn summary<T>(batch: &BatchResult<T>, keys: &[&str]) -> Value {
    let mut fields = Map::new();
    for key in keys {
        let value = match *key {
            "completionReason" => json!(batch.completion_reason),
            "status" => json!(batch.status()),
            "successCount" => json!(batch.success_count()),
            "failureCount" => json!(batch.failure_count()),
            "totalCount" => json!(batch.total_count()),
            "hasFailure" => json!(batch.has_failure()),
            "errorCount" => json!(batch.errors().len()),
            other => json!(format!("no such field: {other}")),
        };
        fields.insert((*key).to_owned(), value);
    }
    Value::Object(fields)
}

/// The keys of a failing batch's summary.
pub const FAILURE_KEYS: &[&str] = &[
    "completionReason",
    "status",
    "successCount",
    "failureCount",
    "totalCount",
];

/// The keys of a batch's summary that failed too often.
pub const EXCEEDED_KEYS: &[&str] = &["completionReason", "successCount", "failureCount", "totalCount"];
