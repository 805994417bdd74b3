use lambda_fn::init;

pub struct Db;

#[init(name = "db")]
fn db() -> Db {
    Db
}

fn main() {}
