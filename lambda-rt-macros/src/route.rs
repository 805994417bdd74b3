//! `route = "METHOD /path/{param}"` on a `#[handler]`: the template parsed and checked at the user's span,
//! the `Path<...>` parameters checked against it, and the expansion into route registrations.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{GenericArgument, ItemFn, LitStr, PathArguments, Type};

use crate::common::{self, push};
use crate::deploy::Deploy;

/// The methods a route may name; `ANY` matches every method.
const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"];

const ROUTE_USAGE: &str = "`route = \"GET /todos/{id}\"`";

/// One parsed `route = "..."`.
#[derive(Clone)]
pub(crate) struct Route {
    pub(crate) lit: LitStr,
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Literal(String),
    Param(String),
    Greedy(String),
}

impl Route {
    /// The names of its path parameters, in order.
    fn params(&self) -> Vec<&str> {
        self.segments
            .iter()
            .filter_map(|s| match s {
                Segment::Param(name) | Segment::Greedy(name) => Some(name.as_str()),
                Segment::Literal(_) => None,
            })
            .collect()
    }

    /// Method and path with parameter names left out: two routes with the same key match the same requests.
    fn key(&self) -> (String, Vec<Segment>) {
        let shape = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(text) => Segment::Literal(text.clone()),
                Segment::Param(_) => Segment::Param(String::new()),
                Segment::Greedy(_) => Segment::Greedy(String::new()),
            })
            .collect();
        (self.method.clone(), shape)
    }
}

/// Parses `METHOD /path` from the literal, every error at its span.
pub(crate) fn parse(lit: &LitStr) -> Result<Route, syn::Error> {
    let value = lit.value();
    let fail = |message: String| Err(syn::Error::new(lit.span(), message));
    let Some((method, path)) = value.split_once(' ') else {
        return fail(format!(
            "a route is a method and a path separated by one space, e.g. {ROUTE_USAGE}; `{value}` has no space"
        ));
    };
    if !METHODS.contains(&method) {
        let upper = method.to_ascii_uppercase();
        return if METHODS.contains(&upper.as_str()) {
            fail(format!("write the method in capitals: `route = \"{upper} {path}\"`"))
        } else {
            fail(format!(
                "`{method}` is not a method a route can take: use one of {}",
                METHODS.join(", ")
            ))
        };
    }
    if !path.starts_with('/') {
        return fail(format!(
            "the path of a route starts with `/`: `route = \"{method} /{}\"`",
            path.trim_start()
        ));
    }
    if let Some(bad) = path.chars().find(|c| c.is_whitespace() || matches!(c, '?' | '#')) {
        return fail(format!(
            "the path `{path}` contains {bad:?}: a route's path has no whitespace, query string or fragment (take the \
             query with `Query<T>`)"
        ));
    }
    let mut segments = Vec::new();
    if path != "/" {
        if path.ends_with('/') {
            return fail(format!(
                "remove the trailing `/`: `route = \"{method} {}\"` (a request for `{path}` is routed to it too)",
                path.trim_end_matches('/')
            ));
        }
        let parts: Vec<&str> = path[1..].split('/').collect();
        for (index, part) in parts.iter().enumerate() {
            if part.is_empty() {
                return fail(format!("the path `{path}` has an empty segment (`//`): remove it"));
            }
            match parse_segment(part, index + 1 == parts.len(), path) {
                Ok(segment) => segments.push(segment),
                Err(message) => return fail(message),
            }
        }
    }
    let route = Route {
        lit: lit.clone(),
        method: method.to_owned(),
        path: path.to_owned(),
        segments,
    };
    let names = route.params();
    for (index, name) in names.iter().enumerate() {
        if names[..index].contains(name) {
            return fail(format!(
                "the path parameter `{name}` appears twice in `{path}`: give each parameter its own name"
            ));
        }
    }
    Ok(route)
}

/// One segment: a literal, `{name}`, or `{name+}` (last only).
fn parse_segment(part: &str, last: bool, path: &str) -> Result<Segment, String> {
    if !part.contains(['{', '}']) {
        return Ok(Segment::Literal(part.to_owned()));
    }
    let Some(inner) = part.strip_prefix('{').and_then(|p| p.strip_suffix('}')) else {
        return Err(format!(
            "`{part}` in `{path}`: a parameter is a whole segment, `{{name}}` or `{{name+}}` (a literal segment has \
             no braces)"
        ));
    };
    let (name, greedy) = match inner.strip_suffix('+') {
        Some(name) => (name, true),
        None => (inner, false),
    };
    let mut chars = name.chars();
    let is_ident = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !is_ident {
        return Err(format!(
            "`{part}` in `{path}`: a parameter name is letters, digits and `_`, not starting with a digit, e.g. \
             `{{id}}`"
        ));
    }
    if greedy && !last {
        return Err(format!(
            "`{part}` in `{path}`: a greedy parameter takes the rest of the path, so it must be the last segment"
        ));
    }
    Ok(if greedy {
        Segment::Greedy(name.to_owned())
    } else {
        Segment::Param(name.to_owned())
    })
}

/// An error for each route given twice in the annotation (the same method and path shape).
pub(crate) fn check_duplicates(routes: &[Route], errors: &mut Option<syn::Error>) {
    for (index, route) in routes.iter().enumerate() {
        if let Some(first) = routes[..index].iter().find(|r| r.key() == route.key()) {
            let message = if first.lit.value() == route.lit.value() {
                format!("the route `{}` is given twice: keep one", route.lit.value())
            } else {
                format!(
                    "the routes `{}` and `{}` match the same requests (only the parameter names differ): keep one",
                    first.lit.value(),
                    route.lit.value()
                )
            };
            push(errors, syn::Error::new(route.lit.span(), message));
        }
    }
}

/// Checks every `Path<(A, B, ...)>` parameter against each route's parameters: a tuple has one element per
/// parameter, and a route without parameters takes no `Path`.
pub(crate) fn check_path_params(item: &ItemFn, routes: &[Route], errors: &mut Option<syn::Error>) {
    for ty in common::param_types(item) {
        let Some(inner) = path_argument(ty) else {
            continue;
        };
        for route in routes {
            let params = route.params();
            let arity = match common::peel(inner) {
                Type::Tuple(tuple) => Some(tuple.elems.len()),
                _ => None,
            };
            let listed = params.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
            let message = match arity {
                Some(n) if n != params.len() && params.is_empty() => Some(format!(
                    "the route `{}` has no path parameters: remove this `Path` parameter",
                    route.lit.value()
                )),
                Some(n) if n != params.len() => Some(format!(
                    "this tuple has {n} element(s), the route `{}` has {} path parameter(s) ({listed}): take one \
                     element per parameter, in order{}",
                    route.lit.value(),
                    params.len(),
                    if params.len() == 1 { ", or `Path<T>` alone" } else { "" }
                )),
                None if params.is_empty() => Some(format!(
                    "the route `{}` has no path parameters: remove this `Path` parameter",
                    route.lit.value()
                )),
                _ => None,
            };
            if let Some(message) = message {
                push(errors, syn::Error::new(inner.span(), message));
            }
        }
    }
}

/// `T` of a parameter typed `Path<T>` (by the last segment of the path).
fn path_argument(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = common::peel(ty) else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Path" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

/// The function unchanged, then in a `const _` the glue that extracts the parameters, calls the function and
/// turns its answer into a response, and one route registration per route.
pub(crate) fn expand(name: &LitStr, routes: &[Route], item: &ItemFn, deploy: &Deploy) -> TokenStream {
    let deploy = deploy.tokens();
    let site = Span::call_site();
    let fn_ident = &item.sig.ident;
    let parts = format_ident!("parts", span = Span::mixed_site());
    let body = format_ident!("body", span = Span::mixed_site());
    let mut lets = Vec::new();
    let mut states = Vec::new();
    let mut vars = Vec::new();
    let types: Vec<&Type> = common::param_types(item).collect();
    for (index, ty) in types.iter().enumerate() {
        let var = format_ident!("__arg{}", index, span = Span::mixed_site());
        let into_response = common::private("IntoResponse", ty.span());
        // Any parameter reads the request's head; the last may take the body instead (it is read once).
        let (extract, trait_path) = if index + 1 == types.len() {
            let from_request = common::private("FromRequest", ty.span());
            (
                quote_spanned!(ty.span()=> <#ty as #from_request<_>>::from_request(&mut #parts, #body)),
                quote_spanned!(ty.span()=> <#ty as #from_request<_>>),
            )
        } else {
            let from_request_parts = common::private("FromRequestParts", ty.span());
            (
                quote_spanned!(ty.span()=> <#ty as #from_request_parts>::from_request_parts(&mut #parts)),
                quote_spanned!(ty.span()=> <#ty as #from_request_parts>),
            )
        };
        lets.push(quote_spanned! {ty.span()=>
            let #var = match #extract {
                ::core::result::Result::Ok(value) => value,
                ::core::result::Result::Err(rejection) => {
                    return #into_response::into_response(rejection);
                }
            };
        });
        states.push(quote_spanned! {ty.span()=>
            #trait_path::state_key
        });
        vars.push(var);
    }
    // A handler without parameters does not read the body.
    let unread = types.is_empty().then(|| quote!(let _ = #body;));
    let ret_span = common::return_span(item);
    let call = common::respanned_call(fn_ident, &vars, item.sig.asyncness.is_some(), ret_span);
    // The answer is converted at the return type, so that one that is not `IntoResponse` is reported there.
    let respond = common::private("respond", ret_span);
    let respond = match &item.sig.output {
        syn::ReturnType::Type(_, ty) if common::find_impl_trait(ty).is_none() => quote_spanned! {ret_span=>
            #respond::<#ty>(#call)
        },
        syn::ReturnType::Type(..) => quote_spanned! {ret_span=>
            #respond(#call)
        },
        syn::ReturnType::Default => quote_spanned! {ret_span=>
            {
                #call;
                #respond(())
            }
        },
    };
    let (line, file) = common::source_location(item);
    let function = fn_ident.to_string();
    let cfgs = common::cfg_attrs(item);
    let submit = common::private("inventory::submit", site);
    let registration = common::private("RouteRegistration", site);
    let registrations = routes.iter().map(|route| {
        let method = &route.method;
        let path = &route.path;
        let segments = route.segments.iter().map(|segment| match segment {
            Segment::Literal(text) => {
                let literal = common::private("Segment::Literal", site);
                quote!(#literal(#text))
            }
            Segment::Param(name) => {
                let param = common::private("Segment::Param", site);
                quote!(#param(#name))
            }
            Segment::Greedy(name) => {
                let greedy = common::private("Segment::Greedy", site);
                quote!(#greedy(#name))
            }
        });
        quote! {
            #submit! {
                #registration {
                    handler: #name,
                    method: #method,
                    path: #path,
                    segments: &[#(#segments),*],
                    states: &[#(#states),*],
                    call: __lambda_rt_route,
                    function: #function,
                    module: ::core::module_path!(),
                    file: #file,
                    line: #line,
                    deploy: #deploy,
                }
            }
        }
    });
    let item_tokens = item.to_token_stream();
    let request_parts = common::private("RequestParts", site);
    let request_body = common::private("Body", site);
    let route_future = common::private("RouteFuture", site);
    let boxed = common::private("Box", site);
    quote! {
        #item_tokens
        #(#cfgs)*
        const _: () = {
            fn __lambda_rt_route(
                mut #parts: #request_parts,
                #body: #request_body,
            ) -> #route_future {
                #unread
                #boxed::pin(async move {
                    #(#lets)*
                    #respond
                })
            }
            #(#registrations)*
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> LitStr {
        LitStr::new(text, Span::call_site())
    }

    fn error(text: &str) -> String {
        match parse(&lit(text)) {
            Ok(route) => panic!("accepted {}", route.path),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn parses_templates() {
        let route = parse(&lit("GET /todos/{id}/files/{path+}")).unwrap();
        assert_eq!(route.method, "GET");
        assert_eq!(
            route.segments,
            [
                Segment::Literal("todos".into()),
                Segment::Param("id".into()),
                Segment::Literal("files".into()),
                Segment::Greedy("path".into())
            ]
        );
        assert_eq!(route.params(), ["id", "path"]);
        assert!(parse(&lit("ANY /")).unwrap().segments.is_empty());
    }

    #[test]
    fn malformed_templates_say_how_to_fix_them() {
        for (template, says) in [
            ("/todos", "separated by one space"),
            ("get /todos", "write the method in capitals: `route = \"GET /todos\"`"),
            ("FETCH /todos", "use one of GET"),
            ("GET todos", "starts with `/`: `route = \"GET /todos\"`"),
            ("GET /todos/", "remove the trailing `/`"),
            ("GET /a//b", "empty segment"),
            ("GET /a?x=1", "no whitespace, query string"),
            ("GET /todos/{id", "a parameter is a whole segment"),
            ("GET /todos/x{id}", "a parameter is a whole segment"),
            ("GET /todos/{1d}", "letters, digits and `_`"),
            ("GET /{rest+}/x", "must be the last segment"),
            ("GET /{id}/{id}", "appears twice"),
        ] {
            let error = error(template);
            assert!(error.contains(says), "{template}: {error}");
        }
    }
}
