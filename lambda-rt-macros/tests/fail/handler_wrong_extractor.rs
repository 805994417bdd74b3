use lambda_fn::handler;
use serde_json::Value;

#[handler("wrong.extractor")]
async fn wrong(event: Value, name: String) -> String {
    format!("{name}{event}")
}

fn main() {}
