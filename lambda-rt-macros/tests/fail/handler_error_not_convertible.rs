use lambda_fn::handler;
use serde_json::Value;

pub struct NotAnError;

#[handler("bad.error")]
async fn bad(event: Value) -> Result<Value, NotAnError> {
    Ok(event)
}

fn main() {}
