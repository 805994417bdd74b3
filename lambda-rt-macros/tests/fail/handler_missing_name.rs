use lambda_fn::handler;

#[handler]
async fn no_parens(_event: u32) -> u32 {
    event
}

#[handler()]
async fn empty_parens(_event: u32) -> u32 {
    event
}

fn main() {}
