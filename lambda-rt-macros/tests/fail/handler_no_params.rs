use lambda_fn::handler;

#[handler("ping")]
async fn ping() -> &'static str {
    "pong"
}

fn main() {}
