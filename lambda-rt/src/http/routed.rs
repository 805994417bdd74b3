//! Handlers with routes, as the rest of the runtime sees them: one handler per name with routes, served
//! by the router, contributed to the catalog through [`ROUTED`] (the registry's [`Contributed`] seam).

use std::any::TypeId;
use std::sync::OnceLock;

use super::router::{Router, check_routes, route_names, route_state_needs, routes_of};
use super::serve::serve_routes;
use crate::extract::{StateKey, StateMap};
use crate::registry::{Contributed, Deploy, HandlerRegistration};

/// The router's contribution: a handler per name with routes.
pub(crate) static ROUTED: Contributed = Contributed {
    handlers: routed_handlers,
    check: check_routes,
    state_needs,
    prepare,
};

/// One registration per handler name with routes, sorted by name, that serves them through the router;
/// it stands where the first route (by file and line) is defined, with the routes' settings.
fn routed_handlers() -> &'static [HandlerRegistration] {
    static ROUTED_HANDLERS: OnceLock<Vec<HandlerRegistration>> = OnceLock::new();
    ROUTED_HANDLERS.get_or_init(|| {
        route_names()
            .into_iter()
            .filter_map(|name| {
                let first = routes_of(name).min_by_key(|r| (r.file, r.line))?;
                // `check_routes` refuses two routes with different settings.
                let deploy = routes_of(name)
                    .map(|r| r.deploy)
                    .find(|d| *d != Deploy::NONE)
                    .unwrap_or(Deploy::NONE);
                Some(HandlerRegistration {
                    name,
                    event_type: "lambda_fn::http::Request",
                    return_type: "lambda_fn::http::Response",
                    streaming: false,
                    module: first.module,
                    file: first.file,
                    line: first.line,
                    states: &[],
                    call: serve_routes,
                    batch: None,
                    deploy,
                })
            })
            .collect()
    })
}

/// The state every route of the handler's name needs built at start-up.
fn state_needs(handler: &'static HandlerRegistration) -> Vec<StateKey> {
    route_state_needs(handler.name).collect()
}

/// The route table of the handler's name, where `serve_routes` finds it.
fn prepare(handler: &'static HandlerRegistration, states: &mut StateMap) {
    let router = Router::for_handler(handler.name);
    states.insert(TypeId::of::<Router>(), Box::leak(Box::new(router)));
}
