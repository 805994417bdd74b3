use lambda_fn::handler;

/// An ALB request, as a user's own type.
#[derive(serde::Deserialize)]
struct AlbRequest {
    #[serde(rename = "httpMethod")]
    _method: String,
}

#[handler("alb.sqs", sqs = "OrdersQueue")]
async fn wrong_source(_request: AlbRequest) {}

fn main() {}
