use lambda_fn::init;

#[init]
pub struct Db;

fn main() {}
