//! What a `#[handler]` says about its deployment, checked here at the user's span and written into the
//! registration for `bootstrap manifest` and the generated template: the settings `memory = 256`,
//! `timeout = 30`, `reserved_concurrency = 5`, `env = "KEY=value"`, `architecture = "arm64"` and, for routed
//! functions, `api = "rest"`; a durable workflow's `durable(timeout = 86400, retention_days = 14)`; and the
//! triggers ([`crate::trigger`]).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Type};

use crate::args::{Key, Settings, int_literal, string_literal};
use crate::common::{self, push, zip};
use crate::trigger::Trigger;

/// The settings and triggers of one handler.
#[derive(Default)]
pub(crate) struct Deploy {
    pub(crate) memory: Option<u64>,
    pub(crate) timeout: Option<u64>,
    pub(crate) reserved_concurrency: Option<u32>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) architecture: Option<String>,
    /// `api = "rest"` (true) or `api = "http"`, and where it was written.
    pub(crate) api: Option<(bool, Span)>,
    /// Each trigger and where it was written.
    pub(crate) triggers: Vec<(Trigger, Span)>,
    /// `durable`: the function is a durable workflow, with these settings.
    pub(crate) durable: Option<Durable>,
    /// `calls = [f, g]`: the handlers of the binary it calls, by their functions' paths.
    pub(crate) calls: Vec<syn::Path>,
}

/// How `calls` is written.
pub(crate) const CALLS_USAGE: &str =
    "`calls = [price, flow]`: the functions of the handlers of this binary that it calls";

/// `calls = [price, flow]`: the handlers' functions, as paths.
pub(crate) fn calls(value: &Expr) -> syn::Result<Vec<syn::Path>> {
    let Expr::Array(array) = value else {
        return Err(syn::Error::new(
            value.span(),
            format!("expected a list of handler functions: {CALLS_USAGE}"),
        ));
    };
    if array.elems.is_empty() {
        return Err(syn::Error::new(
            value.span(),
            format!("name at least one handler, or leave `calls` out: {CALLS_USAGE}"),
        ));
    }
    array
        .elems
        .iter()
        .map(|elem| match elem {
            Expr::Path(path) if path.qself.is_none() => Ok(path.path.clone()),
            other => Err(syn::Error::new(
                other.span(),
                format!("expected the name of a handler's function, as `price`: {CALLS_USAGE}"),
            )),
        })
        .collect()
}

/// `memory = 256`: megabytes, as Lambda allows them.
pub(crate) fn memory(value: &Expr) -> syn::Result<u64> {
    match int_literal(value) {
        Some(mb) if (128..=10_240).contains(&mb) => Ok(mb),
        Some(mb) => Err(syn::Error::new(
            value.span(),
            format!("Lambda gives a function 128 to 10240 MB, not {mb}: e.g. `memory = 256`"),
        )),
        None => Err(syn::Error::new(
            value.span(),
            "expected megabytes as a whole number: `memory = 256`",
        )),
    }
}

/// `timeout = 30`: seconds, as Lambda allows them.
pub(crate) fn timeout(value: &Expr) -> syn::Result<u64> {
    match int_literal(value) {
        Some(s) if (1..=900).contains(&s) => Ok(s),
        Some(s) => Err(syn::Error::new(
            value.span(),
            format!("a Lambda function times out after 1 to 900 seconds, not {s}: e.g. `timeout = 30`"),
        )),
        None => Err(syn::Error::new(
            value.span(),
            "expected seconds as a whole number: `timeout = 30`",
        )),
    }
}

/// `reserved_concurrency = 5`, 0 to stop the function. How much a function may reserve is a quota of its account
/// (1000 by default, raised on request), which only the deploy can check.
pub(crate) fn reserved_concurrency(value: &Expr) -> syn::Result<u32> {
    match int_literal(value) {
        Some(n) => u32::try_from(n).map_err(|_| {
            syn::Error::new(
                value.span(),
                format!("{n} is beyond any account's concurrency quota: e.g. `reserved_concurrency = 100`"),
            )
        }),
        None => Err(syn::Error::new(
            value.span(),
            "expected a whole number: `reserved_concurrency = 10` (0 stops the function)",
        )),
    }
}

/// `env = "NAME=value"`: one environment variable, whose name Lambda does not reserve.
pub(crate) fn env(value: &Expr) -> syn::Result<(String, String)> {
    let Some(pair) = string_literal(value).map(|lit| lit.value()) else {
        return Err(syn::Error::new(
            value.span(),
            "expected `env = \"NAME=value\"` (once per variable)",
        ));
    };
    match pair.split_once('=') {
        Some((name, _)) if name.starts_with("AWS_") => Err(syn::Error::new(
            value.span(),
            format!("`{name}`: Lambda reserves the `AWS_` names; choose another"),
        )),
        Some((name, value)) if is_env_name(name) => Ok((name.to_owned(), value.to_owned())),
        _ => Err(syn::Error::new(
            value.span(),
            format!(
                "`{pair}` is not `NAME=value` with a name of letters, digits and `_`: e.g. `env = \"TABLE=orders\"`"
            ),
        )),
    }
}

/// `architecture = "arm64"` or `"x86_64"`.
pub(crate) fn architecture(value: &Expr) -> syn::Result<String> {
    match string_literal(value).map(|lit| lit.value()) {
        Some(arch) if matches!(arch.as_str(), "x86_64" | "arm64") => Ok(arch),
        Some(arch) => Err(syn::Error::new(
            value.span(),
            format!(
                "Lambda runs `x86_64` or `arm64` (Graviton), not `{arch}`{}",
                if arch.contains("aarch64") || arch.contains("arm") {
                    ": write `architecture = \"arm64\"`"
                } else {
                    ""
                }
            ),
        )),
        None => Err(syn::Error::new(
            value.span(),
            "expected `architecture = \"arm64\"` or `architecture = \"x86_64\"`",
        )),
    }
}

/// `api = "rest"` (true) or `api = "http"` (false), the API Gateway that serves the routes.
pub(crate) fn api(value: &Expr) -> syn::Result<bool> {
    match string_literal(value).map(|lit| lit.value()) {
        Some(api) if api == "rest" || api == "http" => Ok(api == "rest"),
        Some(api) => Err(syn::Error::new(
            value.span(),
            format!(
                "`{api}`: routes are served by an API Gateway HTTP API (`api = \"http\"`, the default) or a REST API (`api = \"rest\"`)"
            ),
        )),
        None => Err(syn::Error::new(
            value.span(),
            "expected `api = \"rest\"` or `api = \"http\"`",
        )),
    }
}

/// An environment variable name: letters, digits and `_`, not starting with a digit.
fn is_env_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Deploy {
    /// For routed and `service` functions, which answer HTTP requests: their triggers can only be HTTP
    /// ones (`url`, `alb(...)`), and a streamed URL only for a function that streams (`streams`).
    pub(crate) fn check_http_triggers(&self, streams: bool, errors: &mut Option<syn::Error>) {
        for (trigger, at) in &self.triggers {
            if let (Trigger::Url { streaming: true }, false) = (trigger, streams) {
                push(
                    errors,
                    syn::Error::new(
                        *at,
                        "write `url`: this function answers whole responses, which a `RESPONSE_STREAM` URL would \
                         pass on as raw JSON (streamed URLs are for `service(streaming)` and streaming handlers)",
                    ),
                );
            }
            if !trigger.is_http() {
                let option = trigger.option();
                push(
                    errors,
                    syn::Error::new(
                        *at,
                        format!(
                            "`{option}` sends its own events, not HTTP requests, and this function answers HTTP (its \
                             routes, `url`, `alb(...)`): put the `{option}` trigger on a handler of its own"
                        ),
                    ),
                );
            }
        }
    }

    /// `api` chooses the API Gateway of routes: anywhere else it is an error.
    pub(crate) fn check_api(&self, routed: bool, errors: &mut Option<syn::Error>) {
        if let (Some((_, at)), false) = (self.api, routed) {
            push(
                errors,
                syn::Error::new(
                    at,
                    "`api` chooses the API Gateway that serves a function's routes: it goes with `route = \"...\"`",
                ),
            );
        }
    }

    /// The registration's `deploy` field.
    pub(crate) fn tokens(&self) -> TokenStream {
        let memory = common::option_tokens(self.memory.map(|m| m as u32));
        let timeout = common::option_tokens(self.timeout.map(|t| t as u32));
        let reserved = common::option_tokens(self.reserved_concurrency);
        let env = self.env.iter().map(|(name, value)| quote!((#name, #value)));
        let architecture = common::option_tokens(self.architecture.as_ref());
        let api = common::option_tokens(self.api.map(|(rest, _)| if rest { "rest" } else { "http" }));
        let triggers = self.triggers.iter().map(|(trigger, _)| trigger.tokens());
        let durable = common::option_tokens(self.durable.map(|d| {
            let config = common::private("DurableConfig", Span::call_site());
            let retention = common::option_tokens(d.retention_days);
            let timeout = d.timeout_s;
            quote!(#config { timeout_s: #timeout, retention_days: #retention })
        }));
        let target = common::private("CallTarget", Span::call_site());
        // Spanned at each path: a path that is not a handler's is an error there.
        let calls = self
            .calls
            .iter()
            .map(|path| quote::quote_spanned!(path.span()=> <#path as #target>::NAME));
        let deploy = common::private("Deploy", Span::call_site());
        quote! {
            #deploy {
                memory_mb: #memory,
                timeout_s: #timeout,
                reserved_concurrency: #reserved,
                env: &[#(#env),*],
                architecture: #architecture,
                api: #api,
                triggers: &[#(#triggers),*],
                durable: #durable,
                calls: &[#(#calls),*],
            }
        }
    }

    /// Checks, at the event type, that it can take the events of each of the handler's triggers: the
    /// compiler's error names the type and the trigger.
    pub(crate) fn event_checks(&self, event_ty: &Type) -> TokenStream {
        let ty = event_ty.to_token_stream();
        let mut seen = Vec::new();
        let checks = self.triggers.iter().filter_map(|(trigger, _)| {
            let check = trigger.check();
            if seen.contains(&check) {
                return None;
            }
            seen.push(check);
            let check = common::private(check, event_ty.span());
            Some(quote_spanned! {event_ty.span()=>
                const _: fn() = || #check::<#ty>();
            })
        });
        quote!(#(#checks)*)
    }
}

#[cfg(test)]
mod tests {
    use super::reserved_concurrency;

    fn reserved(value: &str) -> Result<u32, String> {
        reserved_concurrency(&syn::parse_str(value).unwrap_or_else(|e| panic!("{value}: {e}")))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn reserved_concurrency_is_bounded_by_the_account_not_here() {
        assert_eq!(reserved("0"), Ok(0));
        assert_eq!(reserved("5000"), Ok(5000));
        assert!(reserved("-1").is_err_and(|e| e.contains("expected a whole number")));
        assert!(reserved("2.5").is_err_and(|e| e.contains("expected a whole number")));
        assert!(reserved("5000000000").is_err_and(|e| e.contains("beyond any account's concurrency quota")));
    }
}

/// How `durable` is written (a durable workflow's settings are deployment settings: its `DurableConfig`).
pub(crate) const DURABLE_USAGE: &str =
    "`durable` or `durable(timeout = 86400, retention_days = 14, plugins = [Tracer::default()])`";

/// The settings `durable(...)` takes.
pub(crate) const DURABLE_KEYS: &[Key] = &[
    Key {
        name: "timeout",
        about: "seconds an execution may last, waits included: 1 to 31622400, a day by default",
    },
    Key {
        name: "retention_days",
        about: "days the execution's history is kept after it ends: 1 to 90, 14 by default",
    },
    Key {
        name: "plugins",
        about: "instrumentation plugins, each an expression made again for every invocation",
    },
];

/// `plugins = [a, b]`: the expressions, each a `durable::plugin::Plugin` made once per invocation (not a
/// deployment setting: the registration's call evaluates them).
pub(crate) fn plugins(value: &Expr) -> syn::Result<Vec<Expr>> {
    match value {
        Expr::Array(array) => Ok(array.elems.iter().cloned().collect()),
        other => Err(syn::Error::new(
            other.span(),
            "expected a list of plugins, each an expression: e.g. `plugins = [Tracer::default()]`",
        )),
    }
}

/// The execution timeout when the annotation gives none: a day.
const DEFAULT_TIMEOUT_S: u64 = 86_400;

/// The settings of a durable function (`DurableConfig`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Durable {
    /// `ExecutionTimeout`, seconds.
    pub(crate) timeout_s: u32,
    /// `RetentionPeriodInDays`; Lambda's default (14) when `None`.
    pub(crate) retention_days: Option<u32>,
}

impl Default for Durable {
    fn default() -> Durable {
        Durable {
            timeout_s: DEFAULT_TIMEOUT_S as u32,
            retention_days: None,
        }
    }
}

/// `durable(timeout = S, retention_days = D)`, each optional, checked against Lambda's ranges.
pub(crate) fn durable(settings: &Settings<'_>) -> syn::Result<Durable> {
    let timeout = settings.get("timeout").map_or(Ok(DEFAULT_TIMEOUT_S), |value| {
        ranged(
            value,
            1,
            31_622_400,
            "an execution lasts 1 to 31622400 seconds (a year and a day): e.g. `timeout = 86400`",
        )
    });
    let retention = settings
        .get("retention_days")
        .map(|value| {
            ranged(
                value,
                1,
                90,
                "the history is kept 1 to 90 days: e.g. `retention_days = 14`",
            )
        })
        .transpose();
    let (timeout, retention) = zip(timeout, retention)?;
    Ok(Durable {
        timeout_s: timeout as u32,
        retention_days: retention.map(|days| days as u32),
    })
}

fn ranged(value: &Expr, low: u64, high: u64, why: &str) -> syn::Result<u64> {
    match int_literal(value) {
        Some(n) if (low..=high).contains(&n) => Ok(n),
        Some(n) => Err(syn::Error::new(value.span(), format!("{n} is out of range: {why}"))),
        None => Err(syn::Error::new(value.span(), format!("expected a whole number: {why}"))),
    }
}
