use lambda_fn::handler;

#[handler("a.flow", durable)]
fn not_async(_input: u32, _ctx: u32) -> Result<u32, lambda_fn::Error> {
    Ok(1)
}

#[handler("b.flow", durable)]
async fn no_context(input: u32) -> Result<u32, lambda_fn::Error> {
    Ok(input)
}

#[handler("c.flow", durable)]
async fn not_a_result(input: u32, _ctx: u32) -> u32 {
    input
}

#[handler("d.flow", durable, batch)]
async fn batched(_input: u32, _ctx: u32) -> Result<u32, lambda_fn::Error> {
    Ok(1)
}

#[handler("e.flow", durable(timeout = 0, retention_days = 91))]
async fn out_of_range(_input: u32, _ctx: u32) -> Result<u32, lambda_fn::Error> {
    Ok(1)
}

#[handler("f.flow", durable(retries = 3))]
async fn unknown_setting(_input: u32, _ctx: u32) -> Result<u32, lambda_fn::Error> {
    Ok(1)
}

fn main() {}
