//! What a `#[handler]` says about its deployment: settings (`memory = 256`, `timeout = 30`,
//! `reserved_concurrency = 5`, `env = "KEY=value"`) and triggers (`sqs = "OrdersQueue"`, `sns = "Topic"`,
//! `s3 = "Bucket"`, `schedule = "rate(5 minutes)"`, `url`, `url(streaming)`), checked here at the user's
//! span, written into the registration for `bootstrap manifest` and the generated template.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Lit, LitStr, Type};

use crate::common::push;

/// The settings and triggers of one handler.
#[derive(Default)]
pub(crate) struct Deploy {
    memory: Option<u64>,
    timeout: Option<u64>,
    reserved_concurrency: Option<u64>,
    env: Vec<(String, String)>,
    triggers: Vec<Trigger>,
    /// Where the first setting or trigger was written, for errors about them as a whole.
    pub(crate) span: Option<Span>,
}

pub(crate) enum Trigger {
    Sqs(LitStr),
    Kinesis(LitStr),
    DynamoDb(LitStr),
    Sns(LitStr),
    S3(LitStr),
    Schedule(LitStr),
    Url { streaming: bool },
}

impl Deploy {
    fn has_sqs(&self) -> Option<&LitStr> {
        self.triggers.iter().find_map(|t| match t {
            Trigger::Sqs(queue) => Some(queue),
            _ => None,
        })
    }

    /// Takes `expr` if it is a setting or a trigger (returns whether it was one); errors go to `errors`.
    pub(crate) fn parse_option(&mut self, expr: &Expr, errors: &mut Option<syn::Error>) -> bool {
        let found = match expr {
            Expr::Assign(assign) => match &*assign.left {
                Expr::Path(path) => path.path.get_ident().map(|i| (i.to_string(), Some(&*assign.right))),
                _ => None,
            },
            Expr::Path(path) if path.path.is_ident("url") => Some(("url".to_owned(), None)),
            Expr::Call(call) if matches!(&*call.func, Expr::Path(p) if p.path.is_ident("url")) => {
                match call.args.iter().collect::<Vec<_>>().as_slice() {
                    [Expr::Path(arg)] if arg.path.is_ident("streaming") => {
                        self.triggers.push(Trigger::Url { streaming: true });
                        self.span.get_or_insert(expr.span());
                    }
                    _ => push(
                        errors,
                        syn::Error::new_spanned(
                            &call.args,
                            "expected `url` or `url(streaming)` (InvokeMode RESPONSE_STREAM)",
                        ),
                    ),
                }
                return true;
            }
            _ => None,
        };
        let Some((key, value)) = found else { return false };
        if !matches!(
            key.as_str(),
            "memory"
                | "timeout"
                | "reserved_concurrency"
                | "env"
                | "sqs"
                | "sns"
                | "s3"
                | "kinesis"
                | "dynamodb"
                | "schedule"
                | "url"
        ) {
            return false;
        }
        self.span.get_or_insert(expr.span());
        let int = |value: Option<&Expr>| match value {
            Some(Expr::Lit(syn::ExprLit { lit: Lit::Int(int), .. })) => int.base10_parse::<u64>().ok(),
            _ => None,
        };
        let string = |value: Option<&Expr>| match value {
            Some(Expr::Lit(syn::ExprLit { lit: Lit::Str(lit), .. })) => Some(lit.clone()),
            _ => None,
        };
        let at = value.map_or_else(|| expr.span(), Spanned::span);
        let fail = |errors: &mut Option<syn::Error>, message: String| push(errors, syn::Error::new(at, message));
        match key.as_str() {
            "memory" => match int(value) {
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
            "timeout" => match int(value) {
                Some(s) if (1..=900).contains(&s) => self.timeout = Some(s),
                Some(s) => fail(
                    errors,
                    format!("a Lambda function times out after 1 to 900 seconds, not {s}: e.g. `timeout = 30`"),
                ),
                None => fail(errors, "expected seconds as a whole number: `timeout = 30`".to_owned()),
            },
            "reserved_concurrency" => match int(value) {
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
            "env" => match string(value).map(|lit| lit.value()) {
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
            "kinesis" | "dynamodb" => match string(value) {
                Some(lit) if !lit.value().is_empty() && lit.value().chars().all(|c| c.is_ascii_alphanumeric()) => {
                    self.triggers.push(if key == "kinesis" {
                        Trigger::Kinesis(lit)
                    } else {
                        Trigger::DynamoDb(lit)
                    });
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
            "sns" | "s3" => match string(value) {
                Some(lit) => {
                    let value = lit.value();
                    let arn_ok = key == "sns" && value.starts_with("arn:aws:sns:") && value.split(':').count() == 6;
                    let logical = !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric());
                    if arn_ok || logical {
                        self.triggers.push(if key == "sns" {
                            Trigger::Sns(lit)
                        } else {
                            Trigger::S3(lit)
                        });
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
            "sqs" => match string(value) {
                Some(queue) => match check_queue(&queue.value()) {
                    Ok(()) => self.triggers.push(Trigger::Sqs(queue)),
                    Err(why) => fail(errors, why),
                },
                None => fail(
                    errors,
                    "expected the queue as a string: `sqs = \"OrdersQueue\"` (a queue the template creates) or \
                     `sqs = \"arn:aws:sqs:...\"` (an existing one)"
                        .to_owned(),
                ),
            },
            "schedule" => match string(value) {
                Some(expression) => match check_schedule(&expression.value()) {
                    Ok(()) => self.triggers.push(Trigger::Schedule(expression)),
                    Err(why) => fail(errors, why),
                },
                None => fail(
                    errors,
                    "expected the schedule as a string: `schedule = \"rate(5 minutes)\"`".to_owned(),
                ),
            },
            _ if value.is_none() => self.triggers.push(Trigger::Url { streaming: false }),
            // `url = ...`
            _ => fail(errors, "write `url` or `url(streaming)`, without `=`".to_owned()),
        }
        true
    }

    /// The registration's `deploy` field.
    pub(crate) fn tokens(&self) -> TokenStream {
        let memory = option(self.memory.map(|m| m as u32));
        let timeout = option(self.timeout.map(|t| t as u32));
        let reserved = option(self.reserved_concurrency.map(|n| n as u32));
        let env = self.env.iter().map(|(name, value)| quote!((#name, #value)));
        let triggers = self.triggers.iter().map(|trigger| match trigger {
            Trigger::Sqs(queue) => quote!(::lambda_rt::__private::Trigger::Sqs { queue: #queue }),
            Trigger::Sns(topic) => quote!(::lambda_rt::__private::Trigger::Sns { topic: #topic }),
            Trigger::Kinesis(stream) => quote!(::lambda_rt::__private::Trigger::Kinesis { stream: #stream }),
            Trigger::DynamoDb(table) => quote!(::lambda_rt::__private::Trigger::DynamoDb { table: #table }),
            Trigger::S3(bucket) => quote!(::lambda_rt::__private::Trigger::S3 { bucket: #bucket }),
            Trigger::Schedule(expression) => {
                quote!(::lambda_rt::__private::Trigger::Schedule { expression: #expression })
            }
            Trigger::Url { streaming } => quote!(::lambda_rt::__private::Trigger::Url { streaming: #streaming }),
        });
        quote! {
            ::lambda_rt::__private::Deploy {
                memory_mb: #memory,
                timeout_s: #timeout,
                reserved_concurrency: #reserved,
                env: &[#(#env),*],
                triggers: &[#(#triggers),*],
            }
        }
    }

    /// A check, at the event type, that it can take the events of the handler's `sqs` trigger.
    pub(crate) fn event_checks(&self, event_ty: &Type) -> TokenStream {
        if self.has_sqs().is_none() {
            return TokenStream::new();
        }
        let ty = event_ty.to_token_stream();
        quote_spanned! {event_ty.span()=>
            const _: fn() = || ::lambda_rt::__private::takes_sqs::<#ty>();
        }
    }
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
    let arn = queue.starts_with("arn:aws:sqs:") && queue.split(':').count() == 6;
    let logical = !queue.is_empty() && queue.len() <= 255 && queue.chars().all(|c| c.is_ascii_alphanumeric());
    if arn || logical {
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
