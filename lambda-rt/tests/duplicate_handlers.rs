//! Two handlers with one name in one binary: `check_registrations` (which the runtime runs at start-up)
//! reports `Runtime.DuplicateHandler` with both source locations.

mod orders {
    #[lambda_fn::handler("orders.create")]
    pub async fn create(event: serde_json::Value) -> serde_json::Value {
        event
    }
}

mod legacy {
    #[lambda_fn::handler("orders.create")]
    pub fn create_v1(event: serde_json::Value) -> serde_json::Value {
        event
    }
}

#[lambda_fn::handler("orders.list")]
async fn list(_event: serde_json::Value) -> Vec<u32> {
    vec![1, 2]
}

#[test]
fn duplicate_names_are_reported_with_both_locations() {
    let names = lambda_fn::registered_handlers();
    assert_eq!(names, ["orders.create", "orders.create", "orders.list"]);
    let err = lambda_fn::check_registrations().expect_err("the names clash");
    assert_eq!(err.error_type(), "Runtime.DuplicateHandler");
    let message = err.message();
    assert!(message.contains("two handlers are named `orders.create`"), "{message}");
    assert!(message.contains("duplicate_handlers::orders"), "{message}");
    assert!(message.contains("duplicate_handlers::legacy"), "{message}");
    assert_eq!(
        message.matches("lambda-rt/tests/duplicate_handlers.rs:").count(),
        2,
        "{message}"
    );
}

#[tokio::test]
async fn the_handlers_stay_plain_functions() {
    assert_eq!(orders::create(serde_json::json!(1)).await, 1);
    assert_eq!(legacy::create_v1(serde_json::json!(2)), 2);
    assert_eq!(list(serde_json::Value::Null).await, [1, 2]);
}
