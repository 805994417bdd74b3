use lambda_rt::handler;

#[handler("ping")]
async fn ping() -> &'static str {
    "pong"
}

fn main() {}
