use lambda_fn::{Context, init};

pub struct Db;

#[init]
async fn db(ctx: Context, url: String) -> Db {
    let _ = (ctx, url);
    Db
}

fn main() {}
