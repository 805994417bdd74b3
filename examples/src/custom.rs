//! `custom.Event`: a user-defined event type. A missing or mistyped field is reported by the runtime
//! as `Runtime.UnmarshalError` naming the field, before the handler runs.

use lambda_fn::{Context, handler};
use serde::{Deserialize, Serialize};

/// The event this function expects.
#[derive(Debug, Deserialize)]
pub struct Event {
    /// Who to greet.
    pub name: String,
    /// A counter the reply increments.
    pub count: i64,
}

/// The reply.
#[derive(Debug, PartialEq, Serialize)]
pub struct Reply {
    /// `hello <name>`.
    pub greeting: String,
    /// The event's count plus one.
    pub count: i64,
}

/// Greets `name` and increments `count` (saturating, so no input makes it panic).
#[handler("custom.Event")]
pub async fn greet(event: Event, _ctx: Context) -> Reply {
    Reply {
        greeting: format!("hello {}", event.name),
        count: event.count.saturating_add(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn greets_and_counts() {
        let reply = greet(
            Event {
                name: "ana".into(),
                count: 41,
            },
            Context::for_test(),
        )
        .await;
        assert_eq!(
            reply,
            Reply {
                greeting: "hello ana".into(),
                count: 42
            }
        );
        let reply = greet(
            Event {
                name: String::new(),
                count: i64::MAX,
            },
            Context::for_test(),
        )
        .await;
        assert_eq!(reply.count, i64::MAX);
    }
}
