//! The routes registered at link time, one table per handler name, and finding the route of a request.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use http::Method;

use super::extract::RequestParts;
use super::{Body, Response};
use crate::error::{Error, kind};
use crate::extract::StateKey;
use crate::registry::HandlerRegistration;

/// The future a route's glue returns: the handler's answer as an HTTP response.
#[doc(hidden)]
pub type RouteFuture = Pin<Box<dyn Future<Output = Response>>>;

/// One segment of a route's path template, parsed by the macro.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Segment {
    /// Matches exactly this text.
    Literal(&'static str),
    /// `{name}`: any one non-empty segment.
    Param(&'static str),
    /// `{name+}` (last only): the rest of the path, at least one segment.
    Greedy(&'static str),
}

impl Segment {
    /// Literals before parameters before greedy parameters: the order in which overlapping routes win.
    fn rank(self) -> u8 {
        match self {
            Segment::Literal(_) => 0,
            Segment::Param(_) => 1,
            Segment::Greedy(_) => 2,
        }
    }

    /// The segment with its parameter name left out: two routes with the same shapes match the same paths.
    fn shape(self) -> Segment {
        match self {
            Segment::Literal(text) => Segment::Literal(text),
            Segment::Param(_) => Segment::Param(""),
            Segment::Greedy(_) => Segment::Greedy(""),
        }
    }
}

/// One `route = "METHOD /path"` of a `#[handler]`, submitted to `inventory` by the macro.
#[doc(hidden)]
pub struct RouteRegistration {
    /// The handler name: all routes with the same name are one Lambda function.
    pub handler: &'static str,
    /// `GET`, `POST`, ... or `ANY`.
    pub method: &'static str,
    /// The template as written.
    pub path: &'static str,
    /// The template, parsed.
    pub segments: &'static [Segment],
    /// For each parameter of the function, the state it needs built at start-up.
    pub states: &'static [fn() -> Option<StateKey>],
    /// Extracts the parameters (the body goes to the last), calls the function, turns its answer into a
    /// response.
    pub call: fn(RequestParts, Body) -> RouteFuture,
    /// The function's name.
    pub function: &'static str,
    /// `module_path!()` of the function.
    pub module: &'static str,
    /// `file!()` of the function.
    pub file: &'static str,
    /// `line!()` of the function.
    pub line: u32,
    /// The function's settings and HTTP triggers, when this annotation gives them: they may be
    /// written on any one route of the name (or repeated, the same, on several).
    pub deploy: crate::registry::Deploy,
}

inventory::collect!(RouteRegistration);

impl RouteRegistration {
    fn location(&self) -> String {
        format!("{} at {}:{}", self.function, self.file, self.line)
    }

    fn matches_method(&self, method: &Method) -> bool {
        self.method == "ANY" || self.method == method.as_str()
    }
}

/// The routes of one handler name, most specific first.
pub(crate) struct Router {
    routes: Vec<&'static RouteRegistration>,
}

/// What the router found for a request.
pub(crate) enum Match {
    /// The route, with the path parameters by name.
    Route(&'static RouteRegistration, Vec<(Cow<'static, str>, Cow<'static, str>)>),
    /// Routes match the path, none the method: their methods, for `Allow`.
    MethodNotAllowed(Vec<&'static str>),
    /// No route matches the path.
    NotFound,
}

impl Router {
    /// The routes registered under `handler`.
    pub(crate) fn for_handler(handler: &str) -> Router {
        Router::new(routes_of(handler).collect())
    }

    /// A router over `routes`, sorted so that the first match is the most specific.
    fn new(mut routes: Vec<&'static RouteRegistration>) -> Router {
        routes.sort_by(|a, b| {
            let ranks = |r: &RouteRegistration| r.segments.iter().map(|s| s.rank()).collect::<Vec<_>>();
            ranks(a).cmp(&ranks(b)).then(b.segments.len().cmp(&a.segments.len()))
        });
        Router { routes }
    }

    /// The route for `method` and `path` (the routed path, percent-encoded). `HEAD` is served by a
    /// `GET` route when no route takes `HEAD` itself.
    pub(crate) fn find(&self, method: &Method, path: &str) -> Match {
        let segments: Vec<&str> = split(path);
        let mut allowed: Vec<&'static str> = Vec::new();
        let mut head_by_get = None;
        for route in &self.routes {
            let Some(params) = match_segments(route.segments, &segments) else {
                continue;
            };
            if route.matches_method(method) {
                return Match::Route(route, params);
            }
            if method == Method::HEAD && route.method == "GET" && head_by_get.is_none() {
                head_by_get = Some((*route, params));
            }
            if !allowed.contains(&route.method) {
                allowed.push(route.method);
            }
        }
        if let Some((route, params)) = head_by_get {
            return Match::Route(route, params);
        }
        if allowed.is_empty() {
            Match::NotFound
        } else {
            if allowed.contains(&"GET") && !allowed.contains(&"HEAD") {
                allowed.push("HEAD");
            }
            allowed.sort_unstable();
            Match::MethodNotAllowed(allowed)
        }
    }
}

/// The segments of a path; one trailing slash is not a segment of its own (`/todos/` is `/todos`).
fn split(path: &str) -> Vec<&str> {
    let trimmed = path.strip_prefix('/').unwrap_or(path);
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    if trimmed.is_empty() {
        Vec::new()
    } else {
        trimmed.split('/').collect()
    }
}

/// The parameters of `template` if it matches `path`, values percent-decoded.
fn match_segments(template: &'static [Segment], path: &[&str]) -> Option<Vec<(Cow<'static, str>, Cow<'static, str>)>> {
    let mut params = Vec::new();
    for (index, segment) in template.iter().enumerate() {
        match *segment {
            Segment::Literal(text) => {
                let actual = path.get(index)?;
                if *actual != text && decode(actual) != text {
                    return None;
                }
            }
            Segment::Param(name) => {
                let actual = path.get(index).filter(|a| !a.is_empty())?;
                params.push((Cow::Borrowed(name), Cow::Owned(decode(actual).into_owned())));
            }
            Segment::Greedy(name) => {
                let rest = path.get(index..).filter(|rest| !rest.is_empty())?;
                params.push((Cow::Borrowed(name), Cow::Owned(decode(&rest.join("/")).into_owned())));
                return Some(params);
            }
        }
    }
    (template.len() == path.len()).then_some(params)
}

fn decode(segment: &str) -> Cow<'_, str> {
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy()
}

pub(super) fn routes_of(handler: &str) -> impl Iterator<Item = &'static RouteRegistration> + '_ {
    inventory::iter::<RouteRegistration>().filter(move |route| route.handler == handler)
}

/// The handler names that have routes, sorted.
pub(super) fn route_names() -> Vec<&'static str> {
    let mut names: Vec<_> = inventory::iter::<RouteRegistration>().map(|r| r.handler).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The state the routes of `handler` need built at start-up.
pub(super) fn route_state_needs(handler: &str) -> impl Iterator<Item = StateKey> + '_ {
    routes_of(handler).flat_map(|route| route.states.iter().filter_map(|key| key()))
}

/// The routes of a handler name, for `bootstrap manifest`: `(method, path)`.
pub(crate) fn routes_for_manifest(handler: &str) -> Vec<(&'static str, &'static str)> {
    let mut routes: Vec<_> = routes_of(handler).map(|r| (r.method, r.path)).collect();
    routes.sort_unstable();
    routes
}

/// Checks every handler name's routes: no two match the same requests, no name is both routed and
/// a plain handler, and the function's settings are given once (or the same each time).
pub(super) fn check_routes(plain: &[&'static HandlerRegistration]) -> Result<(), Error> {
    let mut by_shape: HashMap<(&str, Vec<Segment>), Vec<&RouteRegistration>> = HashMap::new();
    let mut settings: HashMap<&str, &RouteRegistration> = HashMap::new();
    for route in inventory::iter::<RouteRegistration>() {
        if route.deploy != crate::registry::Deploy::NONE {
            if let Some(first) = settings.get(route.handler).filter(|first| first.deploy != route.deploy) {
                return Err(Error::new(
                    kind::INIT_ERROR,
                    format!(
                        "the routes of `{}` give the function different settings, at {} and at {}: they are one \
                         Lambda function, so write its settings and triggers on one of its routes",
                        route.handler,
                        first.location(),
                        route.location()
                    ),
                ));
            }
            settings.insert(route.handler, route);
        }
        if let Some(handler) = plain.iter().find(|h| h.name == route.handler) {
            return Err(Error::new(
                kind::DUPLICATE_HANDLER,
                format!(
                    "`{}` is both a handler ({}:{}) and the name of routes (`{} {}`, {}); give the routes another \
                     name or remove the `route` from them",
                    route.handler,
                    handler.file,
                    handler.line,
                    route.method,
                    route.path,
                    route.location()
                ),
            ));
        }
        let shape: Vec<Segment> = route.segments.iter().map(|s| s.shape()).collect();
        let same_shape = by_shape.entry((route.handler, shape)).or_default();
        // `ANY` matches every method: it clashes with any route of the same shape.
        if let Some(first) = same_shape
            .iter()
            .find(|r| r.method == route.method || r.method == "ANY" || route.method == "ANY")
        {
            return Err(Error::new(
                kind::DUPLICATE_HANDLER,
                format!(
                    "the routes `{} {}` ({}) and `{} {}` ({}) of `{}` match the same requests; change or remove \
                     one of them",
                    first.method,
                    first.path,
                    first.location(),
                    route.method,
                    route.path,
                    route.location(),
                    route.handler
                ),
            ));
        }
        same_shape.push(route);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(method: &'static str, segments: &'static [Segment]) -> &'static RouteRegistration {
        fn call(_: RequestParts, _: Body) -> RouteFuture {
            Box::pin(async { super::super::Response::default() })
        }
        Box::leak(Box::new(RouteRegistration {
            handler: "t",
            method,
            path: "",
            segments,
            states: &[],
            call,
            function: "f",
            module: "m",
            file: "f.rs",
            deploy: crate::registry::Deploy::NONE,
            line: 1,
        }))
    }

    fn router(routes: Vec<&'static RouteRegistration>) -> Router {
        Router::new(routes)
    }

    use Segment::{Greedy, Literal, Param};

    #[test]
    fn literals_win_then_params_then_greedy() {
        let r = router(vec![
            route("GET", &[Literal("files"), Greedy("path")]),
            route("GET", &[Literal("files"), Param("id")]),
            route("GET", &[Literal("files"), Literal("new")]),
        ]);
        let found = |path| match r.find(&Method::GET, path) {
            Match::Route(route, params) => (route.segments[1], params),
            _ => panic!("{path} not found"),
        };
        assert_eq!(found("/files/new").0, Literal("new"));
        let (segment, params) = found("/files/a%20b");
        assert_eq!(segment, Param("id"));
        assert_eq!(params, vec![(Cow::Borrowed("id"), Cow::Owned::<str>("a b".into()))]);
        let (segment, params) = found("/files/a/b/c");
        assert_eq!(segment, Greedy("path"));
        assert_eq!(params[0].1, "a/b/c");
        assert!(matches!(r.find(&Method::GET, "/files"), Match::NotFound));
        assert!(matches!(r.find(&Method::GET, "/files/"), Match::NotFound));
    }

    #[test]
    fn other_methods_are_405_with_allow_and_head_is_served_by_get() {
        let r = router(vec![
            route("GET", &[Literal("todos")]),
            route("POST", &[Literal("todos")]),
            route("DELETE", &[Literal("todos"), Param("id")]),
        ]);
        match r.find(&Method::PUT, "/todos/") {
            Match::MethodNotAllowed(allowed) => assert_eq!(allowed, ["GET", "HEAD", "POST"]),
            _ => panic!("not a 405"),
        }
        assert!(matches!(r.find(&Method::HEAD, "/todos"), Match::Route(route, _) if route.method == "GET"));
        assert!(matches!(r.find(&Method::GET, "/"), Match::NotFound));
        assert!(matches!(r.find(&Method::DELETE, "/todos/7"), Match::Route(..)));
    }

    #[test]
    fn root_and_any() {
        let r = router(vec![route("ANY", &[])]);
        assert!(matches!(r.find(&Method::PATCH, "/"), Match::Route(..)));
        assert!(matches!(r.find(&Method::PATCH, ""), Match::Route(..)));
        assert!(matches!(r.find(&Method::PATCH, "/x"), Match::NotFound));
    }
}
