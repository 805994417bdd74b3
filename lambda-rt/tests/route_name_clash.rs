//! A handler name used both for a plain handler and for routes is an init error naming both.

#[lambda_fn::handler("orders.api")]
async fn plain(event: serde_json::Value) -> serde_json::Value {
    event
}

#[lambda_fn::handler("orders.api", route = "GET /orders")]
async fn routed() -> &'static str {
    "[]"
}

#[test]
fn a_name_is_either_a_handler_or_routes() {
    let err = lambda_fn::check_registrations().expect_err("the name is used twice");
    assert_eq!(err.error_type(), "Runtime.DuplicateHandler");
    let message = err.message();
    assert!(message.contains("`orders.api` is both a handler"), "{message}");
    assert!(message.contains("`GET /orders`"), "{message}");
    assert_eq!(message.matches("route_name_clash.rs:").count(), 2, "{message}");
}
