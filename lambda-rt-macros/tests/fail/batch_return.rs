use lambda_rt::batch::SqsRecord;
use lambda_rt::handler;

#[handler("orders.sqs", batch)]
async fn process(order: SqsRecord<u32>) -> u32 {
    *order
}

fn main() {}
