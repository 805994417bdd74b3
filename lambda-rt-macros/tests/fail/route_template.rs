use lambda_fn::handler;

#[handler("a.api", route = "get /todos")]
async fn lowercase() {}

#[handler("b.api", route = "GET todos")]
async fn no_slash() {}

#[handler("c.api", route = "GET /todos/{id")]
async fn unclosed() {}

#[handler("d.api", route = "GET /files/{path+}/raw")]
async fn greedy_not_last() {}

#[handler("e.api", route = "GET /todos/")]
async fn trailing_slash() {}

#[handler("f.api", route = "FETCH /todos")]
async fn unknown_method() {}

#[handler("g.api", route = 42)]
async fn not_a_string() {}

fn main() {}
