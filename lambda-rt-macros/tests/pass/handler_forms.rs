//! Every accepted form of `#[handler]`: async or not; `Result`, plain or unit return; extractor parameters; any
//! visibility, attributes and parameter patterns. Each registers with the right facts and stays a plain function.
#![deny(warnings, unsafe_code)]

use std::future::Future;
use std::pin::pin;
use std::task::{Poll, Waker};

use lambda_fn::__private::HandlerRegistration;
use lambda_fn::{Context, Error, State, handler};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Deserialize)]
pub struct Order {
    pub id: String,
}

#[derive(Serialize, Debug, PartialEq)]
pub struct Receipt {
    pub id: String,
}

pub struct Db {
    pub prefix: &'static str,
}

#[handler("async.result")]
async fn async_result(order: Order, ctx: Context) -> Result<Receipt, Error> {
    let _ = ctx;
    Ok(Receipt { id: order.id })
}

/// Doc comments and other attributes stay on the function.
#[handler("async.plain")]
#[allow(clippy::unused_async)]
pub async fn async_plain(order: Order) -> Receipt {
    Receipt { id: order.id }
}

#[handler("async.unit")]
pub(crate) async fn async_unit(_event: Value) {}

#[handler("sync.result")]
fn sync_result(event: Value, _: Context, db: State<Db>) -> lambda_fn::Result<String> {
    Ok(format!("{}{event}", db.prefix))
}

#[handler("sync.plain")]
#[inline]
fn sync_plain(mut event: Vec<u32>) -> usize {
    event.push(1);
    event.len()
}

#[handler("sync.unit")]
fn sync_unit((a, b): (u8, u8)) -> () {
    let _ = a + b;
}

#[handler("std.result")]
async fn std_result(event: Value, ctx: Context, db: State<Db>) -> std::result::Result<Value, std::io::Error> {
    let _ = (ctx, db);
    Ok(event)
}

mod nested {
    use lambda_fn::{RawEvent, handler};

    #[handler("nested.raw")]
    pub async fn raw(event: RawEvent) -> usize {
        event.len()
    }
}

/// Runs a future that never waits (all handlers here) to completion.
fn now<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut std::task::Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the handler waited"),
    }
}

fn registration(name: &str) -> &'static HandlerRegistration {
    lambda_fn::__private::inventory::iter::<HandlerRegistration>()
        .find(|h| h.name == name)
        .unwrap_or_else(|| panic!("{name} is not registered"))
}

fn main() {
    // The functions are unchanged: callable directly, as a unit test would.
    let receipt = now(async_result(Order { id: "1".into() }, Context::for_test()));
    assert_eq!(receipt.ok(), Some(Receipt { id: "1".into() }));
    assert_eq!(now(async_plain(Order { id: "2".into() })), Receipt { id: "2".into() });
    now(async_unit(Value::Null));
    let db = State::for_test(Db { prefix: "db:" });
    assert_eq!(
        sync_result(Value::from(7), Context::for_test(), db).ok().as_deref(),
        Some("db:7")
    );
    assert_eq!(sync_plain(vec![1, 2]), 3);
    sync_unit((1, 2));
    assert!(now(std_result(Value::Null, Context::for_test(), db)).is_ok());

    let mut names = lambda_fn::registered_handlers();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "async.plain",
            "async.result",
            "async.unit",
            "nested.raw",
            "std.result",
            "sync.plain",
            "sync.result",
            "sync.unit"
        ]
    );

    let h = registration("async.result");
    assert_eq!(h.event_type, "Order");
    assert_eq!(h.module, module_path!());
    assert!(h.file.ends_with("handler_forms.rs"), "{}", h.file);
    // The line of the function name, not of the attribute.
    assert_eq!(h.line, 29);
    assert_eq!(h.states.len(), 1);
    assert!(h.states.iter().all(|state| state().is_none()), "Context needs no state");

    let h = registration("std.result");
    assert_eq!(h.line, 62);
    assert_eq!(h.states.len(), 2);
    assert!(
        h.states[0]().is_none() && h.states[1]().is_some(),
        "State<Db> needs state"
    );

    assert_eq!(registration("sync.plain").event_type, "Vec<u32>");
    assert_eq!(registration("sync.unit").event_type, "(u8, u8)");
    assert!(registration("sync.unit").states.is_empty());
    let raw = registration("nested.raw");
    assert_eq!(raw.module, format!("{}::nested", module_path!()));
    assert_eq!(raw.event_type, "RawEvent");

    lambda_fn::check_registrations().unwrap_or_else(|e| panic!("{e}"));
}
