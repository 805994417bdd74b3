//! The state of the emulator's durable execution service that the rest of the emulator holds: the
//! executions' store (saved to a file after every change when asked, `LAMBDA_RT_DURABLE_STATE`), which
//! handlers are durable, and the signal that an execution changed.

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use tokio::sync::Notify;

pub(crate) use super::store::Resumed;
use super::store::Store;

/// The durable execution service of an emulator.
#[derive(Debug)]
pub(crate) struct DurableService {
    store: Mutex<Store>,
    /// Per handler (the emulator's index): its execution timeout in seconds when it is durable.
    pub(super) durable: Vec<Option<u64>>,
    pub(super) skip_time: bool,
    /// Notified whenever an execution changes (the drivers and the callers waiting for an end look).
    pub(super) signal: Notify,
    /// The emulator's URL, where the AWS CLI completes a callback.
    pub(super) endpoint: String,
    /// Where the store is saved after every change, if anywhere; the lock orders the saves.
    state_file: Option<PathBuf>,
    saving: Mutex<()>,
}

impl DurableService {
    /// The service for handlers `names` (the emulator's order), with the executions saved in
    /// `state_file` by an earlier process, if it exists; also what that store leaves to do (the executions
    /// still running, the chained invokes in flight), which the caller resumes. A file that cannot be read is an error: starting empty would overwrite
    /// it.
    pub(crate) fn new(
        names: &[&'static str],
        skip_time: bool,
        endpoint: String,
        state_file: Option<PathBuf>,
    ) -> Result<(DurableService, Resumed), String> {
        let durable = names
            .iter()
            .map(|name| {
                crate::catalog::all_handlers()
                    .find(|h| h.name == *name)
                    .and_then(|h| h.deploy.durable)
                    .map(|config| u64::from(config.timeout_s))
            })
            .collect();
        let (store, running) = match &state_file {
            Some(path) if path.exists() => {
                let text = std::fs::read(path)
                    .map_err(|e| format!("cannot read the durable executions in {}: {e}", path.display()))?;
                let mut store: Store = serde_json::from_slice(&text).map_err(|e| {
                    format!(
                        "{} does not hold durable executions this emulator saved ({e}); move it away to start afresh",
                        path.display()
                    )
                })?;
                let running = store.reattach(names, now());
                (store, running)
            }
            _ => (Store::default(), Resumed::default()),
        };
        let service = DurableService {
            store: Mutex::new(store),
            durable,
            skip_time,
            signal: Notify::new(),
            endpoint,
            state_file,
            saving: Mutex::new(()),
        };
        service.changed();
        Ok((service, running))
    }

    /// Whether handler `index` is a durable workflow.
    pub(crate) fn is_durable(&self, index: usize) -> bool {
        self.durable.get(index).is_some_and(Option::is_some)
    }

    pub(super) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// After a change to the store (its lock released): saves it, when it has a file, and wakes whoever
    /// waits for an execution to change.
    pub(super) fn changed(&self) {
        if let Some(path) = &self.state_file {
            let _saving = self.saving.lock().unwrap_or_else(PoisonError::into_inner);
            let saved = serde_json::to_vec(&*self.store())
                .map_err(std::io::Error::other)
                .and_then(|bytes| {
                    let temporary = path.with_extension("saving");
                    std::fs::write(&temporary, bytes)?;
                    std::fs::rename(&temporary, path)
                });
            if let Err(e) = saved {
                tracing::warn!("cannot save the durable executions to {}: {e}", path.display());
            }
        }
        self.signal.notify_waiters();
    }
}

/// Whether the environment sends durable handlers' checkpoints to another service.
pub(crate) fn external_service() -> bool {
    ["AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"]
        .iter()
        .any(|name| std::env::var(name).is_ok_and(|url| !url.trim().is_empty()))
}

/// Seconds since the epoch, the API's timestamps.
pub(super) fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}
