use lambda_fn::{Error, handler};
use serde_json::Value;

pub struct Receipt {
    pub id: String,
}

#[handler("plain")]
async fn plain(_event: Value) -> Receipt {
    Receipt { id: String::new() }
}

#[handler("result")]
async fn result(_event: Value) -> Result<Receipt, Error> {
    Ok(Receipt { id: String::new() })
}

fn main() {}
