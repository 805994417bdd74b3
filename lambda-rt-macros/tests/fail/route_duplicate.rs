use lambda_fn::handler;
use lambda_fn::http::Path;

#[handler("a.api", route = "GET /todos", route = "GET /todos")]
async fn twice() {}

#[handler("b.api", route = "GET /todos/{id}", route = "GET /todos/{key}")]
async fn same_shape(Path(_id): Path<String>) {}

#[handler("c.api", route = "GET /todos", batch)]
async fn batch_and_route() {}

fn main() {}
