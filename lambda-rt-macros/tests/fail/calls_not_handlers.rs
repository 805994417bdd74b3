// `calls = [...]` names handlers of this binary: a name that is not one does not compile, at the name.
use lambda_fn::{Error, handler};

#[handler("pricing.quote")]
async fn quote(item: String) -> Result<u64, Error> {
    Ok(item.len() as u64)
}

fn helper() {}

#[handler("a.one", calls = [quote, quotes])]
async fn one(_: String) {}

#[handler("a.two", calls = [helper])]
async fn two(_: String) {}

fn main() {}
