//! Every handler of this binary, as the runtime sees them at start-up: the `#[handler]` functions and
//! the ones other rooms contribute (see [`Contributed`]); checking them together, choosing the one
//! `_HANDLER` names, and building the state it needs.

use std::any::TypeId;
use std::collections::HashMap;

use crate::error::{Error, kind};
use crate::extract::{StateKey, StateMap};
use crate::registry::{Contributed, HandlerRegistration, InitRegistration};

/// The rooms that contribute handlers: the one seam between the catalog and them.
const CONTRIBUTED: &[&Contributed] = &[&crate::http::ROUTED];

/// The contribution `handler` belongs to, if it is not a `#[handler]` function of its own.
fn contribution_of(handler: &HandlerRegistration) -> Option<&'static Contributed> {
    CONTRIBUTED
        .iter()
        .copied()
        .find(|contributed| contributed.owns(handler))
}

/// The names of all handlers registered in this binary, sorted.
///
/// ```
/// for name in lambda_fn::registered_handlers() {
///     println!("{name}");
/// }
/// ```
pub fn registered_handlers() -> Vec<&'static str> {
    let mut names: Vec<_> = all_handlers().map(|h| h.name).collect();
    names.sort_unstable();
    names
}

/// Every handler: the `#[handler]` functions, then the contributed ones (one per handler name with
/// routes, served by the router).
pub(crate) fn all_handlers() -> impl Iterator<Item = &'static HandlerRegistration> {
    inventory::iter::<HandlerRegistration>().chain(
        CONTRIBUTED
            .iter()
            .flat_map(|contributed| (contributed.handlers)().iter()),
    )
}

/// Checks the registrations of this binary: no two handlers share a name, no two routes of a handler
/// name match the same requests, no name is both a handler and the name of routes, and no two `#[init]`
/// functions build the same type. The runtime runs this at start-up; call it from a unit test to
/// find the mistake before deploying.
///
/// ```
/// // In a unit test of the crate that holds your handlers:
/// lambda_fn::check_registrations().expect("handler names are unique");
/// ```
pub fn check_registrations() -> Result<(), Error> {
    let mut by_name: HashMap<&str, &HandlerRegistration> = HashMap::new();
    for handler in inventory::iter::<HandlerRegistration>() {
        if let Some(first) = by_name.insert(handler.name, handler) {
            return Err(Error::new(
                kind::DUPLICATE_HANDLER,
                format!(
                    "two handlers are named `{}`: one at {}, the other at {}; rename one of them",
                    handler.name,
                    first.location(),
                    handler.location()
                ),
            ));
        }
    }
    let plain: Vec<_> = by_name.into_values().collect();
    for contributed in CONTRIBUTED {
        (contributed.check)(&plain)?;
    }
    let mut by_type: HashMap<TypeId, &InitRegistration> = HashMap::new();
    for init in inventory::iter::<InitRegistration>() {
        if let Some(first) = by_type.insert((init.type_id)(), init) {
            return Err(Error::new(
                kind::INIT_ERROR,
                format!(
                    "two #[init] functions build `{}`: one at {}:{}, the other at {}:{}; keep one",
                    init.state_type, first.file, first.line, init.file, init.line
                ),
            ));
        }
    }
    Ok(())
}

/// The handler `_HANDLER` names, or the only one registered when it is unset.
pub(crate) fn select(name: Option<&str>) -> Result<&'static HandlerRegistration, Error> {
    let mut handlers = all_handlers();
    let Some(name) = name else {
        return match (handlers.next(), handlers.next()) {
            (Some(only), None) => Ok(only),
            (None, _) => Err(Error::new(
                kind::HANDLER_NOT_FOUND,
                "no handler is registered in this binary: annotate a function with #[lambda_fn::handler(\"name\")] \
                 (a handler defined in a library crate needs `use that_crate as _;` in main.rs)",
            )),
            (Some(_), Some(_)) => Err(Error::new(
                kind::HANDLER_NOT_FOUND,
                format!(
                    "_HANDLER is not set and this binary has several handlers; set it to one of: {}",
                    registered_handlers().join(", ")
                ),
            )),
        };
    };
    if let Some(found) = handlers.find(|h| h.name == name) {
        return Ok(found);
    }
    let registered = registered_handlers();
    let mut message = format!("no handler named `{name}`; registered: {}", registered.join(", "));
    if registered.is_empty() {
        message = format!("no handler named `{name}`: this binary registers none");
    }
    if let Some(suggestion) = closest(name, &registered) {
        message.push_str(&format!(". Did you mean `{suggestion}`?"));
    }
    Err(Error::new(kind::HANDLER_NOT_FOUND, message))
}

/// The registered name closest to a mistyped one, if any is close enough to be a likely typo.
fn closest<'a>(name: &str, registered: &[&'a str]) -> Option<&'a str> {
    let lowercase = name.to_lowercase();
    registered
        .iter()
        .map(|candidate| (strsim::levenshtein(&lowercase, &candidate.to_lowercase()), *candidate))
        .filter(|(distance, candidate)| *distance <= (candidate.len() / 3).max(2))
        .min()
        .map(|(_, candidate)| candidate)
}

/// The state types a handler's extractors (all its routes' extractors) need built at start-up.
pub(crate) fn state_needs(handler: &'static HandlerRegistration) -> impl Iterator<Item = StateKey> {
    let contributed = contribution_of(handler).map(|contributed| (contributed.state_needs)(handler));
    handler
        .states
        .iter()
        .filter_map(|state_key| state_key())
        .chain(contributed.into_iter().flatten())
}

/// Runs the `#[init]` functions the handler's `State<T>` parameters need, once, and keeps their
/// values for the life of the process (with the route table, for a handler name with routes).
pub(crate) async fn build_states(handler: &'static HandlerRegistration) -> Result<&'static StateMap, Error> {
    let mut states = StateMap::new();
    if let Some(contributed) = contribution_of(handler) {
        (contributed.prepare)(handler, &mut states);
    }
    for key in state_needs(handler) {
        if states.contains_key(&key.type_id) {
            continue;
        }
        let init = inventory::iter::<InitRegistration>()
            .find(|init| (init.type_id)() == key.type_id)
            .ok_or_else(|| {
                Error::new(
                    kind::INIT_ERROR,
                    format!(
                        "handler `{}` takes `State<{}>` but no #[init] function returns `{}`; add one",
                        handler.name, key.type_name, key.type_name
                    ),
                )
            })?;
        let value = (init.run)().await.map_err(|e| {
            Error::new(
                kind::INIT_ERROR,
                format!(
                    "#[init] function for `{}` at {}:{} failed: {e}",
                    init.state_type, init.file, init.line
                ),
            )
        })?;
        states.insert(key.type_id, Box::leak(value));
    }
    Ok(Box::leak(Box::new(states)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_finds_typos_only() {
        let names = ["echo.raw", "hello.ALB", "square.APIGW"];
        assert_eq!(closest("helo.ALB", &names), Some("hello.ALB"));
        assert_eq!(closest("hello.alb", &names), Some("hello.ALB"));
        assert_eq!(closest("square.apigw2", &names), Some("square.APIGW"));
        assert_eq!(closest("orders.create", &names), None);
    }

    #[test]
    fn unknown_name_lists_what_exists() {
        // This test binary registers no handler.
        let err = select(Some("hello.ALB")).unwrap_err();
        assert_eq!(err.error_type(), "Runtime.HandlerNotFound");
        assert!(
            err.message().contains("no handler named `hello.ALB`"),
            "{}",
            err.message()
        );
        let err = select(None).unwrap_err();
        assert!(err.message().contains("no handler is registered"), "{}", err.message());
    }
}
