use lambda_fn::handler;

#[handler("generic.type")]
async fn typed<E: serde::de::DeserializeOwned>(_event: E) {}

#[handler("generic.lifetime")]
async fn borrowed<'a>(_event: &'a str) {}

#[handler("generic.const")]
async fn sized<const N: usize>(_event: [u8; N]) {}

#[handler("generic.impl")]
async fn opaque(_event: impl serde::de::DeserializeOwned) {}

fn main() {}
