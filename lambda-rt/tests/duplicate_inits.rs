//! Two `#[init]` functions building the same state type: `check_registrations` reports it with both
//! locations, before any of them runs.

use std::sync::atomic::{AtomicUsize, Ordering};

static RUNS: AtomicUsize = AtomicUsize::new(0);

/// Shared state of the handlers below.
pub struct Pool;

#[lambda_fn::init]
fn pool() -> Pool {
    RUNS.fetch_add(1, Ordering::SeqCst);
    Pool
}

mod again {
    #[lambda_fn::init]
    async fn pool_again() -> Result<super::Pool, lambda_fn::Error> {
        super::RUNS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(super::Pool)
    }
}

#[lambda_fn::handler("uses.pool")]
async fn uses_pool(_event: serde_json::Value, _pool: lambda_fn::State<Pool>) -> bool {
    true
}

#[test]
fn two_inits_for_one_type_are_reported() {
    let err = lambda_fn::check_registrations().expect_err("two #[init] build Pool");
    assert_eq!(err.error_type(), "Runtime.InitError");
    // The type is named as one of the two functions wrote it (`Pool` or `super::Pool`): link order decides.
    let message = err.message();
    assert!(message.starts_with("two #[init] functions build `"), "{message}");
    assert!(message.contains("Pool`: one at"), "{message}");
    assert_eq!(
        err.message().matches("lambda-rt/tests/duplicate_inits.rs:").count(),
        2,
        "{}",
        err.message()
    );
    assert_eq!(RUNS.load(Ordering::SeqCst), 0, "no init function ran");
}
