//! The emulator's shared state: the functions it serves, their queues and invocations in flight, and
//! how an invocation ended. The HTTP side (`http`, `invoke_api`, `stream`, `gateway`) and the supervisors
//! (`mod.rs`) both work on it; it names neither.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use tokio::sync::{Notify, mpsc, oneshot};

use super::logs::LogStore;
use crate::context::FunctionConfig;
use crate::http::Source;

/// The largest request or response payload Lambda accepts for a synchronous invocation.
pub const MAX_PAYLOAD: usize = 6 * 1024 * 1024;

/// The largest streamed response Lambda accepts, in bytes (200 MB since July 2025).
pub const MAX_STREAMED: usize = 200 * 1024 * 1024;

/// How many timed-out request ids a function remembers, to answer their late posts with 410.
pub(super) const TIMED_OUT_KEPT: usize = 256;

/// What the Runtime API side hands the loop, and what the caller of the Invoke API waits for.
pub(super) struct Pending {
    pub(super) request_id: String,
    /// `X-Amz-Tenant-Id` of the Invoke call, passed on as `Lambda-Runtime-Aws-Tenant-Id`.
    pub(super) tenant_id: Option<String>,
    pub(super) body: Bytes,
    pub(super) reply: oneshot::Sender<Outcome>,
    /// For a caller of InvokeWithResponseStream: where a streamed response's pieces go as they arrive.
    pub(super) chunks: Option<mpsc::Sender<Bytes>>,
}

/// How an invocation ended.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    Response(Bytes),
    Error { error_type: String, body: Bytes },
}

impl Outcome {
    /// How an invocation whose answer is awaited ended: its outcome, or an exit error when the
    /// runtime went away without one.
    pub(super) fn ended(answer: Result<Outcome, oneshot::error::RecvError>) -> Outcome {
        answer.unwrap_or_else(|_| {
            Outcome::error(
                crate::error::kind::EXIT_ERROR,
                "the runtime stopped before answering this invocation",
            )
        })
    }

    /// An error the emulator itself reports, in the body shape the runtime posts.
    pub(super) fn error(error_type: &str, message: &str) -> Outcome {
        let error = crate::Error::new(error_type.to_owned(), message);
        Outcome::Error {
            error_type: error_type.to_owned(),
            body: Bytes::from(error.to_json()),
        }
    }
}

pub(super) struct InFlight {
    pub(super) reply: oneshot::Sender<Outcome>,
    pub(super) chunks: Option<mpsc::Sender<Bytes>>,
    pub(super) started: Instant,
    /// The invocation's timeout timer, stopped when it ends in time.
    pub(super) timer: tokio::task::AbortHandle,
}

/// One handler, as the emulator serves it.
pub(super) struct Function {
    pub(super) name: &'static str,
    pub(super) queue: mpsc::UnboundedSender<Pending>,
    pub(super) next: tokio::sync::Mutex<mpsc::UnboundedReceiver<Pending>>,
    pub(super) in_flight: Mutex<HashMap<String, InFlight>>,
    /// Set when the function's runtime failed to initialise or exited: every invocation gets it.
    pub(super) failed: Mutex<Option<Outcome>>,
    pub(super) restart: Notify,
    /// Told of every invocation queued: a runtime started on demand waits for the first.
    pub(super) wanted: Notify,
    /// The request ids of the last invocations that timed out (at most [`TIMED_OUT_KEPT`]).
    pub(super) timed_out: Mutex<std::collections::VecDeque<String>>,
}

impl Function {
    pub(super) fn in_flight(&self) -> std::sync::MutexGuard<'_, HashMap<String, InFlight>> {
        self.in_flight.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(super) fn failed(&self) -> Option<Outcome> {
        self.failed.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    pub(super) fn set_failed(&self, outcome: Outcome) {
        self.failed
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_or_insert(outcome);
    }

    /// Remembers that `request_id` timed out.
    pub(super) fn timed_out(&self, request_id: &str) {
        let mut ids = self.timed_out.lock().unwrap_or_else(PoisonError::into_inner);
        if ids.len() == TIMED_OUT_KEPT {
            ids.pop_front();
        }
        ids.push_back(request_id.to_owned());
    }

    /// Whether `request_id` is one of the invocations that timed out.
    pub(super) fn did_time_out(&self, request_id: &str) -> bool {
        let ids = self.timed_out.lock().unwrap_or_else(PoisonError::into_inner);
        ids.iter().any(|id| id == request_id)
    }
}

/// State shared by the HTTP side and the supervisors.
pub(super) struct Shared {
    pub(super) functions: Vec<Function>,
    pub(super) default: Option<usize>,
    /// The function `serve --http` serves as plain HTTP, and the source whose events it sends.
    pub(super) http: Option<(usize, Source)>,
    pub(super) timeout: Duration,
    /// Invocations each function serves at once; above 1 a timeout does not restart the runtime.
    pub(super) concurrency: usize,
    pub(super) env: FunctionConfig,
    pub(super) logs: LogStore,
    pub(super) ids: AtomicU64,
    /// The durable execution service, unless the environment names another one.
    #[cfg(feature = "durable")]
    pub(super) durable: Option<super::durable::service::DurableService>,
}

impl Shared {
    /// A function by the name an Invoke API caller used.
    /// Accepts what `aws lambda invoke --function-name` accepts: a name, `name:qualifier`, or a full
    /// or partial ARN (`arn:aws:lambda:region:account:function:name[:qualifier]`,
    /// `account:function:name`).
    pub(super) fn resolve(&self, name: &str) -> Option<usize> {
        let parts: Vec<&str> = name.split(':').collect();
        let name = match parts.iter().position(|p| *p == "function") {
            Some(i) => parts.get(i + 1).copied().unwrap_or(name),
            None => parts.first().copied().unwrap_or(name),
        };
        if name == "function" || name == self.env.function_name {
            return self.default;
        }
        self.functions.iter().position(|f| f.name == name)
    }

    /// Queues an invocation of function `index` (answered at once with the function's failure when its
    /// runtime failed); returns its request id and where its outcome will arrive. `chunks` receives a
    /// streamed response's pieces as they come (InvokeWithResponseStream).
    pub(super) fn submit(
        &self,
        index: usize,
        body: Bytes,
        tenant_id: Option<String>,
        chunks: Option<mpsc::Sender<Bytes>>,
    ) -> (String, oneshot::Receiver<Outcome>) {
        let function = &self.functions[index];
        let request_id = self.request_id();
        let (reply, outcome) = oneshot::channel();
        match function.failed() {
            Some(failure) => {
                let _ = reply.send(failure);
            }
            None => {
                let _ = function.queue.send(Pending {
                    request_id: request_id.clone(),
                    tenant_id,
                    body,
                    reply,
                    chunks,
                });
                function.wanted.notify_one();
            }
        }
        (request_id, outcome)
    }

    /// A UUID-shaped request id, unique within the process.
    pub(super) fn request_id(&self) -> String {
        let n = self.ids.fetch_add(1, Ordering::Relaxed);
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            t as u32,
            (t >> 32) as u16,
            n >> 12 & 0xfff,
            n & 0xfff,
            n
        )
    }
}
