use lambda_rt::init;

#[init]
pub struct Db;

fn main() {}
