//! The triggers a `#[handler]` declares for the generated template (`sqs = "Queue"`, `alb(...)`, `url`, ...):
//! each value checked here at the user's span, as AWS would check it when the stack is deployed, and written
//! into the registration.
//!
//! Whether the handler's event type can take a trigger's events is checked by the compiler at that type,
//! through the `lambda_fn::trigger` traits the expansion names ([`Trigger::check`]).

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::spanned::Spanned;
use syn::{Expr, LitStr};

use crate::args::{Settings, int_literal, string_literal};
use crate::common::{self, zip};

pub(crate) const SQS_USAGE: &str = "`sqs = \"Queue\"` or `sqs(queue = \"Queue\", batch_size = 10, window = 5)`";
pub(crate) const EVENTBRIDGE_USAGE: &str =
    "`eventbridge = r#\"{\"source\": [\"aws.s3\"]}\"#` or `eventbridge(pattern = \"...\", bus = \"OrdersBus\")`";
pub(crate) const ALB_USAGE: &str = "`alb(listener = \"Listener\", path = \"/orders*\", priority = 10)`";

/// One trigger of a handler, checked.
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
    pub(crate) fn option(&self) -> &'static str {
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

    /// The `lambda_fn::__private` check that an event type takes this trigger's events.
    pub(crate) fn check(&self) -> &'static str {
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
    pub(crate) fn is_http(&self) -> bool {
        matches!(self, Trigger::Alb { .. } | Trigger::Url { .. })
    }

    /// The registration's `lambda_fn::__private::Trigger` value.
    pub(crate) fn tokens(&self) -> TokenStream {
        let variant = |name: &str| common::private(&format!("Trigger::{name}"), Span::call_site());
        match self {
            Trigger::Sqs {
                queue,
                batch_size,
                window_s,
            } => {
                let sqs = variant("Sqs");
                let batch_size = common::option_tokens(batch_size.map(|n| n as u32));
                let window_s = common::option_tokens(window_s.map(|n| n as u32));
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
                let eventbridge = variant("EventBridge");
                let bus = common::option_tokens(bus.as_ref());
                quote!(#eventbridge { pattern: #pattern, bus: #bus })
            }
            Trigger::Alb {
                listener,
                path,
                priority,
            } => {
                let alb = variant("Alb");
                let priority = *priority as u32;
                quote!(#alb { listener: #listener, path: #path, priority: #priority })
            }
            Trigger::Url { streaming } => {
                let url = variant("Url");
                quote!(#url { streaming: #streaming })
            }
        }
    }
}

/// `sqs = "Queue"`: a queue the template creates, or an existing one's ARN.
pub(crate) fn sqs(value: &Expr) -> syn::Result<Trigger> {
    let Some(queue) = string_literal(value) else {
        return Err(syn::Error::new(
            value.span(),
            "expected the queue as a string: `sqs = \"OrdersQueue\"` (a queue the template creates) or \
             `sqs = \"arn:aws:sqs:...\"` (an existing one)",
        ));
    };
    check_queue(&queue.value()).map_err(|why| syn::Error::new(value.span(), why))?;
    Ok(Trigger::Sqs {
        queue,
        batch_size: None,
        window_s: None,
    })
}

/// `sqs(queue = "Queue", batch_size = 100, window = 5)`.
pub(crate) fn sqs_settings(settings: &Settings<'_>) -> syn::Result<Trigger> {
    let queue = required(settings, "sqs", "queue", SQS_USAGE).and_then(|queue| {
        check_queue(&queue.value())
            .map(|()| queue)
            .map_err(|why| syn::Error::new(settings.span_of("queue"), why))
    });
    let batch_size = optional(
        settings,
        "batch_size",
        |n| (1..=10_000).contains(&n),
        || "an SQS batch is 1 to 10000 messages: e.g. `batch_size = 10`".to_owned(),
    );
    let window_s = optional(
        settings,
        "window",
        |s| s <= 300,
        || "the batching window is 0 to 300 seconds: e.g. `window = 5`".to_owned(),
    );
    // A batch size or window refused has its own error already.
    let sized = zip(batch_size, window_s).and_then(|(batch_size, window_s)| match batch_size {
        Some(n) if n > 10 && window_s.unwrap_or(0) == 0 => Err(syn::Error::new(
            settings.span_of("batch_size"),
            format!(
                "a batch of more than 10 messages ({n}) needs a batching window: add `window = 1` (seconds) or more"
            ),
        )),
        _ => Ok((batch_size, window_s)),
    });
    let (queue, (batch_size, window_s)) = zip(queue, sized)?;
    Ok(Trigger::Sqs {
        queue,
        batch_size,
        window_s,
    })
}

/// `kinesis = "Stream"` or `dynamodb = "Table"`: the logical id of a stream the overrides define.
fn stream(option: &str, value: &Expr) -> syn::Result<Trigger> {
    let kinesis = option == "kinesis";
    let Some(lit) = string_literal(value) else {
        return Err(syn::Error::new(
            value.span(),
            format!("expected the logical id as a string: `{option} = \"Orders\"`"),
        ));
    };
    if !is_logical_id(&lit.value()) {
        return Err(syn::Error::new(
            value.span(),
            format!(
                "`{}` is not the logical id of a {} in the template (letters and digits; define it in the overrides)",
                lit.value(),
                if kinesis {
                    "Kinesis stream"
                } else {
                    "DynamoDB table with a stream"
                }
            ),
        ));
    }
    Ok(if kinesis {
        Trigger::Kinesis(lit)
    } else {
        Trigger::DynamoDb(lit)
    })
}

/// `kinesis = "Stream"`.
pub(crate) fn kinesis(value: &Expr) -> syn::Result<Trigger> {
    stream("kinesis", value)
}

/// `dynamodb = "Table"`.
pub(crate) fn dynamodb(value: &Expr) -> syn::Result<Trigger> {
    stream("dynamodb", value)
}

/// `sns = "Topic"`: a topic the template creates, or an existing one's ARN.
pub(crate) fn sns(value: &Expr) -> syn::Result<Trigger> {
    let Some(lit) = string_literal(value) else {
        return Err(syn::Error::new(
            value.span(),
            "expected a string: `sns = \"OrdersTopic\"`",
        ));
    };
    let topic = lit.value();
    if !is_arn(&topic, "sns") && !is_logical_id(&topic) {
        return Err(syn::Error::new(
            value.span(),
            format!(
                "`{topic}` is neither a topic for the template to create (a logical id: letters and digits) nor an existing topic's ARN"
            ),
        ));
    }
    Ok(Trigger::Sns(lit))
}

/// `s3 = "Bucket"`: a bucket the template creates.
pub(crate) fn s3(value: &Expr) -> syn::Result<Trigger> {
    let Some(lit) = string_literal(value) else {
        return Err(syn::Error::new(
            value.span(),
            "expected a string: `s3 = \"UploadsBucket\"`",
        ));
    };
    let bucket = lit.value();
    if !is_logical_id(&bucket) {
        return Err(syn::Error::new(
            value.span(),
            format!(
                "`{bucket}` is not a bucket for the template to create (a logical id: letters and digits; SAM's S3 events need the bucket in the template)"
            ),
        ));
    }
    Ok(Trigger::S3(lit))
}

/// `schedule = "rate(5 minutes)"`.
pub(crate) fn schedule(value: &Expr) -> syn::Result<Trigger> {
    let Some(expression) = string_literal(value) else {
        return Err(syn::Error::new(
            value.span(),
            "expected the schedule as a string: `schedule = \"rate(5 minutes)\"`",
        ));
    };
    check_schedule(&expression.value()).map_err(|why| syn::Error::new(value.span(), why))?;
    Ok(Trigger::Schedule(expression))
}

/// `eventbridge = r#"{...}"#`: a rule on the default bus.
pub(crate) fn eventbridge(value: &Expr) -> syn::Result<Trigger> {
    let Some(pattern) = string_literal(value) else {
        return Err(syn::Error::new(
            value.span(),
            format!("expected the event pattern as a JSON string: {EVENTBRIDGE_USAGE}"),
        ));
    };
    crate::pattern::check(&pattern.value()).map_err(|why| syn::Error::new(value.span(), why))?;
    Ok(Trigger::EventBridge { pattern, bus: None })
}

/// `eventbridge(pattern = "...", bus = "Bus")`.
pub(crate) fn eventbridge_settings(settings: &Settings<'_>) -> syn::Result<Trigger> {
    let pattern = required(settings, "eventbridge", "pattern", EVENTBRIDGE_USAGE).and_then(|pattern| {
        crate::pattern::check(&pattern.value())
            .map(|()| pattern)
            .map_err(|why| syn::Error::new(settings.span_of("pattern"), why))
    });
    let bus = match settings.get("bus") {
        None => Ok(None),
        Some(value) => match string_literal(value) {
            Some(bus) if is_bus_name(&bus.value()) => Ok(Some(bus)),
            _ => Err(syn::Error::new(
                value.span(),
                "the bus is an event bus's name or ARN: `bus = \"orders\"` (for a bus of the template, set the \
                 event's `EventBusName` in the overrides)",
            )),
        },
    };
    let (pattern, bus) = zip(pattern, bus)?;
    Ok(Trigger::EventBridge { pattern, bus })
}

/// `alb(listener = "Listener", path = "/x*", priority = 10)`: a listener rule.
pub(crate) fn alb_settings(settings: &Settings<'_>) -> syn::Result<Trigger> {
    let listener = required(settings, "alb", "listener", ALB_USAGE).and_then(|listener| {
        let id = listener.value();
        if is_logical_id(&id) || is_arn(&id, "elasticloadbalancing") {
            Ok(listener)
        } else {
            Err(syn::Error::new(
                settings.span_of("listener"),
                format!(
                    "`{id}` is neither the logical id of a listener in the overrides (letters and digits) nor a listener's ARN"
                ),
            ))
        }
    });
    let path = required(settings, "alb", "path", ALB_USAGE).and_then(|path| {
        check_path_pattern(&path.value())
            .map(|()| path)
            .map_err(|why| syn::Error::new(settings.span_of("path"), why))
    });
    // Required: a listener's rules are ordered by it, and a deploy fails on one already taken, which only the
    // user can know of (rules of other stacks on the same listener).
    let priority = match settings.get("priority").and_then(int_literal) {
        Some(p) if (1..=50_000).contains(&p) => Ok(p),
        _ => Err(syn::Error::new(
            settings.span_of("priority"),
            format!(
                "`alb` needs the listener rule's `priority`, 1 to 50000 (lower is matched first, one rule per \
                 priority on a listener): {ALB_USAGE}"
            ),
        )),
    };
    let ((listener, path), priority) = zip(zip(listener, path), priority)?;
    Ok(Trigger::Alb {
        listener,
        path,
        priority,
    })
}

/// The string setting `key` of `option(...)`, which must be given.
fn required(settings: &Settings<'_>, option: &str, key: &str, usage: &str) -> syn::Result<LitStr> {
    settings.get(key).and_then(string_literal).ok_or_else(|| {
        syn::Error::new(
            settings.span_of(key),
            format!("`{option}` needs `{key}` as a string: {usage}"),
        )
    })
}

/// The whole number setting `key`, if given: refused (with `refusal`) unless a whole number that is `valid`.
fn optional(
    settings: &Settings<'_>,
    key: &str,
    valid: impl Fn(u64) -> bool,
    refusal: impl Fn() -> String,
) -> syn::Result<Option<u64>> {
    match settings.get(key) {
        None => Ok(None),
        Some(value) => match int_literal(value) {
            Some(n) if valid(n) => Ok(Some(n)),
            _ => Err(syn::Error::new(value.span(), refusal())),
        },
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
fn check_schedule(expression: &str) -> Result<(), String> {
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
