use lambda_fn::handler;

struct Router;

#[handler("a.api", service)]
fn takes_requests(_request: String) -> Router {
    Router
}

#[handler("b.api", service)]
fn builds_nothing() {}

#[handler("c.api", service)]
fn unnamed() -> impl Clone {
    0u8
}

#[handler("d.api", service(streamed))]
fn misspelled() -> Router {
    Router
}

#[handler("e.api", service, route = "GET /x")]
fn both() -> Router {
    Router
}

fn main() {}
