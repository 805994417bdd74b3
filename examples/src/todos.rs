//! `todos.api`: an in-memory TODO list, one Lambda function serving a small REST API from any HTTP
//! source (API Gateway REST or HTTP API, ALB, function URL, VPC Lattice).
//!
//! | route | answer |
//! |---|---|
//! | `GET /todos` | 200, the todos as a JSON array |
//! | `POST /todos` `{"title": "..."}` | 201, the new todo, `Location: /todos/{id}`; 400 for a blank title |
//! | `GET /todos/{id}` | 200 with the todo, 404 with a JSON error |
//! | `DELETE /todos/{id}` | 204, or 404 |
//! | `GET /todos/{id}/fail`, `GET /todos/{id}/panic` | 500: a handler error, a panic (to see how failures are answered) |
//!
//! The router answers the rest: another path is 404, `PUT /todos` 405 with `Allow: GET, POST, HEAD`,
//! `GET /todos/abc` 400 naming `id`, a body that is not `{"title": string}` 400 naming the field.

use std::collections::BTreeMap;
use std::sync::Mutex;

use lambda_fn::http::{HttpError, Json, Path, StatusCode};
use lambda_fn::{Error, State, handler, init};
use serde::{Deserialize, Serialize};

/// The list, built once per cold start.
#[derive(Debug, Default)]
pub struct Todos {
    items: Mutex<(u64, BTreeMap<u64, Todo>)>,
}

impl Todos {
    fn with<T>(&self, f: impl FnOnce(&mut u64, &mut BTreeMap<u64, Todo>) -> T) -> T {
        // A panic while the lock was held (none of ours can) leaves plain data: keep using it.
        let mut guard = self.items.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (next, items) = &mut *guard;
        f(next, items)
    }
}

#[init]
fn todos() -> Todos {
    Todos::default()
}

/// One todo, as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Todo {
    /// Given by the API, from 1.
    pub id: u64,
    /// What to do.
    pub title: String,
    /// Always `false` when created.
    pub done: bool,
}

/// The body of `POST /todos`.
#[derive(Debug, Deserialize)]
pub struct NewTodo {
    /// What to do; not blank.
    pub title: String,
}

/// `GET /todos`: every todo, oldest first. The function's settings go on one of its routes.
#[handler("todos.api", route = "GET /todos", memory = 256, timeout = 10)]
pub async fn list(todos: State<Todos>) -> Json<Vec<Todo>> {
    Json(todos.with(|_, items| items.values().cloned().collect()))
}

/// The answer of `POST /todos`: 201 with the todo and where it lives.
pub type Created = (StatusCode, [(&'static str, String); 1], Json<Todo>);

/// `POST /todos`: adds a todo.
#[handler("todos.api", route = "POST /todos")]
pub async fn create(todos: State<Todos>, Json(new): Json<NewTodo>) -> Result<Created, HttpError> {
    if new.title.trim().is_empty() {
        return Err(HttpError::bad_request("`title` is blank"));
    }
    let todo = todos.with(|next, items| {
        *next += 1;
        let todo = Todo {
            id: *next,
            title: new.title,
            done: false,
        };
        items.insert(todo.id, todo.clone());
        todo
    });
    Ok((
        StatusCode::CREATED,
        [("location", format!("/todos/{}", todo.id))],
        Json(todo),
    ))
}

fn missing(id: u64) -> HttpError {
    HttpError::not_found(format!("there is no todo {id}"))
}

/// `GET /todos/{id}`.
#[handler("todos.api", route = "GET /todos/{id}")]
pub async fn get(Path(id): Path<u64>, todos: State<Todos>) -> Result<Json<Todo>, HttpError> {
    todos
        .with(|_, items| items.get(&id).cloned())
        .map(Json)
        .ok_or_else(|| missing(id))
}

/// `DELETE /todos/{id}`: 204 No Content.
#[handler("todos.api", route = "DELETE /todos/{id}")]
pub async fn delete(Path(id): Path<u64>, todos: State<Todos>) -> Result<StatusCode, HttpError> {
    match todos.with(|_, items| items.remove(&id)) {
        Some(_) => Ok(StatusCode::NO_CONTENT),
        None => Err(missing(id)),
    }
}

/// `GET /todos/{id}/fail`: a handler error, answered as a 500 whose details go to the log only.
#[handler("todos.api", route = "GET /todos/{id}/fail")]
pub async fn fail(Path(id): Path<u64>) -> Result<Json<Todo>, Error> {
    Err(Error::new("StorageDown", format!("could not read todo {id}")))
}

/// `GET /todos/{id}/panic`: a panic, answered as a 500; the function goes on serving.
#[handler("todos.api", route = "GET /todos/{id}/panic")]
pub async fn explode(Path(id): Path<u64>) -> &'static str {
    panic!("todo {id} exploded")
}

#[cfg(test)]
mod tests {
    use super::*;
    use lambda_fn::http::IntoResponse;

    #[tokio::test(flavor = "current_thread")]
    async fn the_functions_are_plain_functions() {
        let todos = State::for_test(Todos::default());
        let (status, [(_, location)], Json(todo)) =
            create(todos, Json(NewTodo { title: "milk".into() })).await.unwrap();
        assert_eq!(
            (status, location.as_str(), todo.id),
            (StatusCode::CREATED, "/todos/1", 1)
        );
        assert_eq!(get(Path(1), todos).await.unwrap().0.title, "milk");
        assert_eq!(list(todos).await.0.len(), 1);
        assert_eq!(delete(Path(1), todos).await.unwrap(), StatusCode::NO_CONTENT);
        let gone = get(Path(1), todos).await.unwrap_err();
        assert_eq!(gone.into_response().status(), 404);
        let blank = create(todos, Json(NewTodo { title: " ".into() })).await.unwrap_err();
        assert_eq!(blank.status(), 400);
    }

    #[test]
    fn the_routes_do_not_clash() {
        lambda_fn::check_registrations().unwrap();
        assert!(lambda_fn::registered_handlers().contains(&"todos.api"));
    }
}
