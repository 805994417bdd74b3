use lambda_fn::batch::SqsRecord;
use lambda_fn::handler;

#[handler("orders.sqs", batch)]
async fn process(order: SqsRecord<u32>) -> u32 {
    *order
}

fn main() {}
