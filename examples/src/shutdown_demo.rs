//! `shutdown.demo`: state with a `#[shutdown]` hook. The handler (`{"ms": n}`) waits n ms and counts
//! the invocation; when Lambda shuts the environment down (SIGTERM) the hook logs a line with
//! "shutdown" and the count. `SHUTDOWN_DEMO_HOOK_MS` makes the hook take that long (to see one cut off).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use lambda_fn::{State, handler, init, shutdown};
use serde::Deserialize;
use serde_json::{Value, json};

/// What the hook closes: here, a count of what was served.
#[derive(Debug, Default)]
pub struct Connections {
    served: AtomicU64,
}

#[init]
fn connections() -> Connections {
    Connections::default()
}

/// The event: how long to wait.
#[derive(Debug, Deserialize)]
pub struct Wait {
    /// Milliseconds.
    #[serde(default)]
    pub ms: u64,
}

/// Waits `ms`, then answers how many invocations this environment served.
#[handler("shutdown.demo")]
pub async fn serve(wait: Wait, connections: State<Connections>) -> Value {
    tracing::info!("shutdown.demo: waiting {} ms", wait.ms);
    tokio::time::sleep(Duration::from_millis(wait.ms)).await;
    let served = connections.served.fetch_add(1, Ordering::SeqCst) + 1;
    json!({ "served": served })
}

/// Runs when Lambda shuts the environment down.
#[shutdown]
pub async fn close(connections: State<Connections>) {
    let stall = std::env::var("SHUTDOWN_DEMO_HOOK_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    tokio::time::sleep(Duration::from_millis(stall)).await;
    tracing::info!(
        "shutdown: closing connections after {} invocations",
        connections.served.load(Ordering::SeqCst)
    );
}
