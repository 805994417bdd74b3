//! Every accepted form of a route handler compiles, registers, and its router passes the checks.

use lambda_fn::http::{HttpError, HttpEvent, Json, Path, Query, Request, StatusCode};
use lambda_fn::{Context, Error, State, handler, init};

struct Db;

#[init]
fn db() -> Db {
    Db
}

#[derive(serde::Deserialize)]
struct Page {
    limit: Option<u32>,
}

#[derive(serde::Deserialize)]
struct Ids {
    user: String,
    item: u32,
}

#[handler("forms.api", route = "GET /")]
fn root() -> &'static str {
    "root"
}

#[handler("forms.api", route = "GET /users/{user}/items/{item}", route = "HEAD /users/{user}/items/{item}")]
async fn by_struct(Path(ids): Path<Ids>, _ctx: Context) -> String {
    format!("{} {}", ids.user, ids.item)
}

#[handler("forms.api", route = "PUT /users/{user}/items/{item}")]
async fn by_tuple(Path((user, item)): Path<(String, u32)>, _db: State<Db>) -> Result<Json<u32>, HttpError> {
    let _ = user;
    Ok(Json(item))
}

#[handler("forms.api", route = "GET /files/{path+}")]
async fn greedy(Path(path): Path<String>, Query(page): Query<Page>, _event: HttpEvent) -> (StatusCode, String) {
    (StatusCode::OK, format!("{path} {:?}", page.limit))
}

#[handler("forms.api", route = "ANY /echo")]
async fn whole(request: Request) -> Result<String, Error> {
    Ok(format!("{} {}", request.method(), request.uri()))
}

#[handler("forms.api", route = "DELETE /files/{path+}")]
async fn unit() {}

fn main() {
    lambda_fn::check_registrations().unwrap();
    assert!(lambda_fn::registered_handlers().contains(&"forms.api"));
    // The functions are unchanged.
    assert_eq!(root(), "root");
}
