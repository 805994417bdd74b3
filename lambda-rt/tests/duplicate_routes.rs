//! Two routes of one handler name that match the same requests, registered from different modules (as
//! from different crates, where no macro sees both): `check_registrations`, which the runtime runs at
//! start-up, names both routes and where they are.

mod todos {
    use lambda_fn::http::Path;

    #[lambda_fn::handler("todos.api", route = "GET /todos/{id}")]
    pub async fn get(Path(id): Path<u64>) -> String {
        format!("todo {id}")
    }

    #[lambda_fn::handler("todos.api", route = "GET /todos")]
    pub async fn list() -> &'static str {
        "[]"
    }
}

mod legacy {
    use lambda_fn::http::Path;

    #[lambda_fn::handler("todos.api", route = "GET /todos/{key}")]
    pub async fn get_by_key(Path(key): Path<String>) -> String {
        key
    }

    // Another method on the same path is not a clash.
    #[lambda_fn::handler("todos.api", route = "DELETE /todos/{key}")]
    pub async fn delete(Path(key): Path<String>) -> String {
        key
    }
}

#[test]
fn overlapping_routes_are_reported_with_both_locations() {
    assert_eq!(lambda_fn::registered_handlers(), ["todos.api"]);
    let err = lambda_fn::check_registrations().expect_err("the routes clash");
    assert_eq!(err.error_type(), "Runtime.DuplicateHandler");
    let message = err.message();
    assert!(
        message.contains("`GET /todos/{id}`") && message.contains("`GET /todos/{key}`"),
        "{message}"
    );
    assert!(message.contains("match the same requests"), "{message}");
    assert!(
        message.contains("get at ") && message.contains("get_by_key at "),
        "{message}"
    );
    assert!(!message.contains("DELETE"), "{message}");
}

#[tokio::test(flavor = "current_thread")]
async fn the_functions_stay_plain_functions() {
    assert_eq!(todos::get(lambda_fn::http::Path(3)).await, "todo 3");
    assert_eq!(todos::list().await, "[]");
    assert_eq!(legacy::get_by_key(lambda_fn::http::Path("k".into())).await, "k");
    assert_eq!(legacy::delete(lambda_fn::http::Path("d".into())).await, "d");
}
