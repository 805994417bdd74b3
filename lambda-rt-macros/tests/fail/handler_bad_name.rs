use lambda_fn::handler;

#[handler("")]
async fn empty(_event: u32) {}

#[handler("   ")]
async fn blank(_event: u32) {}

#[handler("hello ALB")]
async fn spaced(_event: u32) {}

#[handler(hello)]
async fn ident(_event: u32) {}

#[handler(42)]
async fn number(_event: u32) {}

#[handler(name = "hello.ALB")]
async fn key_value(_event: u32) {}

#[handler(
    "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
)]
async fn too_long(_event: u32) {}

fn main() {}
