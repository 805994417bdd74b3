//! The options after a handler's name, `#[handler("name", option, ...)]`.
//!
//! One table, [`OPTIONS`], names every option, says how it is written and what each of its forms sets. The
//! arguments are set one by one into a [`Builder`] (an option given twice is an error at the second, unless it
//! is one that repeats), and [`Builder::build`] checks them together and decides once what the handler is: its
//! [`Kind`].

use proc_macro2::Span;
use quote::ToTokens;
use syn::spanned::Spanned;
use syn::{Expr, ExprCall, Ident};

use crate::args::{Key, Settings, string_literal};
use crate::batch::{self, Batch};
use crate::common::{push, zip};
use crate::deploy::{self, Deploy, Durable};
use crate::route::{self, Route};
use crate::trigger::{self, Trigger};

/// What a handler is, decided once from its options.
pub(crate) enum Kind {
    /// Takes one event per invocation, as its first parameter.
    Plain,
    /// `batch`: called once per record of the event.
    Batch(Batch),
    /// `route = "..."`: answers the HTTP requests of its routes.
    Routes(Vec<Route>),
    /// `service`: builds a tower service that answers every HTTP request; `service(streaming)` streams.
    Service { streaming: bool },
    /// `durable`: a workflow whose steps are checkpointed, replayed on every invocation of its execution;
    /// `durable(plugins = [...])` names the plugins that watch each invocation.
    Durable { plugins: Vec<Expr> },
}

/// The options of a handler, checked together.
pub(crate) struct Options {
    pub(crate) kind: Kind,
    pub(crate) deploy: Deploy,
}

/// A setter of the [`Builder`] for a form of an option that has no value: it gets where the option was
/// written.
type SetAt = fn(&mut Builder, Span) -> syn::Result<()>;

/// One option: its name, how it is written, and what each of its forms sets. A form without a setter is not
/// one the option takes.
struct Spec {
    name: &'static str,
    /// How it is written, for messages.
    usage: &'static str,
    /// Whether it may be given more than once (`route`, `env`, the triggers).
    repeats: bool,
    /// `name` alone; the setter gets where it was written.
    bare: Option<SetAt>,
    /// `name = value`.
    value: Option<fn(&mut Builder, &Expr) -> syn::Result<()>>,
    /// `name(...)`.
    parens: Option<Parens>,
}

/// What an option takes in parentheses.
enum Parens {
    /// One word, as `url(streaming)`, explained by `about`; the setter gets where the option was written.
    Flag {
        word: &'static str,
        about: &'static str,
        set: SetAt,
    },
    /// `key = value` settings among `keys`.
    Keys {
        keys: &'static [Key],
        set: fn(&mut Builder, &Settings<'_>) -> syn::Result<()>,
    },
}

/// Every option, in the order messages list them.
const OPTIONS: &[Spec] = &[
    Spec {
        name: "batch",
        usage: batch::USAGE,
        repeats: false,
        bare: Some(|b, _| b.batch(Batch::default())),
        value: None,
        parens: Some(Parens::Keys {
            keys: batch::KEYS,
            set: |b, settings| b.batch(batch::settings(settings)?),
        }),
    },
    Spec {
        name: "route",
        usage: "`route = \"GET /todos/{id}\"` (once per route)",
        repeats: true,
        bare: None,
        value: Some(Builder::route),
        parens: None,
    },
    Spec {
        name: "service",
        usage: "`service` or `service(streaming)`",
        repeats: false,
        bare: Some(|b, at| b.service(false, at)),
        value: None,
        parens: Some(Parens::Flag {
            word: "streaming",
            about: "for a function URL in RESPONSE_STREAM mode",
            set: |b, at| b.service(true, at),
        }),
    },
    Spec {
        name: "durable",
        usage: deploy::DURABLE_USAGE,
        repeats: false,
        bare: Some(|b, at| {
            b.durable = Some(at);
            b.deploy.durable = Some(Durable::default());
            Ok(())
        }),
        value: None,
        parens: Some(Parens::Keys {
            keys: deploy::DURABLE_KEYS,
            set: |b, settings| {
                b.durable = Some(settings.span());
                // Both checked, so that a wrong list and a setting out of range are reported together.
                let plugins = settings.get("plugins").map(deploy::plugins).transpose();
                let (plugins, durable) = zip(plugins, deploy::durable(settings))?;
                b.plugins = plugins.unwrap_or_default();
                b.deploy.durable = Some(durable);
                Ok(())
            },
        }),
    },
    Spec {
        name: "calls",
        usage: deploy::CALLS_USAGE,
        repeats: false,
        bare: None,
        value: Some(|b, value| {
            b.deploy.calls = deploy::calls(value)?;
            Ok(())
        }),
        parens: None,
    },
    Spec {
        name: "memory",
        usage: "`memory = 256`",
        repeats: false,
        bare: None,
        value: Some(|b, value| {
            b.deploy.memory = Some(deploy::memory(value)?);
            Ok(())
        }),
        parens: None,
    },
    Spec {
        name: "timeout",
        usage: "`timeout = 30`",
        repeats: false,
        bare: None,
        value: Some(|b, value| {
            b.deploy.timeout = Some(deploy::timeout(value)?);
            Ok(())
        }),
        parens: None,
    },
    Spec {
        name: "reserved_concurrency",
        usage: "`reserved_concurrency = 10`",
        repeats: false,
        bare: None,
        value: Some(|b, value| {
            b.deploy.reserved_concurrency = Some(deploy::reserved_concurrency(value)?);
            Ok(())
        }),
        parens: None,
    },
    Spec {
        name: "env",
        usage: "`env = \"NAME=value\"` (once per variable)",
        repeats: true,
        bare: None,
        value: Some(|b, value| {
            b.deploy.env.push(deploy::env(value)?);
            Ok(())
        }),
        parens: None,
    },
    Spec {
        name: "architecture",
        usage: "`architecture = \"arm64\"` or `architecture = \"x86_64\"`",
        repeats: false,
        bare: None,
        value: Some(|b, value| {
            b.deploy.architecture = Some(deploy::architecture(value)?);
            Ok(())
        }),
        parens: None,
    },
    Spec {
        name: "api",
        usage: "`api = \"rest\"` or `api = \"http\"`",
        repeats: false,
        bare: None,
        value: Some(|b, value| {
            b.deploy.api = Some((deploy::api(value)?, value.span()));
            Ok(())
        }),
        parens: None,
    },
    Spec {
        name: "sqs",
        usage: trigger::SQS_USAGE,
        repeats: true,
        bare: None,
        value: Some(|b, value| b.trigger(trigger::sqs(value)?, value.span())),
        parens: Some(Parens::Keys {
            keys: &[
                Key {
                    name: "queue",
                    about: "a queue the template creates, or an existing one's ARN",
                },
                Key {
                    name: "batch_size",
                    about: "messages per batch, 1 to 10000",
                },
                Key {
                    name: "window",
                    about: "seconds to gather a batch, 0 to 300",
                },
            ],
            set: |b, settings| b.trigger(trigger::sqs_settings(settings)?, settings.span()),
        }),
    },
    Spec {
        name: "sns",
        usage: "`sns = \"Topic\"`",
        repeats: true,
        bare: None,
        value: Some(|b, value| b.trigger(trigger::sns(value)?, value.span())),
        parens: None,
    },
    Spec {
        name: "s3",
        usage: "`s3 = \"Bucket\"`",
        repeats: true,
        bare: None,
        value: Some(|b, value| b.trigger(trigger::s3(value)?, value.span())),
        parens: None,
    },
    Spec {
        name: "kinesis",
        usage: "`kinesis = \"Stream\"`",
        repeats: true,
        bare: None,
        value: Some(|b, value| b.trigger(trigger::kinesis(value)?, value.span())),
        parens: None,
    },
    Spec {
        name: "dynamodb",
        usage: "`dynamodb = \"Table\"`",
        repeats: true,
        bare: None,
        value: Some(|b, value| b.trigger(trigger::dynamodb(value)?, value.span())),
        parens: None,
    },
    Spec {
        name: "schedule",
        usage: "`schedule = \"rate(5 minutes)\"`",
        repeats: true,
        bare: None,
        value: Some(|b, value| b.trigger(trigger::schedule(value)?, value.span())),
        parens: None,
    },
    Spec {
        name: "eventbridge",
        usage: trigger::EVENTBRIDGE_USAGE,
        repeats: true,
        bare: None,
        value: Some(|b, value| b.trigger(trigger::eventbridge(value)?, value.span())),
        parens: Some(Parens::Keys {
            keys: &[
                Key {
                    name: "pattern",
                    about: "the event pattern, JSON",
                },
                Key {
                    name: "bus",
                    about: "an event bus's name or ARN",
                },
            ],
            set: |b, settings| b.trigger(trigger::eventbridge_settings(settings)?, settings.span()),
        }),
    },
    Spec {
        name: "alb",
        usage: trigger::ALB_USAGE,
        repeats: true,
        bare: None,
        value: None,
        parens: Some(Parens::Keys {
            keys: &[
                Key {
                    name: "listener",
                    about: "a listener's logical id in the overrides, or its ARN",
                },
                Key {
                    name: "path",
                    about: "the rule's path pattern",
                },
                Key {
                    name: "priority",
                    about: "the rule's priority, 1 to 50000",
                },
            ],
            set: |b, settings| b.trigger(trigger::alb_settings(settings)?, settings.span()),
        }),
    },
    Spec {
        name: "url",
        usage: "`url` or `url(streaming)`",
        repeats: true,
        bare: Some(|b, at| b.trigger(Trigger::Url { streaming: false }, at)),
        value: None,
        parens: Some(Parens::Flag {
            word: "streaming",
            about: "InvokeMode RESPONSE_STREAM",
            set: |b, at| b.trigger(Trigger::Url { streaming: true }, at),
        }),
    },
];

/// The options of one handler as they are set, before they are checked together.
#[derive(Default)]
pub(crate) struct Builder {
    batch: Option<Batch>,
    routes: Vec<Route>,
    /// `service` (false) or `service(streaming)` (true), and where it was written.
    service: Option<(bool, Span)>,
    /// `durable`, where it was written.
    durable: Option<Span>,
    /// `durable(plugins = [...])`: the expressions, each a plugin.
    plugins: Vec<Expr>,
    deploy: Deploy,
    /// The options given so far, to refuse the second of one that does not repeat.
    given: Vec<&'static str>,
    errors: Option<syn::Error>,
}

impl Builder {
    /// Sets the option `arg`; a problem with it is reported by [`Builder::build`], with every other.
    pub(crate) fn set(&mut self, arg: &Expr) {
        if let Err(error) = self.try_set(arg) {
            push(&mut self.errors, error);
        }
    }

    fn try_set(&mut self, arg: &Expr) -> syn::Result<()> {
        let Some((name, form)) = Form::of(arg) else {
            return Err(syn::Error::new_spanned(
                arg,
                format!("unexpected argument `{}`: {}", arg.to_token_stream(), expected()),
            ));
        };
        let Some(spec) = OPTIONS.iter().find(|spec| name == spec.name) else {
            let hint = closest(&name.to_string())
                .map(|option| format!(" (did you mean `{option}`?)"))
                .unwrap_or_default();
            return Err(syn::Error::new_spanned(
                arg,
                format!("unknown option `{name}`{hint}: {}", expected()),
            ));
        };
        if !spec.repeats && self.given.contains(&spec.name) {
            return Err(syn::Error::new_spanned(
                arg,
                format!("`{}` is given twice: keep one", spec.name),
            ));
        }
        self.given.push(spec.name);
        match (form, spec) {
            (Form::Bare, Spec { bare: Some(set), .. }) => set(self, arg.span()),
            (Form::Value(value), Spec { value: Some(set), .. }) => set(self, value),
            (
                Form::Parens(call),
                Spec {
                    parens: Some(Parens::Flag { word, about, set }),
                    ..
                },
            ) => match call.args.iter().collect::<Vec<_>>().as_slice() {
                [Expr::Path(flag)] if flag.path.is_ident(word) => set(self, call.span()),
                _ => Err(syn::Error::new_spanned(
                    &call.args,
                    format!("expected {} ({about})", spec.usage),
                )),
            },
            (
                Form::Parens(call),
                Spec {
                    parens: Some(Parens::Keys { keys, set }),
                    ..
                },
            ) => {
                let settings = Settings::parse(spec.name, spec.usage, keys, call, &mut self.errors);
                set(self, &settings)
            }
            (Form::Bare, spec) => Err(syn::Error::new(
                arg.span(),
                format!(
                    "`{}` needs {}: write {}",
                    spec.name,
                    if spec.value.is_some() {
                        "a value"
                    } else {
                        "its settings in parentheses"
                    },
                    spec.usage
                ),
            )),
            (Form::Value(value), spec) => Err(syn::Error::new(
                value.span(),
                format!("write {}, without `=`", spec.usage),
            )),
            (Form::Parens(call), spec) => Err(syn::Error::new(
                call.span(),
                format!("`{}` takes no parentheses: write {}", spec.name, spec.usage),
            )),
        }
    }

    fn batch(&mut self, batch: Batch) -> syn::Result<()> {
        self.batch = Some(batch);
        Ok(())
    }

    fn route(&mut self, value: &Expr) -> syn::Result<()> {
        let Some(lit) = string_literal(value) else {
            return Err(syn::Error::new_spanned(
                value,
                "the route is a string literal with a method and a path: `route = \"GET /todos/{id}\"`",
            ));
        };
        self.routes.push(route::parse(&lit)?);
        Ok(())
    }

    fn service(&mut self, streaming: bool, at: Span) -> syn::Result<()> {
        self.service = Some((streaming, at));
        Ok(())
    }

    fn trigger(&mut self, trigger: Trigger, at: Span) -> syn::Result<()> {
        self.deploy.triggers.push((trigger, at));
        Ok(())
    }

    /// Checks the options together and decides what the handler is; every problem is in the error, those of
    /// single options first.
    pub(crate) fn build(self) -> syn::Result<Options> {
        let Builder {
            batch,
            mut routes,
            service,
            durable,
            plugins,
            deploy,
            mut errors,
            ..
        } = self;
        route::check_duplicates(&routes, &mut errors);
        let routed = !routes.is_empty();
        let first_route = routes.first().map(|route| route.lit.span());
        let batch_and_routes = |at: Span| {
            syn::Error::new(
                at,
                "a handler is either a batch handler or HTTP routes, not both: remove `batch` or the routes",
            )
        };
        let service_and_more = |at: Span| {
            syn::Error::new(
                at,
                "a `service` handler answers every request itself: remove `batch` and the routes, or `service`",
            )
        };
        let kind = match (batch, service, first_route) {
            (None, None, None) if durable.is_some() => Ok(Kind::Durable { plugins }),
            (None, None, None) => Ok(Kind::Plain),
            (Some(batch), None, None) => Ok(Kind::Batch(batch)),
            (None, None, Some(_)) => Ok(Kind::Routes(std::mem::take(&mut routes))),
            (None, Some((streaming, _)), None) => Ok(Kind::Service { streaming }),
            (Some(_), None, Some(route)) => Err(batch_and_routes(route)),
            (Some(_), Some((_, service)), Some(route)) => {
                let mut error = batch_and_routes(route);
                error.combine(service_and_more(service));
                Err(error)
            }
            (_, Some((_, service)), _) => Err(service_and_more(service)),
        };
        let kind = match durable {
            Some(at) if !matches!(kind, Ok(Kind::Durable { .. })) => Err(syn::Error::new(
                at,
                "a `durable` workflow takes the execution's input, not batches or HTTP requests: remove `batch`, the \
                 routes and `service`, or `durable`",
            )),
            _ => kind,
        };
        let mut together = None;
        if routed || service.is_some() {
            deploy.check_http_triggers(matches!(service, Some((true, _))), &mut together);
        }
        deploy.check_api(routed, &mut together);
        let ((), (kind, ())) = zip(errors.map_or(Ok(()), Err), zip(kind, together.map_or(Ok(()), Err)))?;
        Ok(Options { kind, deploy })
    }
}

/// How an argument after the name is written.
enum Form<'a> {
    /// `name`
    Bare,
    /// `name = value`
    Value(&'a Expr),
    /// `name(...)`
    Parens(&'a ExprCall),
}

impl<'a> Form<'a> {
    /// The option's name and form, or `None` for an argument that is no option (`"b"`, `a::b`).
    fn of(arg: &'a Expr) -> Option<(&'a Ident, Form<'a>)> {
        match arg {
            Expr::Path(path) => path.path.get_ident().map(|name| (name, Form::Bare)),
            Expr::Assign(assign) => match &*assign.left {
                Expr::Path(path) => path.path.get_ident().map(|name| (name, Form::Value(&assign.right))),
                _ => None,
            },
            Expr::Call(call) => match &*call.func {
                Expr::Path(path) => path.path.get_ident().map(|name| (name, Form::Parens(call))),
                _ => None,
            },
            _ => None,
        }
    }
}

/// What may follow the name, for the messages about an argument that is not an option.
fn expected() -> String {
    let names: Vec<String> = OPTIONS.iter().map(|spec| format!("`{}`", spec.name)).collect();
    format!(
        "#[handler] takes the handler name as a string literal (`#[handler(\"name\")]`), then options among {}",
        names.join(", ")
    )
}

/// The option an unknown name was probably meant to be: one at most a third of its letters away.
fn closest(name: &str) -> Option<&'static str> {
    let allowed = (name.chars().count() / 3).max(1);
    OPTIONS
        .iter()
        .map(|spec| (edit_distance(name, spec.name), spec.name))
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, option)| option)
}

/// The Levenshtein distance between `a` and `b`: the fewest insertions, deletions and substitutions of a
/// character that turn one into the other.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::Token;
    use syn::punctuated::Punctuated;

    /// The options of `args`, or every error, one a line.
    fn options(args: &str) -> Result<Options, String> {
        let parser = Punctuated::<Expr, Token![,]>::parse_terminated;
        let args = syn::parse::Parser::parse_str(parser, args).unwrap_or_else(|e| panic!("{args}: {e}"));
        let mut builder = Builder::default();
        for arg in &args {
            builder.set(arg);
        }
        builder
            .build()
            .map_err(|e| e.into_iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))
    }

    fn kind(args: &str) -> String {
        match options(args).map(|options| options.kind) {
            Ok(Kind::Plain) => "plain".to_owned(),
            Ok(Kind::Batch(batch)) => format!("{batch:?}"),
            Ok(Kind::Routes(routes)) => format!("{} routes", routes.len()),
            Ok(Kind::Service { streaming }) => format!("service, streaming {streaming}"),
            Ok(Kind::Durable { .. }) => "durable".to_owned(),
            Err(error) => error,
        }
    }

    #[test]
    fn the_kind_is_decided_by_the_options() {
        assert_eq!(kind(""), "plain");
        assert_eq!(kind("memory = 256, sqs = \"Orders\""), "plain");
        assert_eq!(kind("batch"), "Batch { concurrency: 1, margin_ms: 500 }");
        assert_eq!(
            kind("batch(concurrency = 8, margin_ms = 2000)"),
            "Batch { concurrency: 8, margin_ms: 2000 }"
        );
        assert_eq!(kind("batch(margin_ms = 0)"), "Batch { concurrency: 1, margin_ms: 0 }");
        assert_eq!(kind("route = \"GET /a\", route = \"POST /a\", url"), "2 routes");
        assert_eq!(kind("service"), "service, streaming false");
        assert_eq!(kind("service(streaming), url(streaming)"), "service, streaming true");
    }

    #[test]
    fn options_that_exclude_each_other_are_refused_together() {
        let error = kind("batch, route = \"GET /a\"");
        assert!(error.contains("either a batch handler or HTTP routes"), "{error}");
        let error = kind("service, batch");
        assert!(
            error.contains("a `service` handler answers every request itself"),
            "{error}"
        );
        let error = kind("batch, service, route = \"GET /a\"");
        assert!(
            error.contains("either a batch handler") && error.contains("answers every request itself"),
            "{error}"
        );
        let error = kind("route = \"GET /a\", sqs = \"Orders\"");
        assert!(error.contains("`sqs` sends its own events"), "{error}");
        let error = kind("api = \"rest\"");
        assert!(error.contains("it goes with `route"), "{error}");
    }

    #[test]
    fn each_option_is_written_as_the_table_says() {
        for (args, says) in [
            ("batch(concurrency = 0)", "at least 1"),
            ("batch(concurrency = \"8\")", "whole number literal"),
            (
                "batch(retries = 3)",
                "unknown `batch` setting `retries`: the settings are `concurrency` (standard SQS records run at \
                 once) and `margin_ms`",
            ),
            ("batch(8)", "expected `key = value` inside `batch(...)`"),
            ("batch, batch", "`batch` is given twice: keep one"),
            ("memory = 256, memory = 512", "`memory` is given twice: keep one"),
            ("batched", "unknown option `batched` (did you mean `batch`?)"),
            ("memroy = 256", "unknown option `memroy` (did you mean `memory`?)"),
            ("\"b\"", "unexpected argument `\"b\"`"),
            ("memory", "`memory` needs a value: write `memory = 256`"),
            ("alb", "`alb` needs its settings in parentheses: write `alb(listener"),
            ("url = true", "write `url` or `url(streaming)`, without `=`"),
            ("memory(256)", "`memory` takes no parentheses: write `memory = 256`"),
            (
                "service(streamed)",
                "expected `service` or `service(streaming)` (for a function URL",
            ),
            ("route = 42", "the route is a string literal"),
        ] {
            let error = kind(args);
            assert!(error.contains(says), "{args}: {error}");
        }
        assert_eq!(
            kind(
                "env = \"A=1\", env = \"B=2\", eventbridge = \"{\\\"source\\\": [\\\"a\\\"]}\", schedule = \"rate(1 day)\""
            ),
            "plain"
        );
    }

    #[test]
    fn unknown_names_are_matched_to_the_closest_option() {
        assert_eq!(closest("batched"), Some("batch"));
        assert_eq!(closest("timeouts"), Some("timeout"));
        assert_eq!(closest("sq"), Some("sqs"));
        assert_eq!(closest("foo"), None);
        assert_eq!(closest("concurrency"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "url"), 3);
    }
}
