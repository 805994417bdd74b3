//! The parallel suite (`8-*`): branches run as child contexts of one operation, at most so many at a
//! time, until the completion rules say the batch is done.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::{BatchConfig, CompletionConfig, DurableContext, Nesting, ParallelBranch, Serdes};
use serde_json::{Value, json};

use crate::batch_summary::{EXCEEDED_KEYS, FAILURE_KEYS, summary};

/// One branch at a time, as most requirements ask.
fn one_at_a_time() -> BatchConfig {
    BatchConfig::new().max_concurrency(1)
}

/// A branch that returns `value`.
fn constant<'a>(value: Value) -> ParallelBranch<'a, Value> {
    ParallelBranch::new(move |_ctx| async move { Ok::<_, Error>(value) })
}

/// A branch that fails.
fn failing<'a>() -> ParallelBranch<'a, Value> {
    ParallelBranch::new(|_ctx| async { Err::<Value, _>(Error::new("BranchError", "branch failed")) })
}

/// A branch whose step returns `value`.
fn stepping<'a>(value: &'static str) -> ParallelBranch<'a, Value> {
    ParallelBranch::new(
        move |ctx| async move { ctx.step("task", || async move { Ok::<_, Error>(json!(value)) }).await },
    )
}

/// The branches' results, in order, or the first failure.
fn results(batch: lambda_fn::durable::BatchResult<Value>) -> Result<Value, Error> {
    Ok(Value::Array(batch.into_results()?))
}

/// 8-1: two branches, each a step.
#[lambda_fn::handler("conformance.8-1", durable)]
pub async fn parallel_basic(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    results(
        ctx.parallel(
            "parallel",
            vec![stepping("task-1"), stepping("task-2")],
            one_at_a_time(),
        )
        .await?,
    )
}

/// 8-2: unnamed, branches that return at once.
#[lambda_fn::handler("conformance.8-2", durable)]
pub async fn parallel_unnamed(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    results(
        ctx.parallel(
            "",
            vec![constant(json!("alpha")), constant(json!("beta"))],
            one_at_a_time(),
        )
        .await?,
    )
}

/// 8-3: named branches.
#[lambda_fn::handler("conformance.8-3", durable)]
pub async fn parallel_named_branches(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let branches = vec![
        ParallelBranch::named("first", |_ctx| async { Ok::<_, Error>(json!("one")) }),
        ParallelBranch::named("second", |_ctx| async { Ok::<_, Error>(json!("two")) }),
    ];
    results(ctx.parallel("named", branches, one_at_a_time()).await?)
}

/// 8-4: branches of different result types.
#[lambda_fn::handler("conformance.8-4", durable)]
pub async fn parallel_heterogeneous(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let branches = vec![
        constant(json!("hello")),
        constant(json!(42)),
        constant(json!({"k": "v"})),
    ];
    results(ctx.parallel("hetero", branches, one_at_a_time()).await?)
}

/// 8-5: no branches.
#[lambda_fn::handler("conformance.8-5", durable)]
pub async fn parallel_empty(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    results(ctx.parallel("empty", Vec::new(), one_at_a_time()).await?)
}

/// 8-6: fail fast: the second branch fails, the third never starts.
#[lambda_fn::handler("conformance.8-6", durable)]
pub async fn parallel_fail_fast(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let config = one_at_a_time().completion(CompletionConfig::new().tolerated_failure_count(0));
    let batch = ctx
        .parallel(
            "failfast",
            vec![constant(json!("ok")), failing(), constant(json!("never"))],
            config,
        )
        .await?;
    Ok(summary(&batch, FAILURE_KEYS))
}

/// 8-7: a failure turned into the workflow's error.
#[lambda_fn::handler("conformance.8-7", durable)]
pub async fn parallel_failure_raised(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let config = one_at_a_time().completion(CompletionConfig::new().tolerated_failure_count(0));
    results(
        ctx.parallel("throwing", vec![failing(), constant(json!("never"))], config)
            .await?,
    )
}

/// 8-8: done once two branches succeeded.
#[lambda_fn::handler("conformance.8-8", durable)]
pub async fn parallel_min_successful(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let branches = (1..=4).map(|i| constant(json!(i))).collect();
    let config = one_at_a_time().completion(CompletionConfig::new().min_successful(2));
    let batch = ctx.parallel("min-successful", branches, config).await?;
    Ok(summary(&batch, &["completionReason", "successCount", "totalCount"]))
}

/// Three or four branches, `pattern` saying which fail, with `completion`: the summary.
async fn with_failures(
    ctx: &DurableContext,
    name: &str,
    pattern: &[bool],
    completion: CompletionConfig,
    keys: &[&str],
) -> Result<Value, Error> {
    let branches = pattern
        .iter()
        .map(|ok| if *ok { constant(json!("ok")) } else { failing() })
        .collect();
    let batch = ctx
        .parallel(name, branches, one_at_a_time().completion(completion))
        .await?;
    Ok(summary(&batch, keys))
}

/// 8-9: one failure, tolerated.
#[lambda_fn::handler("conformance.8-9", durable)]
pub async fn parallel_tolerated(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    with_failures(
        &ctx,
        "tolerated",
        &[true, false, true],
        CompletionConfig::new().tolerated_failure_count(1),
        FAILURE_KEYS,
    )
    .await
}

/// 8-10: two failures, one tolerated.
#[lambda_fn::handler("conformance.8-10", durable)]
pub async fn parallel_tolerance_exceeded(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().tolerated_failure_count(1);
    with_failures(
        &ctx,
        "tolerated-exceeded",
        &[false, false, true],
        completion,
        EXCEEDED_KEYS,
    )
    .await
}

/// 8-11: three branches, two at a time.
#[lambda_fn::handler("conformance.8-11", durable)]
pub async fn parallel_concurrent(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let branches = ["r0", "r1", "r2"].into_iter().map(|r| constant(json!(r))).collect();
    results(
        ctx.parallel("concurrent", branches, BatchConfig::new().max_concurrency(2))
            .await?,
    )
}

/// 8-12: flat branches: their steps belong to the parallel.
#[lambda_fn::handler("conformance.8-12", durable)]
pub async fn parallel_flat(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let config = one_at_a_time().nesting(Nesting::Flat);
    results(
        ctx.parallel("flat", vec![stepping("fa"), stepping("fb")], config)
            .await?,
    )
}

/// 8-13: more than 25% failed.
#[lambda_fn::handler("conformance.8-13", durable)]
pub async fn parallel_percentage_exceeded(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().tolerated_failure_percentage(25.0);
    with_failures(
        &ctx,
        "tolerated-pct",
        &[false, false, true, true],
        completion,
        EXCEEDED_KEYS,
    )
    .await
}

/// 8-14: a branch that waits: the invocation suspends, and the next one resumes it.
#[lambda_fn::handler("conformance.8-14", durable)]
pub async fn parallel_replay_across_wait(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let branches = vec![
        stepping("b0"),
        ParallelBranch::new(|ctx| async move {
            ctx.wait("pause", Duration::from_secs(2)).await?;
            Ok::<_, Error>(json!("b1"))
        }),
    ];
    results(ctx.parallel("replay", branches, one_at_a_time()).await?)
}

/// 8-15's writing of each branch's result: wrapped in an object.
pub struct Wrapped;

impl Serdes<Value> for Wrapped {
    fn serialize(&self, value: &Value) -> Result<String, Error> {
        Ok(json!({ "wrapped": value }).to_string())
    }

    fn deserialize(&self, data: &str) -> Result<Value, Error> {
        let mut wrapped: Value = serde_json::from_str(data)?;
        Ok(wrapped["wrapped"].take())
    }
}

/// 8-15: the branches' results written by their own serialization.
#[lambda_fn::handler("conformance.8-15", durable)]
pub async fn parallel_item_serdes(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let config = one_at_a_time().item_serdes(Wrapped);
    results(
        ctx.parallel("serde", vec![constant(json!("x")), constant(json!("y"))], config)
            .await?,
    )
}

/// 8-16: every branch fails, all tolerated.
#[lambda_fn::handler("conformance.8-16", durable)]
pub async fn parallel_all_fail(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    with_failures(
        &ctx,
        "all-fail",
        &[false, false, false],
        CompletionConfig::new().tolerated_failure_count(3),
        FAILURE_KEYS,
    )
    .await
}

/// 8-17: three successes wanted, one branch fails: every branch runs.
#[lambda_fn::handler("conformance.8-17", durable)]
pub async fn parallel_min_not_reached(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    with_failures(
        &ctx,
        "min-not-reached",
        &[true, false, true],
        CompletionConfig::new().min_successful(3),
        FAILURE_KEYS,
    )
    .await
}

/// 8-18: three successes wanted and one failure tolerated; two fail first.
#[lambda_fn::handler("conformance.8-18", durable)]
pub async fn parallel_combined(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().min_successful(3).tolerated_failure_count(1);
    with_failures(&ctx, "combined", &[false, false, true, true], completion, EXCEEDED_KEYS).await
}

/// 8-19: a concurrency of 0: the execution fails before anything is recorded.
#[lambda_fn::handler("conformance.8-19", durable)]
pub async fn parallel_bad_concurrency(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let branches = vec![constant(json!(1)), constant(json!(2))];
    results(
        ctx.parallel("bad-concurrency", branches, BatchConfig::new().max_concurrency(0))
            .await?,
    )
}

/// 8-20: the batch's accessors.
#[lambda_fn::handler("conformance.8-20", durable)]
pub async fn parallel_accessors(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().tolerated_failure_count(1);
    let keys = &["hasFailure", "successCount", "failureCount", "errorCount"];
    with_failures(&ctx, "accessors", &[true, false, true], completion, keys).await
}

/// 8-21: a parallel inside a branch of a parallel.
#[lambda_fn::handler("conformance.8-21", durable)]
pub async fn parallel_nested(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let outer = vec![ParallelBranch::new(|ctx| async move {
        let inner = ctx
            .parallel("inner", vec![stepping("i1"), stepping("i2")], one_at_a_time())
            .await?;
        results(inner)
    })];
    results(ctx.parallel("outer", outer, one_at_a_time()).await?)
}

/// 8-22: exactly 25% failed, which is tolerated.
#[lambda_fn::handler("conformance.8-22", durable)]
pub async fn parallel_percentage_boundary(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    let completion = CompletionConfig::new().tolerated_failure_percentage(25.0);
    with_failures(
        &ctx,
        "pct-boundary",
        &[false, true, true, true],
        completion,
        FAILURE_KEYS,
    )
    .await
}
