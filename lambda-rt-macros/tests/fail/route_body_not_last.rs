use lambda_fn::handler;
use lambda_fn::http::{Body, Json, Path};

#[derive(serde::Deserialize)]
struct NewTodo {
    title: String,
}

// Two body extractors: the body is read once.
#[handler("a.api", route = "POST /a")]
async fn two_bodies(text: String, body: Body) -> String {
    format!("{text} {}", body.as_bytes().len())
}

// A body extractor before another parameter.
#[handler("b.api", route = "POST /b/{id}")]
async fn body_first(Json(new): Json<NewTodo>, Path(id): Path<u64>) -> String {
    format!("{id}: {}", new.title)
}

fn main() {}
