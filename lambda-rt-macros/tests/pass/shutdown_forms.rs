//! The accepted forms of `#[shutdown]`: async or not, no parameters or `State<T>` ones, nothing or a
//! `Result` returned. The functions stay callable.

use lambda_fn::{Error, State, init, shutdown};

struct Pool;

#[init]
fn pool() -> Pool {
    Pool
}

#[shutdown]
fn plain() {}

#[shutdown]
async fn close(_pool: State<Pool>) -> Result<(), Error> {
    Ok(())
}

#[shutdown]
async fn flush(_a: State<Pool>, _b: lambda_fn::State<Pool>) -> Result<(), std::io::Error> {
    Ok(())
}

fn main() {
    plain();
    lambda_fn::check_registrations().unwrap();
}
