// Typed calls between handlers: the handler must exist, be a handler, and be called with its own types.
use lambda_fn::durable::DurableContext;
use lambda_fn::{Error, handler};

#[handler("pricing.quote")]
async fn quote(item: String) -> Result<u64, Error> {
    Ok(item.len() as u64)
}

fn helper(_: String) -> u64 {
    0
}

#[handler("orders.flow", durable)]
async fn flow(count: u32, ctx: DurableContext) -> Result<String, Error> {
    // The wrong input type: `quote` takes a `String`.
    let _: u64 = ctx.invoke_handler::<quote>("price", &count).await?;
    // The wrong result type: `quote` gives a `u64`.
    let _: String = ctx.invoke_handler::<quote>("price", &"x".to_owned()).await?;
    // A handler that does not exist.
    let _: u64 = ctx.invoke_handler::<quotes>("price", &"x".to_owned()).await?;
    // A function that is not a handler.
    let _: u64 = ctx.invoke_handler::<helper>("price", &"x".to_owned()).await?;
    Ok(String::new())
}

fn main() {}
