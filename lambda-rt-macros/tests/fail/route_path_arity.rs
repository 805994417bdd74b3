use lambda_fn::handler;
use lambda_fn::http::Path;

#[handler("a.api", route = "GET /users/{user}/items/{item}")]
async fn too_few(Path((user,)): Path<(String,)>) -> String {
    user
}

#[handler("b.api", route = "GET /todos/{id}")]
async fn too_many(Path((id, _extra)): Path<(u64, u64)>) -> String {
    id.to_string()
}

#[handler("c.api", route = "GET /todos")]
async fn none_to_take(Path(id): Path<u64>) -> String {
    id.to_string()
}

fn main() {}
