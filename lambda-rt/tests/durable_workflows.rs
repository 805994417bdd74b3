//! Durable workflows run by the in-memory test runner (`lambda_fn::durable::testing`): what each
//! invocation checkpoints, what a replay skips, how a failed step is retried, and how a workflow that no
//! longer matches its history fails.
#![allow(clippy::unwrap_used)]

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::testing::{Outcome, TestRunner};
use lambda_fn::durable::{DurableContext, Retry};

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(future)
}

fn update(kind: &str, action: &str, name: &str) -> (String, String, Option<String>) {
    (kind.to_owned(), action.to_owned(), Some(name.to_owned()))
}

#[test]
fn a_step_a_wait_and_a_step_take_two_invocations_and_each_step_runs_once() {
    let runs = Rc::new(Cell::new(0));
    let flow = |n: u32, ctx: DurableContext| {
        let runs = Rc::clone(&runs);
        async move {
            let runs2 = Rc::clone(&runs);
            let doubled = ctx
                .step("double", || async move {
                    runs.set(runs.get() + 1);
                    Ok::<_, Error>(n * 2)
                })
                .await?;
            ctx.wait("pause", Duration::from_secs(365 * 24 * 3600)).await?;
            ctx.step("add one", || async move {
                runs2.set(runs2.get() + 1);
                Ok::<_, Error>(doubled + 1)
            })
            .await
        }
    };
    let run = block_on(TestRunner::new().run(21u32, flow));
    assert_eq!(run.outcome, Outcome::Succeeded(serde_json::json!(43)));
    assert_eq!(run.invocations, 2);
    assert_eq!(
        runs.get(),
        2,
        "the replay read the first step's result instead of running it"
    );
    assert_eq!(
        run.checkpoints,
        vec![
            vec![update("Step", "Start", "double"), update("Step", "Succeed", "double")],
            vec![update("Wait", "Start", "pause")],
            vec![update("Step", "Start", "add one"), update("Step", "Succeed", "add one")],
        ]
    );
}

#[test]
fn a_failing_step_is_retried_in_later_invocations_until_it_succeeds() {
    let attempts = Rc::new(Cell::new(0));
    let flow = |_: (), ctx: DurableContext| {
        let attempts = Rc::clone(&attempts);
        async move {
            ctx.step_with("flaky", Retry::attempts(3), || async move {
                attempts.set(attempts.get() + 1);
                if attempts.get() < 3 {
                    return Err(Error::new("Flaky", format!("attempt {}", attempts.get())));
                }
                Ok("done".to_owned())
            })
            .await
        }
    };
    let run = block_on(TestRunner::new().run((), flow));
    assert_eq!(run.outcome, Outcome::Succeeded(serde_json::json!("done")));
    assert_eq!((run.invocations, attempts.get()), (3, 3));
    assert_eq!(
        run.checkpoints,
        vec![
            vec![update("Step", "Start", "flaky"), update("Step", "Retry", "flaky")],
            vec![update("Step", "Start", "flaky"), update("Step", "Retry", "flaky")],
            vec![update("Step", "Start", "flaky"), update("Step", "Succeed", "flaky")],
        ]
    );
}

#[test]
fn a_step_that_fails_every_attempt_fails_the_execution_with_its_error() {
    let flow = |_: (), ctx: DurableContext| async move {
        ctx.step_with("charge", Retry::attempts(2), || async {
            Err::<u32, _>(Error::new("CardDeclined", "the card was declined"))
        })
        .await?;
        Ok(())
    };
    let run = block_on(TestRunner::new().run((), flow));
    assert_eq!(
        run.outcome,
        Outcome::Failed {
            error_type: "CardDeclined".to_owned(),
            message: "the card was declined".to_owned()
        }
    );
    assert_eq!(run.checkpoints.last().unwrap()[1], update("Step", "Fail", "charge"));
}

#[test]
fn a_workflow_that_reaches_another_operation_than_its_history_fails_naming_it() {
    let invocation = Rc::new(Cell::new(0));
    let flow = |_: (), ctx: DurableContext| {
        let invocation = Rc::clone(&invocation);
        async move {
            invocation.set(invocation.get() + 1);
            // Not deterministic: the first step's name changes between runs.
            let name = format!("step-{}", invocation.get());
            ctx.step(&name, || async { Ok::<_, Error>(1) }).await?;
            ctx.wait("pause", Duration::from_secs(1)).await?;
            Ok(())
        }
    };
    let run = block_on(TestRunner::new().run((), flow));
    let Outcome::Failed { error_type, message } = run.outcome else {
        panic!("{:?}", run.outcome);
    };
    assert_eq!(error_type, "Durable.NonDeterministic");
    assert!(
        message.contains("recorded as Step `step-1`") && message.contains("reached Step `step-2`"),
        "{message}"
    );
}

#[test]
fn the_input_reaches_the_workflow_and_an_error_of_its_own_fails_the_execution() {
    let flow = |order: serde_json::Value, ctx: DurableContext| async move {
        let quantity: u64 = ctx
            .step("read", || async move {
                Ok::<_, Error>(order["quantity"].as_u64().unwrap_or(0))
            })
            .await?;
        if quantity == 0 {
            return Err::<(), _>(Error::new("EmptyOrder", "nothing to ship"));
        }
        Ok(())
    };
    let run = block_on(TestRunner::new().run(serde_json::json!({"quantity": 0}), flow));
    assert_eq!(
        run.outcome,
        Outcome::Failed {
            error_type: "EmptyOrder".to_owned(),
            message: "nothing to ship".to_owned()
        }
    );
    assert_eq!(run.invocations, 1);
}
