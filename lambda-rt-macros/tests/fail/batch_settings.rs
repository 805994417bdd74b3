use lambda_fn::batch::SqsRecord;
use lambda_fn::handler;

#[handler("a", batch(concurrency = 0))]
async fn zero(_order: SqsRecord<u32>) {}

#[handler("b", batch(retries = 3))]
async fn unknown(_order: SqsRecord<u32>) {}

#[handler("c", batch(margin_ms = "1s"))]
async fn not_a_number(_order: SqsRecord<u32>) {}

#[handler("d", batched)]
async fn misspelled(_order: SqsRecord<u32>) {}

fn main() {}
