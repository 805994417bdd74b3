//! What a `#[handler]` says about its deployment, checked here at the user's span and written into the
//! registration for `bootstrap manifest` and the generated template:
//!
//! - settings: `memory = 256`, `timeout = 30`, `reserved_concurrency = 5`, `env = "KEY=value"`,
//!   `architecture = "arm64"`, and for routed functions `api = "rest"`;
//! - triggers: `sqs = "Queue"` or `sqs(queue = "Queue", batch_size = 100, window = 5)`, `sns = "Topic"`,
//!   `s3 = "Bucket"`, `kinesis = "Stream"`, `dynamodb = "Table"`, `schedule = "rate(5 minutes)"`,
//!   `eventbridge = r#"{"source": [...]}"#` or `eventbridge(pattern = "...", bus = "Bus")`,
//!   `alb(listener = "Listener", path = "/x*", priority = 10)`, `url`, `url(streaming)`.
//!
//! Whether the handler's event type can take a trigger's events is checked by the compiler at that type,
//! through the `lambda_rt::trigger` traits the expansion names ([`Deploy::event_checks`]).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitStr, Type};

use crate::common::{self, push};

/// The settings and triggers of one handler.
#[derive(Default)]
pub(crate) struct Deploy {
    memory: Option<u64>,
    timeout: Option<u64>,
    reserved_concurrency: Option<u64>,
    env: Vec<(String, String)>,
    architecture: Option<String>,
    /// `api = "rest"` (true) or `api = "http"`, and where it was written.
    api: Option<(bool, Span)>,
    triggers: Vec<(Trigger, Span)>,
    /// Where the first setting or trigger was written, for errors about them as a whole.
    pub(crate) span: Option<Span>,
}

pub(crate) enum Trigger {
    Sqs {
        queue: LitStr,
        batch_size: Option<u64>,
        window_s: Option<u64>,
    },
    Kinesis(LitStr),
    DynamoDb(LitStr),
    Sns(LitStr),
    S3(LitStr),
    Schedule(LitStr),
    EventBridge {
        pattern: LitStr,
        bus: Option<LitStr>,
    },
    Alb {
        listener: LitStr,
        path: LitStr,
        priority: u64,
    },
    Url {
        streaming: bool,
    },
}

impl Trigger {
    /// The option as the user writes it, for messages.
    fn option(&self) -> &'static str {
        match self {
            Trigger::Sqs { .. } => "sqs",
            Trigger::Kinesis(_) => "kinesis",
            Trigger::DynamoDb(_) => "dynamodb",
            Trigger::Sns(_) => "sns",
            Trigger::S3(_) => "s3",
            Trigger::Schedule(_) => "schedule",
            Trigger::EventBridge { .. } => "eventbridge",
            Trigger::Alb { .. } => "alb",
            Trigger::Url { .. } => "url",
        }
    }

    /// The `lambda_rt::__private` check that an event type takes this trigger's events.
    fn check(&self) -> &'static str {
        match self {
            Trigger::Sqs { .. } => "takes_sqs",
            Trigger::Kinesis(_) => "takes_kinesis",
            Trigger::DynamoDb(_) => "takes_dynamodb",
            Trigger::Sns(_) => "takes_sns",
            Trigger::S3(_) => "takes_s3",
            Trigger::Schedule(_) | Trigger::EventBridge { .. } => "takes_eventbridge",
            Trigger::Alb { .. } => "takes_alb",
            Trigger::Url { .. } => "takes_url",
        }
    }

    /// A trigger whose events are HTTP requests, which routes and services take from any source.
    fn is_http(&self) -> bool {
        matches!(self, Trigger::Alb { .. } | Trigger::Url { .. })
    }
}

/// The names `name = value` inside `option(...)`, each with its value.
fn named_args<'a>(call: &'a syn::ExprCall, usage: &str, errors: &mut Option<syn::Error>) -> Vec<(String, &'a Expr)> {
    let mut named = Vec::new();
    for arg in &call.args {
        match arg {
            Expr::Assign(assign) => match &*assign.left {
                Expr::Path(path) if path.path.get_ident().is_some() => {
                    let name = path.path.get_ident().map(ToString::to_string).unwrap_or_default();
                    if named.iter().any(|(n, _)| *n == name) {
                        push(
                            errors,
                            syn::Error::new_spanned(arg, format!("`{name}` is given twice: keep one")),
                        );
                    } else {
                        named.push((name, &*assign.right));
                    }
                }
                other => push(errors, syn::Error::new_spanned(other, format!("expected {usage}"))),
            },
            other => push(errors, syn::Error::new_spanned(other, format!("expected {usage}"))),
        }
    }
    named
}

fn int_of(value: Option<&Expr>) -> Option<u64> {
    match value {
        Some(Expr::Lit(syn::ExprLit { lit: Lit::Int(int), .. })) => int.base10_parse::<u64>().ok(),
        _ => None,
    }
}

fn string_of(value: Option<&Expr>) -> Option<LitStr> {
    match value {
        Some(Expr::Lit(syn::ExprLit { lit: Lit::Str(lit), .. })) => Some(lit.clone()),
        _ => None,
    }
}

const SQS_USAGE: &str = "`sqs = \"Queue\"` or `sqs(queue = \"Queue\", batch_size = 10, window = 5)`";
const EVENTBRIDGE_USAGE: &str =
    "`eventbridge = r#\"{\"source\": [\"aws.s3\"]}\"#` or `eventbridge(pattern = \"...\", bus = \"OrdersBus\")`";
const ALB_USAGE: &str = "`alb(listener = \"Listener\", path = \"/orders*\", priority = 10)`";

impl Deploy {
    /// Takes `expr` if it is a setting or a trigger (returns whether it was one); errors go to `errors`.
    pub(crate) fn parse_option(&mut self, expr: &Expr, errors: &mut Option<syn::Error>) -> bool {
        if let Expr::Call(call) = expr
            && let Expr::Path(func) = &*call.func
            && let Some(ident) = func.path.get_ident()
        {
            let key = ident.to_string();
            if !matches!(key.as_str(), "url" | "sqs" | "eventbridge" | "alb") {
                return false;
            }
            self.span.get_or_insert(expr.span());
            self.parse_call(&key, call, errors);
            return true;
        }
        let found = match expr {
            Expr::Assign(assign) => match &*assign.left {
                Expr::Path(path) => path.path.get_ident().map(|i| (i.to_string(), Some(&*assign.right))),
                _ => None,
            },
            Expr::Path(path) if path.path.is_ident("url") => Some(("url".to_owned(), None)),
            Expr::Path(path) if path.path.is_ident("alb") => Some(("alb".to_owned(), None)),
            _ => None,
        };
        let Some((key, value)) = found else { return false };
        if !matches!(
            key.as_str(),
            "memory"
                | "timeout"
                | "reserved_concurrency"
                | "env"
                | "architecture"
                | "api"
                | "sqs"
                | "sns"
                | "s3"
                | "kinesis"
                | "dynamodb"
                | "schedule"
                | "eventbridge"
                | "alb"
                | "url"
        ) {
            return false;
        }
        self.span.get_or_insert(expr.span());
        let at = value.map_or_else(|| expr.span(), Spanned::span);
        let fail = |errors: &mut Option<syn::Error>, message: String| push(errors, syn::Error::new(at, message));
        match key.as_str() {
            "memory" => match int_of(value) {
                Some(mb) if (128..=10_240).contains(&mb) => self.memory = Some(mb),
                Some(mb) => fail(
                    errors,
                    format!("Lambda gives a function 128 to 10240 MB, not {mb}: e.g. `memory = 256`"),
                ),
                None => fail(
                    errors,
                    "expected megabytes as a whole number: `memory = 256`".to_owned(),
                ),
            },
            "timeout" => match int_of(value) {
                Some(s) if (1..=900).contains(&s) => self.timeout = Some(s),
                Some(s) => fail(
                    errors,
                    format!("a Lambda function times out after 1 to 900 seconds, not {s}: e.g. `timeout = 30`"),
                ),
                None => fail(errors, "expected seconds as a whole number: `timeout = 30`".to_owned()),
            },
            "reserved_concurrency" => match int_of(value) {
                Some(n) if n <= 1000 => self.reserved_concurrency = Some(n),
                Some(n) => fail(
                    errors,
                    format!(
                        "{n} is more than an account's default concurrency (1000): e.g. `reserved_concurrency = 10`"
                    ),
                ),
                None => fail(
                    errors,
                    "expected a whole number: `reserved_concurrency = 10` (0 stops the function)".to_owned(),
                ),
            },
            "architecture" => match string_of(value).map(|lit| lit.value()) {
                Some(arch) if matches!(arch.as_str(), "x86_64" | "arm64") => self.architecture = Some(arch),
                Some(arch) => fail(
                    errors,
                    format!(
                        "Lambda runs `x86_64` or `arm64` (Graviton), not `{arch}`{}",
                        if arch.contains("aarch64") || arch.contains("arm") {
                            ": write `architecture = \"arm64\"`"
                        } else {
                            ""
                        }
                    ),
                ),
                None => fail(
                    errors,
                    "expected `architecture = \"arm64\"` or `architecture = \"x86_64\"`".to_owned(),
                ),
            },
            "api" => match string_of(value).map(|lit| lit.value()) {
                Some(api) if api == "rest" || api == "http" => self.api = Some((api == "rest", at)),
                Some(api) => fail(
                    errors,
                    format!(
                        "`{api}`: routes are served by an API Gateway HTTP API (`api = \"http\"`, the default) or a REST API (`api = \"rest\"`)"
                    ),
                ),
                None => fail(errors, "expected `api = \"rest\"` or `api = \"http\"`".to_owned()),
            },
            "env" => match string_of(value).map(|lit| lit.value()) {
                Some(pair) => match pair.split_once('=') {
                    Some((name, value)) if is_env_name(name) && !name.starts_with("AWS_") => {
                        self.env.push((name.to_owned(), value.to_owned()))
                    }
                    Some((name, _)) if name.starts_with("AWS_") => fail(
                        errors,
                        format!("`{name}`: Lambda reserves the `AWS_` names; choose another"),
                    ),
                    _ => fail(
                        errors,
                        format!(
                            "`{pair}` is not `NAME=value` with a name of letters, digits and `_`: e.g. `env = \"TABLE=orders\"`"
                        ),
                    ),
                },
                None => fail(errors, "expected `env = \"NAME=value\"` (once per variable)".to_owned()),
            },
            "kinesis" | "dynamodb" => match string_of(value) {
                Some(lit) if is_logical_id(&lit.value()) => {
                    let trigger = if key == "kinesis" {
                        Trigger::Kinesis(lit)
                    } else {
                        Trigger::DynamoDb(lit)
                    };
                    self.triggers.push((trigger, at));
                }
                Some(lit) => fail(
                    errors,
                    format!(
                        "`{}` is not the logical id of a {} in the template (letters and digits; define it in the overrides)",
                        lit.value(),
                        if key == "kinesis" {
                            "Kinesis stream"
                        } else {
                            "DynamoDB table with a stream"
                        }
                    ),
                ),
                None => fail(
                    errors,
                    format!("expected the logical id as a string: `{key} = \"Orders\"`"),
                ),
            },
            "sns" | "s3" => match string_of(value) {
                Some(lit) => {
                    let value = lit.value();
                    let arn_ok = key == "sns" && is_arn(&value, "sns");
                    if arn_ok || is_logical_id(&value) {
                        let trigger = if key == "sns" {
                            Trigger::Sns(lit)
                        } else {
                            Trigger::S3(lit)
                        };
                        self.triggers.push((trigger, at));
                    } else if key == "sns" {
                        fail(
                            errors,
                            format!(
                                "`{value}` is neither a topic for the template to create (a logical id: letters and digits) nor an existing topic's ARN"
                            ),
                        );
                    } else {
                        fail(
                            errors,
                            format!(
                                "`{value}` is not a bucket for the template to create (a logical id: letters and digits; SAM's S3 events need the bucket in the template)"
                            ),
                        );
                    }
                }
                None => fail(
                    errors,
                    format!(
                        "expected a string: `{key} = \"{}\"`",
                        if key == "sns" { "OrdersTopic" } else { "UploadsBucket" }
                    ),
                ),
            },
            "sqs" => match string_of(value) {
                Some(queue) => match check_queue(&queue.value()) {
                    Ok(()) => self.triggers.push((
                        Trigger::Sqs {
                            queue,
                            batch_size: None,
                            window_s: None,
                        },
                        at,
                    )),
                    Err(why) => fail(errors, why),
                },
                None => fail(
                    errors,
                    "expected the queue as a string: `sqs = \"OrdersQueue\"` (a queue the template creates) or \
                     `sqs = \"arn:aws:sqs:...\"` (an existing one)"
                        .to_owned(),
                ),
            },
            "schedule" => match string_of(value) {
                Some(expression) => match check_schedule(&expression.value()) {
                    Ok(()) => self.triggers.push((Trigger::Schedule(expression), at)),
                    Err(why) => fail(errors, why),
                },
                None => fail(
                    errors,
                    "expected the schedule as a string: `schedule = \"rate(5 minutes)\"`".to_owned(),
                ),
            },
            "eventbridge" => match string_of(value) {
                Some(pattern) => match crate::pattern::check(&pattern.value()) {
                    Ok(()) => self.triggers.push((Trigger::EventBridge { pattern, bus: None }, at)),
                    Err(why) => fail(errors, why),
                },
                None => fail(
                    errors,
                    format!("expected the event pattern as a JSON string: {EVENTBRIDGE_USAGE}"),
                ),
            },
            "alb" => fail(
                errors,
                format!("an ALB target needs its listener and path: {ALB_USAGE}"),
            ),
            _ if value.is_none() => self.triggers.push((Trigger::Url { streaming: false }, at)),
            // `url = ...`
            _ => fail(errors, "write `url` or `url(streaming)`, without `=`".to_owned()),
        }
        true
    }

    /// `url(streaming)`, `sqs(...)`, `eventbridge(...)`, `alb(...)`.
    fn parse_call(&mut self, key: &str, call: &syn::ExprCall, errors: &mut Option<syn::Error>) {
        let at = call.span();
        if key == "url" {
            match call.args.iter().collect::<Vec<_>>().as_slice() {
                [Expr::Path(arg)] if arg.path.is_ident("streaming") => {
                    self.triggers.push((Trigger::Url { streaming: true }, at));
                }
                _ => push(
                    errors,
                    syn::Error::new_spanned(
                        &call.args,
                        "expected `url` or `url(streaming)` (InvokeMode RESPONSE_STREAM)",
                    ),
                ),
            }
            return;
        }
        let usage = match key {
            "sqs" => SQS_USAGE,
            "eventbridge" => EVENTBRIDGE_USAGE,
            _ => ALB_USAGE,
        };
        let named = named_args(call, usage, errors);
        let allowed: &[&str] = match key {
            "sqs" => &["queue", "batch_size", "window"],
            "eventbridge" => &["pattern", "bus"],
            _ => &["listener", "path", "priority"],
        };
        let mut ok = true;
        for (name, value) in &named {
            if !allowed.contains(&name.as_str()) {
                ok = false;
                push(
                    errors,
                    syn::Error::new_spanned(
                        value,
                        format!("`{key}` takes {}, not `{name}`: {usage}", allowed.join(", ")),
                    ),
                );
            }
        }
        let get = |name: &str| named.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
        let mut fail = |value: Option<&Expr>, message: String| {
            ok = false;
            push(errors, syn::Error::new(value.map_or(at, Spanned::span), message));
        };
        let required = |name: &str, fail: &mut dyn FnMut(Option<&Expr>, String)| match string_of(get(name)) {
            Some(lit) => Some(lit),
            None => {
                fail(get(name), format!("`{key}` needs `{name}` as a string: {usage}"));
                None
            }
        };
        match key {
            "sqs" => {
                let queue = required("queue", &mut fail);
                if let Some(queue) = &queue
                    && let Err(why) = check_queue(&queue.value())
                {
                    fail(get("queue"), why);
                }
                let batch_size = get("batch_size").map(|v| (int_of(Some(v)), v));
                let window = get("window").map(|v| (int_of(Some(v)), v));
                let batch_size = match batch_size {
                    None => None,
                    Some((Some(n), _)) if (1..=10_000).contains(&n) => Some(n),
                    Some((_, v)) => {
                        fail(
                            Some(v),
                            "an SQS batch is 1 to 10000 messages: e.g. `batch_size = 10`".to_owned(),
                        );
                        None
                    }
                };
                let window_s = match window {
                    None => None,
                    Some((Some(s), _)) if s <= 300 => Some(s),
                    Some((_, v)) => {
                        fail(
                            Some(v),
                            "the batching window is 0 to 300 seconds: e.g. `window = 5`".to_owned(),
                        );
                        None
                    }
                };
                // A window given but out of range has its own error already.
                let window_refused = window.is_some() && window_s.is_none();
                if let Some(n) = batch_size.filter(|n| *n > 10)
                    && window_s.unwrap_or(0) == 0
                    && !window_refused
                {
                    fail(
                        get("batch_size"),
                        format!(
                            "a batch of more than 10 messages ({n}) needs a batching window: add `window = 1` (seconds) or more"
                        ),
                    );
                }
                if let (true, Some(queue)) = (ok, queue) {
                    self.triggers.push((
                        Trigger::Sqs {
                            queue,
                            batch_size,
                            window_s,
                        },
                        at,
                    ));
                }
            }
            "eventbridge" => {
                let pattern = required("pattern", &mut fail);
                if let Some(pattern) = &pattern
                    && let Err(why) = crate::pattern::check(&pattern.value())
                {
                    fail(get("pattern"), why);
                }
                let bus = match get("bus") {
                    None => None,
                    Some(value) => match string_of(Some(value)) {
                        Some(bus) if is_bus_name(&bus.value()) => Some(bus),
                        _ => {
                            fail(
                                Some(value),
                                "the bus is an event bus's name or ARN: `bus = \"orders\"` (for a bus of the template, \
                                 set the event's `EventBusName` in the overrides)"
                                    .to_owned(),
                            );
                            None
                        }
                    },
                };
                if let (true, Some(pattern)) = (ok, pattern) {
                    self.triggers.push((Trigger::EventBridge { pattern, bus }, at));
                }
            }
            _ => {
                let listener = required("listener", &mut fail);
                if let Some(listener) = &listener
                    && !is_logical_id(&listener.value())
                    && !is_arn(&listener.value(), "elasticloadbalancing")
                {
                    fail(
                        get("listener"),
                        format!(
                            "`{}` is neither the logical id of a listener in the overrides (letters and digits) nor a listener's ARN",
                            listener.value()
                        ),
                    );
                }
                let path = required("path", &mut fail);
                if let Some(path) = &path
                    && let Err(why) = check_path_pattern(&path.value())
                {
                    fail(get("path"), why);
                }
                // Required: a listener's rules are ordered by it, and a deploy fails on one already taken,
                // which only the user can know of (rules of other stacks on the same listener).
                let priority = match int_of(get("priority")) {
                    Some(p) if (1..=50_000).contains(&p) => Some(p),
                    _ => {
                        fail(
                            get("priority"),
                            format!(
                                "`alb` needs the listener rule's `priority`, 1 to 50000 (lower is matched first, one \
                                 rule per priority on a listener): {ALB_USAGE}"
                            ),
                        );
                        None
                    }
                };
                if let (true, Some(listener), Some(path), Some(priority)) = (ok, listener, path, priority) {
                    self.triggers.push((
                        Trigger::Alb {
                            listener,
                            path,
                            priority,
                        },
                        at,
                    ));
                }
            }
        }
    }

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
        let memory = option(self.memory.map(|m| m as u32));
        let timeout = option(self.timeout.map(|t| t as u32));
        let reserved = option(self.reserved_concurrency.map(|n| n as u32));
        let env = self.env.iter().map(|(name, value)| quote!((#name, #value)));
        let architecture = match &self.architecture {
            Some(arch) => quote!(::core::option::Option::Some(#arch)),
            None => quote!(::core::option::Option::None),
        };
        let api = match self.api {
            Some((true, _)) => quote!(::core::option::Option::Some("rest")),
            Some((false, _)) => quote!(::core::option::Option::Some("http")),
            None => quote!(::core::option::Option::None),
        };
        let strings = |lit: &Option<LitStr>| match lit {
            Some(lit) => quote!(::core::option::Option::Some(#lit)),
            None => quote!(::core::option::Option::None),
        };
        let variant = |name: &str| common::private(&format!("Trigger::{name}"), Span::call_site());
        let triggers = self.triggers.iter().map(|(trigger, _)| match trigger {
            Trigger::Sqs {
                queue,
                batch_size,
                window_s,
            } => {
                let batch_size = option(batch_size.map(|n| n as u32));
                let window_s = option(window_s.map(|n| n as u32));
                let sqs = variant("Sqs");
                quote!(#sqs { queue: #queue, batch_size: #batch_size, window_s: #window_s })
            }
            Trigger::Sns(topic) => {
                let sns = variant("Sns");
                quote!(#sns { topic: #topic })
            }
            Trigger::Kinesis(stream) => {
                let kinesis = variant("Kinesis");
                quote!(#kinesis { stream: #stream })
            }
            Trigger::DynamoDb(table) => {
                let dynamodb = variant("DynamoDb");
                quote!(#dynamodb { table: #table })
            }
            Trigger::S3(bucket) => {
                let s3 = variant("S3");
                quote!(#s3 { bucket: #bucket })
            }
            Trigger::Schedule(expression) => {
                let schedule = variant("Schedule");
                quote!(#schedule { expression: #expression })
            }
            Trigger::EventBridge { pattern, bus } => {
                let bus = strings(bus);
                let eventbridge = variant("EventBridge");
                quote!(#eventbridge { pattern: #pattern, bus: #bus })
            }
            Trigger::Alb {
                listener,
                path,
                priority,
            } => {
                let priority = *priority as u32;
                let alb = variant("Alb");
                quote!(#alb { listener: #listener, path: #path, priority: #priority })
            }
            Trigger::Url { streaming } => {
                let url = variant("Url");
                quote!(#url { streaming: #streaming })
            }
        });
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

/// A CloudFormation logical id: letters and digits, at most 255.
fn is_logical_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 255 && id.chars().all(|c| c.is_ascii_alphanumeric())
}

/// An ARN of `service` (`sns`, `sqs`, ...) in any partition (`aws`, `aws-cn`, `aws-us-gov`, ...), with
/// its six parts.
fn is_arn(arn: &str, service: &str) -> bool {
    let mut parts = arn.split(':');
    parts.next() == Some("arn")
        && parts.next().is_some_and(|p| p == "aws" || p.starts_with("aws-"))
        && parts.next() == Some(service)
        && arn.split(':').count() >= 6
}

/// An event bus's name or ARN.
fn is_bus_name(bus: &str) -> bool {
    is_arn(bus, "events")
        || (!bus.is_empty() && bus.len() <= 256 && bus.chars().all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c)))
}

/// An ALB listener rule's `path-pattern`: at most 128 characters from the set ALB allows (letters,
/// digits, `_-.$/~"'@:+&`, and the wildcards `*` and `?`), a path (`/orders*`) or a wildcard (`*.png`).
fn check_path_pattern(path: &str) -> Result<(), String> {
    if let Some(bad) = path
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "_-.$/~\"'@:+&*?".contains(*c)))
    {
        return Err(format!(
            "`{path}`: ALB path patterns take letters, digits, `_-.$/~\"'@:+&` and the wildcards `*` and `?`, not `{bad}`"
        ));
    }
    if !path.starts_with(['/', '*']) {
        return Err(format!("`{path}`: an ALB path pattern is a path, e.g. `/orders*`"));
    }
    if path.len() > 128 {
        return Err(format!(
            "an ALB path pattern is at most 128 characters, this one {}",
            path.len()
        ));
    }
    Ok(())
}

/// An environment variable name: letters, digits and `_`, not starting with a digit.
fn is_env_name(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn option(value: Option<u32>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

/// A queue the template creates (a CloudFormation logical id: letters and digits) or an existing one's ARN.
fn check_queue(queue: &str) -> Result<(), String> {
    let arn = is_arn(queue, "sqs") && queue.split(':').count() == 6;
    if arn || is_logical_id(queue) {
        return Ok(());
    }
    let suggestion: String = queue
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| part[..1].to_ascii_uppercase() + &part[1..])
        .collect();
    Err(format!(
        "`{queue}` is neither a queue for the template to create (a CloudFormation logical id: letters and digits, \
         e.g. `sqs = \"{}\"`) nor an existing queue's ARN (`arn:aws:sqs:region:account:name`)",
        if suggestion.is_empty() {
            "OrdersQueue".to_owned()
        } else {
            suggestion
        }
    ))
}

/// An EventBridge schedule expression: `rate(value unit)` or `cron(six fields)`.
pub(crate) fn check_schedule(expression: &str) -> Result<(), String> {
    if let Some(inner) = expression.strip_prefix("rate(").and_then(|e| e.strip_suffix(')')) {
        let mut parts = inner.split_whitespace();
        let (Some(value), Some(unit), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "`{expression}`: a rate is a number and a unit, e.g. `rate(5 minutes)`"
            ));
        };
        let Ok(n) = value.parse::<u64>() else {
            return Err(format!(
                "`{expression}`: `{value}` is not a whole number of {unit}, e.g. `rate(5 minutes)`"
            ));
        };
        if n == 0 {
            return Err(format!("`{expression}`: a rate is at least 1, e.g. `rate(1 minute)`"));
        }
        let singular = unit.strip_suffix('s').unwrap_or(unit);
        if !matches!(singular, "minute" | "hour" | "day") {
            return Err(format!(
                "`{expression}`: the unit is minute(s), hour(s) or day(s), not `{unit}`"
            ));
        }
        let expected = if n == 1 {
            singular.to_owned()
        } else {
            format!("{singular}s")
        };
        if unit != expected {
            return Err(format!("`{expression}`: EventBridge wants `rate({n} {expected})`"));
        }
        return Ok(());
    }
    if let Some(inner) = expression.strip_prefix("cron(").and_then(|e| e.strip_suffix(')')) {
        let fields: Vec<&str> = inner.split_whitespace().collect();
        if fields.len() != 6 {
            return Err(format!(
                "`{expression}`: an EventBridge cron has 6 fields (minutes hours day-of-month month day-of-week year), \
                 not {}: e.g. `cron(0 12 * * ? *)`",
                fields.len()
            ));
        }
        if let Some(bad) = fields
            .iter()
            .find(|f| !f.chars().all(|c| c.is_ascii_alphanumeric() || ",-*/?#".contains(c)))
        {
            return Err(format!("`{expression}`: `{bad}` is not a cron field"));
        }
        if fields[2] != "?" && fields[4] != "?" {
            return Err(format!(
                "`{expression}`: one of day-of-month and day-of-week must be `?`, e.g. `cron({} {} {} {} ? {})`",
                fields[0], fields[1], fields[2], fields[3], fields[5]
            ));
        }
        return Ok(());
    }
    Err(format!(
        "`{expression}` is not a schedule expression: write `rate(5 minutes)` or `cron(0 12 * * ? *)`"
    ))
}

#[cfg(test)]
mod tests {
    use super::check_schedule;

    #[test]
    fn schedules() {
        for ok in [
            "rate(5 minutes)",
            "rate(1 hour)",
            "rate(1 day)",
            "cron(0 12 * * ? *)",
            "cron(0/15 * ? * MON-FRI *)",
        ] {
            assert!(check_schedule(ok).is_ok(), "{ok}");
        }
        for (bad, says) in [
            ("rate(5 minute)", "rate(5 minutes)"),
            ("rate(1 minutes)", "rate(1 minute)"),
            ("rate(0 minutes)", "at least 1"),
            ("rate(5 weeks)", "minute(s), hour(s) or day(s)"),
            ("rate(five minutes)", "not a whole number"),
            ("cron(0 12 * * *)", "6 fields"),
            ("cron(0 12 * * MON *)", "must be `?`"),
            ("every 5 minutes", "not a schedule expression"),
        ] {
            let error = check_schedule(bad).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }
}
