use lambda_fn::{Context, handler};

pub struct Order {
    pub id: String,
}

#[handler("orders.create")]
async fn create(order: Order, ctx: Context) -> String {
    let _ = ctx;
    order.id
}

fn main() {}
