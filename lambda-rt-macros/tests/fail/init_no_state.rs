use lambda_fn::{Error, init};

#[init]
async fn nothing() {}

#[init]
fn unit() -> () {}

#[init]
async fn unit_result() -> Result<(), Error> {
    Ok(())
}

fn main() {}
