// Which handlers a typed call can name, with which types: plain ones (a `Result`, a plain value, no value)
// and durable ones; the type is named as the function and does not clash with it.
use lambda_fn::call::Target;
use lambda_fn::durable::DurableContext;
use lambda_fn::{Error, handler};

#[handler("pricing.quote")]
async fn quote(item: String) -> Result<u64, Error> {
    Ok(item.len() as u64)
}

#[handler("pricing.double")]
fn double(n: u32) -> u32 {
    n * 2
}

#[handler("audit.note")]
async fn note(_line: String) {}

#[handler("orders.flow", durable)]
async fn flow(item: String, ctx: DurableContext) -> Result<u64, Error> {
    let price: u64 = ctx.invoke_handler::<quote>("price", &item).await?;
    let twice: u32 = ctx.invoke_handler::<double>("double", &3).await?;
    ctx.invoke_handler::<note>("note", &item).await?;
    Ok(price + u64::from(twice))
}

#[handler("orders.outer", durable)]
async fn outer(item: String, ctx: DurableContext) -> Result<u64, Error> {
    ctx.invoke_handler::<flow>("inner", &item).await
}

fn same<T: 'static, U: 'static>() -> bool {
    std::any::TypeId::of::<T>() == std::any::TypeId::of::<U>()
}

fn main() {
    assert_eq!(<quote as Target>::NAME, "pricing.quote");
    assert_eq!(<flow as Target>::NAME, "orders.flow");
    assert!(same::<<quote as Target>::Event, String>());
    assert!(same::<<quote as Target>::Output, u64>());
    assert!(same::<<double as Target>::Output, u32>());
    assert!(same::<<note as Target>::Output, ()>());
    assert!(same::<<outer as Target>::Output, u64>());
    // The functions are still functions.
    assert_eq!(double(4), 8);
    let _ = (quote, note, flow, outer);
}
