use lambda_fn::handler;

#[handler("orders.sqs", batch)]
async fn process(order: String) {}

fn main() {}
