use lambda_fn::handler;

#[handler("a.struct")]
pub struct Order {
    pub id: String,
}

#[handler("a.impl")]
impl Order {}

#[handler("a.const")]
const LIMIT: u32 = 3;

fn main() {}
