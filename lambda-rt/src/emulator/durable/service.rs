//! The state of the emulator's durable execution service that the rest of the emulator holds: the
//! executions' store, which handlers are durable, and the signal that an execution changed.

use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use super::store::Store;

/// The durable execution service of an emulator.
#[derive(Debug)]
pub(crate) struct DurableService {
    store: Mutex<Store>,
    /// Per handler (the emulator's index): its execution timeout in seconds when it is durable.
    pub(super) durable: Vec<Option<u64>>,
    pub(super) skip_time: bool,
    /// Notified whenever an execution changes (the drivers and the callers waiting for an end look).
    pub(super) changed: Notify,
    /// The emulator's URL, where the AWS CLI completes a callback.
    pub(super) endpoint: String,
}

impl DurableService {
    /// The service for handlers `names` (the emulator's order).
    pub(crate) fn new(names: &[&'static str], skip_time: bool, endpoint: String) -> DurableService {
        let durable = names
            .iter()
            .map(|name| {
                crate::catalog::all_handlers()
                    .find(|h| h.name == *name)
                    .and_then(|h| h.deploy.durable)
                    .map(|config| u64::from(config.timeout_s))
            })
            .collect();
        DurableService {
            store: Mutex::new(Store::default()),
            durable,
            skip_time,
            changed: Notify::new(),
            endpoint,
        }
    }

    /// Whether handler `index` is a durable workflow.
    pub(crate) fn is_durable(&self, index: usize) -> bool {
        self.durable.get(index).is_some_and(Option::is_some)
    }

    pub(super) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether the environment sends durable handlers' checkpoints to another service.
pub(crate) fn external_service() -> bool {
    ["AWS_ENDPOINT_URL_LAMBDA", "AWS_ENDPOINT_URL"]
        .iter()
        .any(|name| std::env::var(name).is_ok_and(|url| !url.trim().is_empty()))
}
