use lambda_rt::handler;

#[handler("orders.sqs", batch)]
async fn process(order: String) {}

fn main() {}
