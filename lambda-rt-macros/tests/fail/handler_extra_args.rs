use lambda_fn::handler;

#[handler("a", foo = 1)]
async fn option(_event: u32) {}

#[handler("a", "b")]
async fn two_names(_event: u32) {}

fn main() {}
