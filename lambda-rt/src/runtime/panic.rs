//! Handler panics: reported as `Runtime.Panic` with the panic's message and location, and logged as
//! one line through `tracing` (so it carries the request id, and stays one JSON object in JSON logs).

use std::any::Any;
use std::cell::RefCell;

use crate::error::{Error, kind};

thread_local! {
    /// Where the last panic on this thread happened, set by the hook, taken by [`to_error`].
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the default panic hook (which prints several lines of plain text on stderr) by one that
/// logs the panic as an ERROR event and remembers its location for the error report.
pub(crate) fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
        let message = message(info.payload());
        tracing::error!(
            location = location.as_deref().unwrap_or("unknown"),
            "handler panicked: {message}"
        );
        LOCATION.with(|last| *last.borrow_mut() = location);
    }));
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
}
