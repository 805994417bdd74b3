//! The generated code cannot clash with the user's names: functions and types named like the macro's
//! variables, shadowed prelude names, handlers in function bodies, and `#[cfg]` that removes a handler.
#![deny(warnings, unsafe_code, missing_docs)]

use lambda_fn::{Context, handler, init};

// Shadow names the expansion might use unqualified.
#[allow(dead_code)]
struct Box;
#[allow(dead_code)]
type Result = ();
#[allow(dead_code)]
mod core {}
#[allow(dead_code)]
enum Option {
    None,
}

/// State for the `#[init]` below.
pub struct Db;

#[handler("inv")]
async fn inv(inv: u32, __event: Context) -> u32 {
    let _ = __event;
    inv
}

#[handler("event")]
fn __event(__arg1: u32, __arg2: Context) -> u32 {
    let _ = __arg2;
    __arg1
}

#[init]
fn __arg1() -> Db {
    Db
}

// Configured out: the registration is removed with the function, even though the types do not exist.
#[cfg(any())]
#[handler("gone")]
async fn gone(event: DoesNotExist) -> AlsoMissing {
    event
}

fn main() {
    #[handler("local")]
    async fn local(event: u32) -> u32 {
        event
    }

    let _ = (inv(1, Context::for_test()), local(1), __arg1());
    assert_eq!(__event(2, Context::for_test()), 2);
    let names = lambda_fn::registered_handlers();
    assert_eq!(names.len(), 3, "{names:?}");
    for name in ["inv", "event", "local"] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
}
