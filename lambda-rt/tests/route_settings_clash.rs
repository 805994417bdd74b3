//! Two routes of one name giving the function different settings is an init error naming both; the
//! same settings repeated, or settings on one route only, are the function's.

#[lambda_fn::handler("orders.api", route = "GET /orders", memory = 256)]
async fn list() -> &'static str {
    "[]"
}

#[lambda_fn::handler("orders.api", route = "POST /orders", memory = 512)]
async fn create() -> &'static str {
    "{}"
}

#[lambda_fn::handler("files.api", route = "GET /files", route = "HEAD /files", timeout = 5, api = "rest")]
async fn files() -> &'static str {
    "[]"
}

#[lambda_fn::handler("files.api", route = "DELETE /files/{name}")]
async fn delete(lambda_fn::http::Path(_name): lambda_fn::http::Path<String>) -> &'static str {
    "deleted"
}

#[test]
fn the_routes_of_a_name_give_its_settings_once() {
    let err = lambda_fn::check_registrations().expect_err("two memory sizes for one function");
    assert_eq!(err.error_type(), "Runtime.InitError");
    let message = err.message();
    assert!(
        message.contains("the routes of `orders.api` give the function different settings"),
        "{message}"
    );
    assert_eq!(message.matches("route_settings_clash.rs:").count(), 2, "{message}");
    assert!(
        !message.contains("files.api"),
        "settings on one annotation's two routes agree: {message}"
    );
}
