//! The callback suite (`4-*`): callbacks created, completed (or failed, or timed out) by another system
//! through the service's API while the workflow waits, and awaited.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::{CallbackConfig, DurableContext, Serdes};
use serde::Serialize;
use serde_json::{Value, json};

/// 4-1: a callback named by the input, awaited.
#[lambda_fn::handler("conformance.4-1", durable)]
pub async fn callback_basic(name: String, ctx: DurableContext) -> Result<Value, Error> {
    ctx.create_callback::<Value>(&name, CallbackConfig::new())
        .await
        .result()
        .await
}

/// 4-2: a callback named `approval`, awaited.
#[lambda_fn::handler("conformance.4-2", durable)]
pub async fn callback_named(_: Value, ctx: DurableContext) -> Result<Value, Error> {
    ctx.create_callback::<Value>("approval", CallbackConfig::new())
        .await
        .result()
        .await
}

/// 4-3: a callback with a 5 s timeout that nobody completes: the execution fails.
#[lambda_fn::handler("conformance.4-3", durable)]
pub async fn callback_times_out(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let config = CallbackConfig::new().timeout(Duration::from_secs(5));
    ctx.create_callback::<Value>(&name, config).await.result().await
}

/// 4-4: a callback with a 5 s heartbeat timeout and no heartbeat: the execution fails.
#[lambda_fn::handler("conformance.4-4", durable)]
pub async fn callback_heartbeat_times_out(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let config = CallbackConfig::new().heartbeat_timeout(Duration::from_secs(5));
    ctx.create_callback::<Value>(&name, config).await.result().await
}

/// 4-5: a callback with a 10 s heartbeat timeout, kept alive by a heartbeat, then completed.
#[lambda_fn::handler("conformance.4-5", durable)]
pub async fn callback_heartbeat_kept(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let config = CallbackConfig::new().heartbeat_timeout(Duration::from_secs(10));
    ctx.create_callback::<Value>(&name, config).await.result().await
}

/// 4-6: a callback the other system fails: the error fails the execution.
#[lambda_fn::handler("conformance.4-6", durable)]
pub async fn callback_fails(name: String, ctx: DurableContext) -> Result<Value, Error> {
    ctx.create_callback::<Value>(&name, CallbackConfig::new())
        .await
        .result()
        .await
}

/// 4-7 and 4-8: a callback, then a step, then the callback's result.
async fn callback_then_step(name: &str, config: CallbackConfig, ctx: &DurableContext) -> Result<Value, Error> {
    let callback = ctx.create_callback::<Value>(name, config).await;
    ctx.step("between", || async { Ok::<_, Error>("work while waiting".to_owned()) })
        .await?;
    callback.result().await
}

/// 4-7: a callback, a step, then the callback's failure, not caught.
#[lambda_fn::handler("conformance.4-7", durable)]
pub async fn callback_step_then_failure(name: String, ctx: DurableContext) -> Result<Value, Error> {
    callback_then_step(&name, CallbackConfig::new(), &ctx).await
}

/// 4-8: a callback with a 5 s timeout, a step, then the callback's timeout.
#[lambda_fn::handler("conformance.4-8", durable)]
pub async fn callback_step_then_timeout(name: String, ctx: DurableContext) -> Result<Value, Error> {
    callback_then_step(&name, CallbackConfig::new().timeout(Duration::from_secs(5)), &ctx).await
}

/// 4-9 to 4-11: a callback, then a wait, then the callback's result.
async fn callback_then_wait(
    name: &str,
    config: CallbackConfig,
    wait: u64,
    ctx: &DurableContext,
) -> Result<Value, Error> {
    let callback = ctx.create_callback::<Value>(name, config).await;
    ctx.wait("meanwhile", Duration::from_secs(wait)).await?;
    callback.result().await
}

/// 4-9: the callback completes during the wait.
#[lambda_fn::handler("conformance.4-9", durable)]
pub async fn callback_during_wait(name: String, ctx: DurableContext) -> Result<Value, Error> {
    callback_then_wait(&name, CallbackConfig::new(), 5, &ctx).await
}

/// 4-10: the callback fails during the wait.
#[lambda_fn::handler("conformance.4-10", durable)]
pub async fn callback_fails_during_wait(name: String, ctx: DurableContext) -> Result<Value, Error> {
    callback_then_wait(&name, CallbackConfig::new(), 5, &ctx).await
}

/// 4-11: the callback (3 s timeout) times out during a 6 s wait.
#[lambda_fn::handler("conformance.4-11", durable)]
pub async fn callback_times_out_during_wait(name: String, ctx: DurableContext) -> Result<Value, Error> {
    callback_then_wait(&name, CallbackConfig::new().timeout(Duration::from_secs(3)), 6, &ctx).await
}

/// 4-12: the callback's result, then a 2 s wait, then the result returned.
#[lambda_fn::handler("conformance.4-12", durable)]
pub async fn callback_then_wait_then_return(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let result = ctx
        .create_callback::<Value>(&name, CallbackConfig::new())
        .await
        .result()
        .await?;
    ctx.wait("after", Duration::from_secs(2)).await?;
    Ok(result)
}

/// 4-13 and 4-14: the callback's failure caught, then a 2 s wait, then the error's message returned.
async fn callback_failure_caught(name: &str, config: CallbackConfig, ctx: &DurableContext) -> Result<String, Error> {
    let message = match ctx.create_callback::<Value>(name, config).await.result().await {
        Ok(value) => format!("completed: {value}"),
        Err(error) => format!("error: {}", error.message()),
    };
    ctx.wait("after", Duration::from_secs(2)).await?;
    Ok(message)
}

/// 4-13: the callback's failure caught.
#[lambda_fn::handler("conformance.4-13", durable)]
pub async fn callback_failure_handled(name: String, ctx: DurableContext) -> Result<String, Error> {
    callback_failure_caught(&name, CallbackConfig::new(), &ctx).await
}

/// 4-14: the callback's timeout (3 s) caught.
#[lambda_fn::handler("conformance.4-14", durable)]
pub async fn callback_timeout_handled(name: String, ctx: DurableContext) -> Result<String, Error> {
    callback_failure_caught(&name, CallbackConfig::new().timeout(Duration::from_secs(3)), &ctx).await
}

/// 4-15's result: the callback's object with its timestamp in seconds since the epoch.
#[derive(Debug, Serialize)]
pub struct Received {
    id: Value,
    message: Value,
    timestamp: i64,
}

/// 4-15's reading of the callback's JSON: the ISO 8601 timestamp (UTC) becomes epoch seconds.
pub struct WithTimestamp;

impl Serdes<Received> for WithTimestamp {
    fn serialize(&self, value: &Received) -> Result<String, Error> {
        Ok(serde_json::to_string(value)?)
    }

    fn deserialize(&self, data: &str) -> Result<Received, Error> {
        let mut object: Value = serde_json::from_str(data)?;
        let stamp = object["timestamp"].as_str().unwrap_or_default();
        let timestamp = epoch_seconds(stamp)
            .ok_or_else(|| Error::new("BadTimestamp", format!("not an ISO 8601 UTC timestamp: {stamp}")))?;
        Ok(Received {
            id: object["id"].take(),
            message: object["message"].take(),
            timestamp,
        })
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z` as seconds since 1970-01-01T00:00:00Z.
fn epoch_seconds(stamp: &str) -> Option<i64> {
    let (date, time) = stamp.strip_suffix('Z')?.split_once('T')?;
    let mut date = date.split('-').map(str::parse::<i64>);
    let (year, month, day) = (date.next()?.ok()?, date.next()?.ok()?, date.next()?.ok()?);
    let mut time = time.split(':');
    let (hour, minute) = (time.next()?.parse::<i64>().ok()?, time.next()?.parse::<i64>().ok()?);
    let second = time.next()?.split('.').next()?.parse::<i64>().ok()?;
    // Days from the civil date (the proleptic Gregorian calendar), March-based years.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    Some(days * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// 4-15: a callback read by its own serialization into a typed object.
#[lambda_fn::handler("conformance.4-15", durable)]
pub async fn callback_custom_object(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let callback = ctx.create_callback::<Received>(&name, CallbackConfig::new()).await;
    let received = callback.result_with(&WithTimestamp).await?;
    Ok(json!({ "received": received }))
}

/// 4-16's reading of the callback's result: a number.
pub struct Number;

impl Serdes<i64> for Number {
    fn serialize(&self, value: &i64) -> Result<String, Error> {
        Ok(value.to_string())
    }

    fn deserialize(&self, data: &str) -> Result<i64, Error> {
        data.trim()
            .trim_matches('"')
            .parse()
            .map_err(|e| Error::new("NotANumber", format!("{data}: {e}")))
    }
}

/// 4-16: a callback read by its own serialization into a number.
#[lambda_fn::handler("conformance.4-16", durable)]
pub async fn callback_custom_number(name: String, ctx: DurableContext) -> Result<Value, Error> {
    let count = ctx
        .create_callback::<i64>(&name, CallbackConfig::new())
        .await
        .result_with(&Number)
        .await?;
    Ok(json!({ "count": count, "doubled": count * 2 }))
}

/// 4-17: callback A created and awaited, then callback B created and awaited.
#[lambda_fn::handler("conformance.4-17", durable)]
pub async fn callbacks_one_after_the_other(names: (String, String), ctx: DurableContext) -> Result<Value, Error> {
    let a = ctx
        .create_callback::<Value>(&names.0, CallbackConfig::new())
        .await
        .result()
        .await?;
    let b = ctx
        .create_callback::<Value>(&names.1, CallbackConfig::new())
        .await
        .result()
        .await?;
    Ok(json!([a, b]))
}

/// 4-18: callbacks A and B created, then A awaited, then B.
#[lambda_fn::handler("conformance.4-18", durable)]
pub async fn callbacks_awaited_in_order(names: (String, String), ctx: DurableContext) -> Result<Value, Error> {
    let a = ctx.create_callback::<Value>(&names.0, CallbackConfig::new()).await;
    let b = ctx.create_callback::<Value>(&names.1, CallbackConfig::new()).await;
    let a = a.result().await?;
    let b = b.result().await?;
    Ok(json!([a, b]))
}

/// 4-19: callbacks A and B created, then B awaited, then A.
#[lambda_fn::handler("conformance.4-19", durable)]
pub async fn callbacks_awaited_in_reverse(names: (String, String), ctx: DurableContext) -> Result<Value, Error> {
    let a = ctx.create_callback::<Value>(&names.0, CallbackConfig::new()).await;
    let b = ctx.create_callback::<Value>(&names.1, CallbackConfig::new()).await;
    let b = b.result().await?;
    let a = a.result().await?;
    Ok(json!([a, b]))
}

#[cfg(test)]
mod tests {
    use super::epoch_seconds;

    #[test]
    fn iso_timestamps_become_epoch_seconds() {
        assert_eq!(epoch_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(epoch_seconds("2026-01-01T00:00:00.000Z"), Some(1_767_225_600));
        assert_eq!(epoch_seconds("2000-02-29T12:30:15Z"), Some(951_827_415));
        assert_eq!(epoch_seconds("yesterday"), None);
    }
}
