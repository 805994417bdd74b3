use lambda_fn::init;

pub struct Db;

#[init]
fn generic<T: Default>() -> T {
    T::default()
}

#[init]
unsafe fn dangerous() -> Db {
    Db
}

pub struct Pool;

impl Pool {
    #[init]
    fn method(&self) -> Db {
        Db
    }
}

fn main() {}
