use lambda_fn::durable::DurableContext;
use lambda_fn::handler;

struct NotAPlugin;

#[handler("a.flow", durable(plugins = NotAPlugin))]
async fn not_a_list(input: u32, _ctx: DurableContext) -> Result<u32, lambda_fn::Error> {
    Ok(input)
}

#[handler("b.flow", durable(plugins = [NotAPlugin]))]
async fn not_a_plugin(input: u32, _ctx: DurableContext) -> Result<u32, lambda_fn::Error> {
    Ok(input)
}

#[handler("c.flow", durable(timeout = 0, plugins = NotAPlugin))]
async fn both_wrong(input: u32, _ctx: DurableContext) -> Result<u32, lambda_fn::Error> {
    Ok(input)
}

fn main() {}
