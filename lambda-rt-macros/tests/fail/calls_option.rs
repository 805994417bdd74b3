// `calls = [...]` is a list of the functions of handlers.
use lambda_fn::handler;

#[handler("a.three", calls = "quote")]
async fn three(_: String) {}

#[handler("a.four", calls = [])]
async fn four(_: String) {}

#[handler("a.five", calls = [quote(1)])]
async fn five(_: String) {}

fn main() {}
