//! Handler panics: reported as `Runtime.Panic` with the panic's message and location, and logged as
//! one line through `tracing` (so it carries the request id, and stays one JSON object in JSON logs).
//! Code that runs beside the handler and must not fail it (a durable workflow's plugins) catches its
//! panics with [`isolated`], which logs them as its own and leaves the handler's report as it was.

use std::any::Any;
use std::cell::{Cell, RefCell};

use crate::error::{Error, kind};

thread_local! {
    /// Where the last panic on this thread happened, set by the hook, taken by [`to_error`].
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Whose code runs on this thread, as the log line of a panic names it: `handler` unless
    /// [`isolated`] says otherwise.
    static WHOSE: Cell<&'static str> = const { Cell::new("handler") };
}

/// Replaces the default panic hook (which prints several lines of plain text on stderr) by one that
/// logs the panic as an ERROR event and remembers its location for the error report.
pub(crate) fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        let message = message(info.payload());
        let whose = WHOSE.get();
        let at = location.as_deref().unwrap_or("unknown");
        if whose == "handler" {
            tracing::error!(location = at, "handler panicked: {message}");
        } else {
            tracing::warn!(location = at, "{whose} panicked, and was ignored: {message}");
        }
        LOCATION.with(|last| *last.borrow_mut() = location);
    }));
}

/// Runs `f`, `whose` code (e.g. "a durable plugin's `on_invocation_start`"), catching its panic: the
/// panic is logged as a WARN naming `whose`, and the location a later `Runtime.Panic` report of the
/// handler gives is the one it would have given without it.
#[cfg(feature = "durable")]
pub(crate) fn isolated<R>(whose: &'static str, f: impl FnOnce() -> R) -> std::thread::Result<R> {
    let saved = LOCATION.with(|last| last.borrow_mut().take());
    let outer = WHOSE.replace(whose);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    WHOSE.set(outer);
    LOCATION.with(|last| *last.borrow_mut() = saved);
    result
}

/// The `Runtime.Panic` error for a caught panic's payload.
pub(crate) fn to_error(payload: &(dyn Any + Send)) -> Error {
    let mut error = Error::new(kind::PANIC, message(payload));
    if let Some(location) = LOCATION.with(|last| last.borrow_mut().take()) {
        error = error.with_trace(vec![format!("at {location}")]);
    }
    error
}

fn message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("the handler panicked with a value that is not a string")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_messages_are_extracted() {
        let err = std::panic::catch_unwind(|| panic!("boom")).map(|_: ()| ()).unwrap_err();
        assert_eq!(to_error(err.as_ref()).message(), "boom");
        let err = std::panic::catch_unwind(|| panic!("{} {}", "formatted", 1))
            .map(|_: ()| ())
            .unwrap_err();
        let error = to_error(err.as_ref());
        assert_eq!((error.error_type(), error.message()), ("Runtime.Panic", "formatted 1"));
        let err = std::panic::catch_unwind(|| std::panic::panic_any(42))
            .map(|_: ()| ())
            .unwrap_err();
        assert!(to_error(err.as_ref()).message().contains("not a string"));
    }

    #[test]
    #[cfg(feature = "durable")]
    fn an_isolated_panic_leaves_the_handlers_report_as_it_was() {
        install_hook();
        LOCATION.with(|last| *last.borrow_mut() = Some("src/handler.rs:7:9".to_owned()));
        let caught = isolated("a durable plugin's `on_operation_end`", || panic!("the plugin fails"));
        assert!(caught.is_err());
        assert_eq!(WHOSE.get(), "handler", "what follows is the handler's again");
        let payload: Box<dyn Any + Send> = Box::new("the handler fails");
        let error = to_error(payload.as_ref());
        assert_eq!(
            error.causes(),
            ["at src/handler.rs:7:9"],
            "the handler's own panic location, not the plugin's"
        );
    }
}
