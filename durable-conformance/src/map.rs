//! The map suite (`9-*`): a branch per item, each a child context of one operation, at most so many at
//! a time, until the completion rules say the batch is done.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::{
    BatchConfig, BatchItem, BatchItemStatus, BatchResult, CompletionConfig, CompletionReason, DurableContext, Nesting,
    Serdes,
};
use serde_json::{Value, json};

use crate::batch_summary::{EXCEEDED_KEYS, FAILURE_KEYS, summary};

/// One item at a time, as most requirements ask.
fn one_at_a_time() -> BatchConfig {
    BatchConfig::new().max_concurrency(1)
}

/// Work that fails on the item `fail` and returns any other.
async fn ok_unless_fail(_ctx: DurableContext, item: &'static str, _index: usize) -> Result<Value, Error> {
    match item {
        "fail" => Err(Error::new("ItemError", "item failed")),
        other => Ok(json!(other)),
    }
}

/// Upper-cases a string item.
async fn upper(_ctx: DurableContext, item: &'static str, _index: usize) -> Result<String, Error> {
    Ok(item.to_uppercase())
}

/// 9-1: a step per item.
#[lambda_fn::handler("conformance.9-1", durable)]
pub async fn map_basic(names: Vec<String>, ctx: DurableContext) -> Result<Vec<String>, Error> {
    let batch = ctx
        .map("map", names, one_at_a_time(), |ctx, name, _| async move {
            ctx.step("greet", || async move { Ok::<_, Error>(format!("Hello, {name}!")) })
                .await
        })
        .await?;
    batch.into_results()
}

/// 9-2: unnamed, each item doubled.
#[lambda_fn::handler("conformance.9-2", durable)]
pub async fn map_unnamed(numbers: Vec<i64>, ctx: DurableContext) -> Result<Vec<i64>, Error> {
    let batch = ctx
        .map("", numbers, one_at_a_time(), |_ctx, n, _| async move {
            Ok::<_, Error>(n * 2)
        })
        .await?;
    batch.into_results()
}

/// 9-3: each item plus its index.
#[lambda_fn::handler("conformance.9-3", durable)]
pub async fn map_indexed(numbers: Vec<i64>, ctx: DurableContext) -> Result<Vec<i64>, Error> {
    let batch = ctx
        .map("indexed", numbers, one_at_a_time(), |_ctx, n, index| async move {
            Ok::<_, Error>(n + index as i64)
        })
        .await?;
    batch.into_results()
}

/// 9-4: no items.
#[lambda_fn::handler("conformance.9-4", durable)]
pub async fn map_empty(items: Vec<Value>, ctx: DurableContext) -> Result<Vec<Value>, Error> {
    let batch = ctx
        .map("empty", items, one_at_a_time(), |_ctx, item, _| async move {
            Ok::<_, Error>(item)
        })
        .await?;
    batch.into_results()
}

/// Items `items` (`fail` fails), one at a time, with `completion`: the summary under `keys`.
async fn with_failures(
    ctx: &DurableContext,
    name: &str,
    items: Vec<&'static str>,
    completion: CompletionConfig,
    keys: &[&str],
) -> Result<Value, Error> {
    let batch = ctx
        .map(name, items, one_at_a_time().completion(completion), ok_unless_fail)
        .await?;
    Ok(summary(&batch, keys))
}

/// 9-5: fail fast: the second item fails, the third never starts.
#[lambda_fn::handler("conformance.9-5", durable)]
pub async fn map_fail_fast(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().tolerated_failure_count(0);
    with_failures(&ctx, "failfast", vec!["ok", "fail", "never"], completion, FAILURE_KEYS).await
}

/// 9-6: a failure turned into the workflow's error.
#[lambda_fn::handler("conformance.9-6", durable)]
pub async fn map_failure_raised(_: Value, ctx: DurableContext) -> Result<Vec<Value>, Error> {
    let config = one_at_a_time().completion(CompletionConfig::new().tolerated_failure_count(0));
    ctx.map("throwing", vec!["fail", "never"], config, ok_unless_fail)
        .await?
        .into_results()
}

/// 9-7: done once two items succeeded.
#[lambda_fn::handler("conformance.9-7", durable)]
pub async fn map_min_successful(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().min_successful(2);
    let keys = &["completionReason", "successCount", "totalCount"];
    with_failures(&ctx, "min-successful", vec!["a", "b", "c", "d"], completion, keys).await
}

/// 9-8: one failure, tolerated.
#[lambda_fn::handler("conformance.9-8", durable)]
pub async fn map_tolerated(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().tolerated_failure_count(1);
    with_failures(&ctx, "tolerated", vec!["ok", "fail", "ok"], completion, FAILURE_KEYS).await
}

/// 9-9: two failures, one tolerated.
#[lambda_fn::handler("conformance.9-9", durable)]
pub async fn map_tolerance_exceeded(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().tolerated_failure_count(1);
    with_failures(
        &ctx,
        "tolerated-exceeded",
        vec!["fail", "fail", "ok"],
        completion,
        EXCEEDED_KEYS,
    )
    .await
}

/// 9-10: more than 25% failed.
#[lambda_fn::handler("conformance.9-10", durable)]
pub async fn map_percentage_exceeded(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().tolerated_failure_percentage(25.0);
    with_failures(
        &ctx,
        "tolerated-pct",
        vec!["fail", "fail", "ok", "ok"],
        completion,
        EXCEEDED_KEYS,
    )
    .await
}

/// 9-11: three items, two at a time.
#[lambda_fn::handler("conformance.9-11", durable)]
pub async fn map_concurrent(_: Value, ctx: DurableContext) -> Result<Vec<Value>, Error> {
    let config = BatchConfig::new().max_concurrency(2);
    ctx.map("concurrent", vec!["r0", "r1", "r2"], config, ok_unless_fail)
        .await?
        .into_results()
}

/// 9-12: flat items: their steps belong to the map.
#[lambda_fn::handler("conformance.9-12", durable)]
pub async fn map_flat(_: Value, ctx: DurableContext) -> Result<Vec<String>, Error> {
    let config = one_at_a_time().nesting(Nesting::Flat);
    let batch = ctx
        .map("flat", vec!["fa", "fb"], config, |ctx, item, _| async move {
            ctx.step("echo", || async move { Ok::<_, Error>(item.to_owned()) })
                .await
        })
        .await?;
    batch.into_results()
}

/// 9-13: each item times ten (lambda-rt names its items `map-item-<index>`; the requirement's own names
/// for them are not checked).
#[lambda_fn::handler("conformance.9-13", durable)]
pub async fn map_named_items(numbers: Vec<i64>, ctx: DurableContext) -> Result<Vec<i64>, Error> {
    let batch = ctx
        .map("named-items", numbers, one_at_a_time(), |_ctx, n, _| async move {
            Ok::<_, Error>(n * 10)
        })
        .await?;
    batch.into_results()
}

/// 9-14's writing of each item's result: `wrapped:` before the text, as it is.
pub struct WrappedText;

impl Serdes<String> for WrappedText {
    fn serialize(&self, value: &String) -> Result<String, Error> {
        Ok(format!("wrapped:{value}"))
    }

    fn deserialize(&self, data: &str) -> Result<String, Error> {
        data.strip_prefix("wrapped:")
            .map(str::to_owned)
            .ok_or_else(|| Error::new("Decode", format!("not written by this serdes: {data}")))
    }
}

/// 9-14: the items' results written by their own serialization.
#[lambda_fn::handler("conformance.9-14", durable)]
pub async fn map_item_serdes(_: Value, ctx: DurableContext) -> Result<Vec<String>, Error> {
    let config = one_at_a_time().item_serdes(WrappedText);
    ctx.map("serdes", vec!["x", "y"], config, upper).await?.into_results()
}

/// 9-15: the second item waits: the invocation suspends, and the next one resumes it.
#[lambda_fn::handler("conformance.9-15", durable)]
pub async fn map_wait_in_item(_: Value, ctx: DurableContext) -> Result<Vec<String>, Error> {
    let batch = ctx
        .map(
            "suspend",
            vec!["r0", "r1"],
            one_at_a_time(),
            |ctx, item, index| async move {
                if index == 1 {
                    ctx.wait("pause", Duration::from_secs(1)).await?;
                }
                ctx.step("result", || async move { Ok::<_, Error>(item.to_owned()) })
                    .await
            },
        )
        .await?;
    batch.into_results()
}

/// 9-16: results too large together to record (about 70 KB each): replayed from the items instead.
#[lambda_fn::handler("conformance.9-16", durable)]
pub async fn map_large(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let batch = ctx
        .map(
            "large",
            vec![0, 1, 2, 3],
            one_at_a_time(),
            |_ctx, i: usize, _| async move { Ok::<_, Error>(format!("{i}").repeat(70_000)) },
        )
        .await?;
    Ok(summary(&batch, &["successCount", "totalCount"]))
}

/// 9-17: a map, then a wait; the replay reads the map's recorded result.
#[lambda_fn::handler("conformance.9-17", durable)]
pub async fn map_then_wait(_: Value, ctx: DurableContext) -> Result<Vec<String>, Error> {
    let batch = ctx.map("then-wait", vec!["a", "b"], one_at_a_time(), upper).await?;
    ctx.wait("pause", Duration::from_secs(1)).await?;
    batch.into_results()
}

/// 9-18: a map with a tolerated failure, then a wait; the replay reads the statuses back.
#[lambda_fn::handler("conformance.9-18", durable)]
pub async fn map_failure_then_wait(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let config = one_at_a_time().completion(CompletionConfig::new().tolerated_failure_count(1));
    let batch = ctx
        .map("fail-then-wait", vec!["ok", "fail"], config, ok_unless_fail)
        .await?;
    ctx.wait("pause", Duration::from_secs(1)).await?;
    Ok(summary(&batch, FAILURE_KEYS))
}

/// 9-19 and 9-20's writing of the whole batch: `OPSERDE:` and the results joined by commas.
pub struct Joined;

impl Serdes<BatchResult<String>> for Joined {
    fn serialize(&self, batch: &BatchResult<String>) -> Result<String, Error> {
        let results: Vec<&str> = batch.results().into_iter().map(String::as_str).collect();
        Ok(format!("OPSERDE:{}", results.join(",")))
    }

    fn deserialize(&self, data: &str) -> Result<BatchResult<String>, Error> {
        let joined = data
            .strip_prefix("OPSERDE:")
            .ok_or_else(|| Error::new("Decode", format!("not written by this serdes: {data}")))?;
        let all = joined
            .split(',')
            .filter(|r| !r.is_empty())
            .enumerate()
            .map(|(index, result)| BatchItem {
                index,
                status: BatchItemStatus::Succeeded,
                result: Some(result.to_owned()),
                error: None,
            })
            .collect();
        Ok(BatchResult {
            all,
            completion_reason: CompletionReason::AllCompleted,
        })
    }
}

/// 9-19: the whole batch written by its own serialization.
#[lambda_fn::handler("conformance.9-19", durable)]
pub async fn map_batch_serdes(_: Value, ctx: DurableContext) -> Result<Vec<String>, Error> {
    let config = one_at_a_time().serdes(Joined);
    ctx.map("op-serde", vec!["x", "y"], config, upper).await?.into_results()
}

/// 9-20: the same, then a wait: the replay reads the batch back through that serialization.
#[lambda_fn::handler("conformance.9-20", durable)]
pub async fn map_batch_serdes_replayed(_: Value, ctx: DurableContext) -> Result<Vec<String>, Error> {
    let config = one_at_a_time().serdes(Joined);
    let batch = ctx.map("op-serde-replay", vec!["x", "y"], config, upper).await?;
    ctx.wait("pause", Duration::from_secs(1)).await?;
    batch.into_results()
}
