//! Instrumentation plugins (`lambda_fn::durable::plugin`) watching workflows run by the in-memory test
//! runner: which hooks fire in which invocation and in what order, what they are told, and that a plugin
//! that panics changes nothing about the execution.
#![allow(clippy::unwrap_used)]

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::plugin::{
    AttemptOutcome, InvocationInfo, InvocationStatus, OperationEnd, OperationInfo, OperationKind, Plugin,
};
use lambda_fn::durable::testing::{Completion, Outcome, TestRunner};
use lambda_fn::durable::{
    BatchConfig, CallbackConfig, CompletionConfig, DurableContext, ParallelBranch, Retry, StepConfig,
};
use serde_json::json;
use support::block_on;

/// Writes a line per hook into a log the test reads.
struct Recorder {
    log: Rc<RefCell<Vec<String>>>,
}

impl Recorder {
    fn push(&self, line: String) {
        self.log.borrow_mut().push(line);
    }
}

fn named(operation: &OperationInfo<'_>) -> String {
    format!("{} {}", operation.kind.as_str(), operation.name.unwrap_or(operation.id))
}

impl Plugin for Recorder {
    fn on_invocation_start(&mut self, invocation: &InvocationInfo<'_>) {
        self.push(format!(
            "invocation start first={} {}",
            invocation.first, invocation.execution_arn
        ));
    }

    fn on_invocation_end(&mut self, _: &InvocationInfo<'_>, status: InvocationStatus) {
        self.push(format!("invocation end {}", status.as_str()));
    }

    fn on_operation_start(&mut self, operation: &OperationInfo<'_>) {
        self.push(format!("start {}", named(operation)));
    }

    fn on_operation_end(&mut self, operation: &OperationInfo<'_>, status: OperationEnd) {
        self.push(format!("end {} {}", named(operation), status.as_str()));
    }

    fn on_attempt_start(&mut self, operation: &OperationInfo<'_>, attempt: u32) {
        self.push(format!("attempt {attempt} of {}", named(operation)));
    }

    fn on_attempt_end(&mut self, operation: &OperationInfo<'_>, attempt: u32, outcome: AttemptOutcome) {
        self.push(format!(
            "attempt {attempt} of {} {}",
            named(operation),
            outcome.as_str()
        ));
    }
}

fn recorder(log: &Rc<RefCell<Vec<String>>>) -> impl Fn() -> Recorder + 'static {
    let log = Rc::clone(log);
    move || Recorder { log: Rc::clone(&log) }
}

#[test]
fn each_hook_fires_once_in_the_invocation_that_sees_it_and_in_order() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let flaky_runs = Rc::new(RefCell::new(0));
    let flow = |name: String, ctx: DurableContext| {
        let flaky_runs = Rc::clone(&flaky_runs);
        async move {
            let greeting: String = ctx
                .step("greet", || async move { Ok::<_, Error>(format!("Hello, {name}!")) })
                .await?;
            ctx.wait("pause", Duration::from_secs(60)).await?;
            let retried = StepConfig::from(Retry::attempts(3).delay(Duration::from_secs(1)));
            ctx.step_with("flaky", retried, || async move {
                *flaky_runs.borrow_mut() += 1;
                if *flaky_runs.borrow() == 1 {
                    return Err(Error::new("Flaky", "the first attempt fails"));
                }
                Ok(())
            })
            .await?;
            Ok(greeting)
        }
    };
    let run = block_on(TestRunner::new().plugin(recorder(&log)).run("Ada".to_owned(), flow));
    assert_eq!(run.outcome, Outcome::Succeeded(json!("Hello, Ada!")));
    assert_eq!(run.invocations, 3);
    assert_eq!(
        *log.borrow(),
        [
            // The first invocation: the step's code runs, then its checkpoint starts and ends it; the wait
            // starts and the invocation suspends.
            "invocation start first=true test-execution",
            "attempt 1 of STEP greet",
            "attempt 1 of STEP greet SUCCEEDED",
            "start STEP greet",
            "end STEP greet SUCCEEDED",
            "start WAIT pause",
            "invocation end PENDING",
            // The second learns that the wait is over (before the workflow runs); the replayed step is
            // not told again; the flaky step's first attempt fails and waits for its retry.
            "invocation start first=false test-execution",
            "end WAIT pause SUCCEEDED",
            "attempt 1 of STEP flaky",
            "attempt 1 of STEP flaky FAILED",
            "start STEP flaky",
            "invocation end PENDING",
            // The third: the retry succeeds; the step started in an earlier invocation does not start again.
            "invocation start first=false test-execution",
            "attempt 2 of STEP flaky",
            "attempt 2 of STEP flaky SUCCEEDED",
            "end STEP flaky SUCCEEDED",
            "invocation end SUCCEEDED",
        ]
    );
}

#[test]
fn a_failed_execution_ends_its_operation_and_invocation_as_failed() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let flow = |_: (), ctx: DurableContext| async move {
        ctx.step_with("refuse", Retry::none(), || async {
            Err::<(), _>(Error::new("Refused", "no"))
        })
        .await
    };
    let run = block_on(TestRunner::new().plugin(recorder(&log)).run((), flow));
    assert!(matches!(run.outcome, Outcome::Failed { ref error_type, .. } if error_type == "Refused"));
    let log = log.borrow();
    assert_eq!(
        log[log.len() - 3..],
        ["start STEP refuse", "end STEP refuse FAILED", "invocation end FAILED"]
    );
}

#[test]
fn a_callback_completed_between_invocations_ends_in_the_next_one() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let flow = |_: (), ctx: DurableContext| async move {
        let callback = ctx.create_callback::<String>("approval", CallbackConfig::new()).await;
        callback.result().await
    };
    let run = block_on(
        TestRunner::new()
            .plugin(recorder(&log))
            .callback("approval", Completion::Succeeds(json!("yes")))
            .run((), flow),
    );
    assert_eq!(run.outcome, Outcome::Succeeded(json!("yes")));
    let log = log.borrow();
    let kinds: Vec<&str> = log.iter().map(String::as_str).collect();
    assert_eq!(
        kinds,
        [
            "invocation start first=true test-execution",
            "start CALLBACK approval",
            "invocation end PENDING",
            "invocation start first=false test-execution",
            "end CALLBACK approval SUCCEEDED",
            "invocation end SUCCEEDED",
        ]
    );
}

/// Panics in every hook.
struct Faulty;

impl Plugin for Faulty {
    fn on_invocation_start(&mut self, _: &InvocationInfo<'_>) {
        panic!("invocation start");
    }
    fn on_invocation_end(&mut self, _: &InvocationInfo<'_>, _: InvocationStatus) {
        panic!("invocation end");
    }
    fn on_operation_start(&mut self, _: &OperationInfo<'_>) {
        panic!("operation start");
    }
    fn on_operation_end(&mut self, _: &OperationInfo<'_>, _: OperationEnd) {
        panic!("operation end");
    }
    fn on_attempt_start(&mut self, _: &OperationInfo<'_>, _: u32) {
        panic!("attempt start");
    }
    fn on_attempt_end(&mut self, _: &OperationInfo<'_>, _: u32, _: AttemptOutcome) {
        panic!("attempt end");
    }
}

#[test]
fn a_plugin_that_panics_changes_nothing_and_the_next_plugin_still_hears_every_hook() {
    let greet = |name: String, ctx: DurableContext| async move {
        let greeting: String = ctx
            .step("greet", || async move { Ok::<_, Error>(format!("Hello, {name}!")) })
            .await?;
        ctx.wait("pause", Duration::from_secs(1)).await?;
        Ok(greeting)
    };
    let plain = block_on(TestRunner::new().run("Ada".to_owned(), greet));
    let log = Rc::new(RefCell::new(Vec::new()));
    let watched = block_on(
        TestRunner::new()
            .plugin(|| Faulty)
            .plugin(recorder(&log))
            .run("Ada".to_owned(), greet),
    );
    assert_eq!(watched, plain, "same outcome, invocations and checkpoints");
    assert_eq!(log.borrow().len(), 10, "{:?}", log.borrow());
}

#[test]
fn an_operation_is_described_as_the_history_records_it() {
    /// An operation as a plugin was told of it: id, kind, subtype, parent.
    type Seen = (String, OperationKind, Option<String>, Option<String>);
    struct Described(Rc<RefCell<Vec<Seen>>>);
    impl Plugin for Described {
        fn on_operation_start(&mut self, operation: &OperationInfo<'_>) {
            self.0.borrow_mut().push((
                operation.id.to_owned(),
                operation.kind,
                operation.sub_type.map(str::to_owned),
                operation.parent_id.map(str::to_owned),
            ));
        }
    }
    let seen = Rc::new(RefCell::new(Vec::new()));
    let shared = Rc::clone(&seen);
    let flow = |_: (), ctx: DurableContext| async move {
        ctx.child_context("inner", |child| async move {
            child.step("unit", || async { Ok::<_, Error>(1) }).await
        })
        .await
    };
    let run = block_on(
        TestRunner::new()
            .plugin(move || Described(Rc::clone(&shared)))
            .run((), flow),
    );
    assert_eq!(run.outcome, Outcome::Succeeded(json!(1)));
    let seen = seen.borrow();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let (context_id, kind, sub_type, parent) = &seen[0];
    assert_eq!(
        (*kind, sub_type.as_deref(), parent),
        (OperationKind::Context, Some("RunInChildContext"), &None)
    );
    assert_eq!(seen[1].1, OperationKind::Step);
    assert_eq!(
        seen[1].3.as_deref(),
        Some(context_id.as_str()),
        "the step's parent is the child context"
    );
}

#[test]
fn an_attempt_its_parallel_stops_before_it_returns_ends_incomplete() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let flow = |_: (), ctx: DurableContext| async move {
        let branches = vec![
            ParallelBranch::named("quick", |ctx: DurableContext| async move {
                // Lets the other branch begin its attempt before this one completes the parallel.
                tokio::task::yield_now().await;
                ctx.step("fast", || async { Ok::<_, Error>(1) }).await
            }),
            ParallelBranch::named("stuck", |ctx: DurableContext| async move {
                ctx.step("slow", || async {
                    std::future::pending::<()>().await;
                    Ok::<_, Error>(2)
                })
                .await
            }),
        ];
        let first = BatchConfig::new().completion(CompletionConfig::new().min_successful(1));
        let batch = ctx.parallel("race", branches, first).await?;
        Ok::<_, Error>(batch.results().len())
    };
    let run = block_on(TestRunner::new().plugin(recorder(&log)).run((), flow));
    assert_eq!(run.outcome, Outcome::Succeeded(json!(1)));
    let log = log.borrow();
    let slow: Vec<&str> = log
        .iter()
        .map(String::as_str)
        .filter(|line| line.contains("slow"))
        .collect();
    assert_eq!(
        slow,
        ["attempt 1 of STEP slow", "attempt 1 of STEP slow INCOMPLETE"],
        "{log:?}"
    );
}

#[test]
fn a_workflow_that_panics_ends_its_invocation_as_retry_and_still_panics() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let flow = |_: (), ctx: DurableContext| async move {
        ctx.step("before", || async { Ok::<_, Error>(()) }).await?;
        if ctx.is_replaying() {
            return Ok(());
        }
        panic!("the workflow breaks");
    };
    let runner = TestRunner::new().plugin(recorder(&log));
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| block_on(runner.run((), flow))));
    assert!(
        run.is_err(),
        "the panic reaches the caller (the loop reports it as Runtime.Panic)"
    );
    assert_eq!(log.borrow().last().map(String::as_str), Some("invocation end RETRY"));
}

#[test]
fn a_plugins_hooks_can_be_called_directly_in_its_own_tests() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let mut plugin = recorder(&log)();
    let invocation = InvocationInfo::new("arn:test", true);
    let charge = OperationInfo::new("1", OperationKind::Step).with_name("charge");
    plugin.on_invocation_start(&invocation);
    plugin.on_attempt_start(&charge, 1);
    plugin.on_invocation_end(&invocation, InvocationStatus::Pending);
    assert_eq!(
        *log.borrow(),
        [
            "invocation start first=true arn:test",
            "attempt 1 of STEP charge",
            "invocation end PENDING"
        ]
    );
}
