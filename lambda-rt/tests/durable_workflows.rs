//! Durable workflows run by the in-memory test runner (`lambda_fn::durable::testing`): what each
//! invocation checkpoints, what a replay skips, how a failed step is retried (and which errors are not),
//! what an interrupted step does under each semantics, child contexts and their replay, callbacks
//! completed, failed, timed out or never completed, conditions polled, custom serialization, and how a
//! workflow that no longer matches its history fails.
#![allow(clippy::unwrap_used)]

mod support;

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::testing::{Completion, Outcome, TestRunner};
use lambda_fn::durable::{
    BatchConfig, BatchItemStatus, CallbackConfig, CompletionConfig, CompletionReason, DurableContext, InvokeConfig,
    Jitter, Nesting, ParallelBranch, Retry, Semantics, Serdes, StepConfig, WaitForConditionConfig,
};
use serde_json::json;
use support::block_on;

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

#[test]
fn a_retry_filter_fails_the_step_at_once_on_an_error_it_does_not_accept() {
    let attempts = Rc::new(Cell::new(0));
    let flow = |_: (), ctx: DurableContext| {
        let attempts = Rc::clone(&attempts);
        async move {
            let retry = Retry::attempts(5).retry_if(|e| e.error_type() == "Throttled");
            ctx.step_with("call", retry, || async move {
                attempts.set(attempts.get() + 1);
                let kind = if attempts.get() == 1 { "Throttled" } else { "BadRequest" };
                Err::<u32, _>(Error::new(kind, format!("attempt {}", attempts.get())))
            })
            .await
        }
    };
    let run = block_on(TestRunner::new().run((), flow));
    assert_eq!(
        run.outcome,
        Outcome::Failed {
            error_type: "BadRequest".to_owned(),
            message: "attempt 2".to_owned()
        }
    );
    assert_eq!(attempts.get(), 2, "retried once (Throttled), then failed (BadRequest)");
    assert_eq!(run.checkpoints[0][1], update("Step", "Retry", "call"));
    assert_eq!(run.checkpoints[1][1], update("Step", "Fail", "call"));
}

/// A step whose work counts its runs, with `config`, in a workflow the runner crashes after the first
/// checkpoint.
fn interrupted(config: StepConfig) -> (lambda_fn::durable::testing::TestRun, u32) {
    let runs = Rc::new(Cell::new(0));
    let flow = |_: (), ctx: DurableContext| {
        let runs = Rc::clone(&runs);
        let config = config.clone();
        async move {
            ctx.step_with("charge", config, || async move {
                runs.set(runs.get() + 1);
                Ok::<_, Error>(runs.get())
            })
            .await
        }
    };
    let run = block_on(TestRunner::new().crash_after(1).run((), flow));
    (run, runs.get())
}

#[test]
fn an_at_most_once_step_interrupted_after_its_start_is_not_run_again_but_failed() {
    let config = StepConfig::new()
        .retry(Retry::none())
        .semantics(Semantics::AtMostOncePerRetry);
    let (run, runs) = interrupted(config);
    let Outcome::Failed { error_type, message } = &run.outcome else {
        panic!("{:?}", run.outcome);
    };
    assert_eq!(error_type, "Durable.StepInterrupted");
    assert!(message.contains("attempt 1 of step `charge`"), "{message}");
    assert_eq!(
        runs, 0,
        "the process died once the start was accepted: the replay cannot know whether the work ran, so it does \
         not run it"
    );
    assert_eq!(
        run.checkpoints,
        vec![
            vec![update("Step", "Start", "charge")],
            vec![update("Step", "Fail", "charge")]
        ],
        "the start went alone, before the work"
    );
}

#[test]
fn an_interrupted_at_most_once_step_with_retries_runs_again_as_its_next_attempt() {
    let config = StepConfig::new()
        .retry(Retry::attempts(2))
        .semantics(Semantics::AtMostOncePerRetry);
    let (run, runs) = interrupted(config);
    assert_eq!(run.outcome, Outcome::Succeeded(serde_json::json!(1)));
    assert_eq!(runs, 1, "attempt 1 was interrupted; attempt 2 ran the work");
    assert_eq!(
        run.checkpoints,
        vec![
            vec![update("Step", "Start", "charge")],
            vec![update("Step", "Retry", "charge")],
            vec![update("Step", "Start", "charge")],
            vec![update("Step", "Succeed", "charge")],
        ]
    );
}

#[test]
fn an_at_least_once_step_found_started_runs_again_without_a_second_start() {
    // The first checkpoint is the wait's: the step after it runs in the second invocation, whose process
    // dies after checkpoint 2 (the step's start and success); the third invocation replays both.
    let runs = Rc::new(Cell::new(0));
    let flow = |_: (), ctx: DurableContext| {
        let runs = Rc::clone(&runs);
        async move {
            ctx.wait("pause", Duration::from_secs(1)).await?;
            ctx.step("count", || async move {
                runs.set(runs.get() + 1);
                Ok::<_, Error>(runs.get())
            })
            .await
        }
    };
    let run = block_on(TestRunner::new().crash_after(2).run((), flow));
    assert_eq!(run.outcome, Outcome::Succeeded(serde_json::json!(1)));
    assert_eq!(
        runs.get(),
        1,
        "the success was recorded before the crash: the replay reads it"
    );
}

#[test]
fn a_child_context_checkpoints_its_start_with_its_first_operation_and_replays_from_its_result() {
    let runs = Rc::new(Cell::new(0));
    let flow = |n: u32, ctx: DurableContext| {
        let runs = Rc::clone(&runs);
        async move {
            let total: u32 = ctx
                .child_context("price", |child| async move {
                    runs.set(runs.get() + 1);
                    let base: u32 = child.step("base", || async move { Ok::<_, Error>(n * 10) }).await?;
                    child.step("tax", || async move { Ok::<_, Error>(base + 2) }).await
                })
                .await?;
            ctx.wait("pause", Duration::from_secs(60)).await?;
            ctx.step("bill", || async move { Ok::<_, Error>(total) }).await
        }
    };
    let run = block_on(TestRunner::new().run(4u32, flow));
    assert_eq!(run.outcome, Outcome::Succeeded(serde_json::json!(42)));
    assert_eq!(
        runs.get(),
        1,
        "the replay read the context's result instead of running it"
    );
    assert_eq!(
        run.checkpoints[0],
        vec![
            update("Context", "Start", "price"),
            update("Step", "Start", "base"),
            update("Step", "Succeed", "base"),
        ],
        "the context's start rides with the first operation inside it"
    );
    assert_eq!(run.checkpoints[2], vec![update("Context", "Succeed", "price")]);
}

#[test]
fn a_child_context_result_too_large_to_record_is_rebuilt_by_replaying_its_children() {
    let (body_runs, step_runs) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let flow = |_: (), ctx: DurableContext| {
        let (body_runs, step_runs) = (Rc::clone(&body_runs), Rc::clone(&step_runs));
        async move {
            let big: String = ctx
                .child_context("big", |child| async move {
                    body_runs.set(body_runs.get() + 1);
                    let unit: String = child
                        .step("unit", || async move {
                            step_runs.set(step_runs.get() + 1);
                            Ok::<_, Error>("x".to_owned())
                        })
                        .await?;
                    Ok::<_, Error>(unit.repeat(300 * 1024))
                })
                .await?;
            ctx.wait("pause", Duration::from_secs(1)).await?;
            Ok(big.len())
        }
    };
    let run = block_on(TestRunner::new().run((), flow));
    assert_eq!(run.outcome, Outcome::Succeeded(serde_json::json!(300 * 1024)));
    assert_eq!(
        (body_runs.get(), step_runs.get()),
        (2, 1),
        "the body ran again to rebuild the result; its step replayed from its record"
    );
}

#[test]
fn a_workflow_that_changes_inside_a_child_context_fails_naming_the_context() {
    let invocation = Rc::new(Cell::new(0));
    let flow = |_: (), ctx: DurableContext| {
        let invocation = Rc::clone(&invocation);
        async move {
            invocation.set(invocation.get() + 1);
            let name = format!("inner-{}", invocation.get());
            ctx.child_context("group", |child| async move {
                child.step(&name, || async { Ok::<_, Error>(1) }).await?;
                child.wait("pause", Duration::from_secs(1)).await
            })
            .await
        }
    };
    let run = block_on(TestRunner::new().run((), flow));
    let Outcome::Failed { error_type, message } = run.outcome else {
        panic!("{:?}", run.outcome);
    };
    assert_eq!(error_type, "Durable.NonDeterministic");
    assert!(
        message.contains("of child context") && message.contains("reached Step `inner-2`"),
        "{message}"
    );
}

/// Numbers written as words, to see which form a step returns.
struct Words;

impl Serdes<u32> for Words {
    fn serialize(&self, value: &u32) -> Result<String, Error> {
        Ok(["zero", "one", "two"]
            .get(*value as usize)
            .unwrap_or(&"many")
            .to_string())
    }

    fn deserialize(&self, data: &str) -> Result<u32, Error> {
        match data {
            "zero" => Ok(0),
            "one" => Ok(1),
            "two" => Ok(2),
            other => Err(Error::new("Words", format!("not a number I know: {other}"))),
        }
    }
}

#[test]
fn a_step_with_its_own_serdes_returns_what_a_replay_would_read() {
    let flow = |n: u32, ctx: DurableContext| async move {
        let first: u32 = ctx
            .step_with(
                "small",
                StepConfig::new().serdes(Words),
                || async move { Ok::<_, Error>(n) },
            )
            .await?;
        let second = ctx
            .step_with("large", StepConfig::new().serdes(Words), || async move {
                Ok::<_, Error>(n + 5)
            })
            .await;
        Ok((first, second.map_err(|e| e.message().to_owned()).err()))
    };
    let run = block_on(TestRunner::new().run(2u32, flow));
    assert_eq!(
        run.outcome,
        Outcome::Succeeded(serde_json::json!([2, "not a number I know: many"])),
        "7 is written as `many`, which reads back as an error, the step's outcome on every run"
    );
}

#[test]
fn a_callback_created_before_a_step_is_awaited_after_it_and_its_result_read_as_json() {
    let flow = |_: (), ctx: DurableContext| async move {
        let approval = ctx
            .create_callback::<serde_json::Value>("approval", CallbackConfig::new())
            .await;
        let id = approval.id().to_owned();
        let sent: String = ctx
            .step("ask", || async move { Ok::<_, Error>(format!("sent {id}")) })
            .await?;
        let answer = approval.result().await?;
        Ok(json!({"sent": sent, "answer": answer}))
    };
    let run = block_on(
        TestRunner::new()
            .callback("approval", Completion::Succeeds(json!({"approved": true})))
            .run((), flow),
    );
    let Outcome::Succeeded(result) = &run.outcome else {
        panic!("{:?}", run.outcome);
    };
    assert_eq!(result["answer"], json!({"approved": true}));
    assert!(
        result["sent"].as_str().unwrap().starts_with("sent callback-"),
        "the step saw the id the service gave: {result}"
    );
    assert_eq!(run.invocations, 2, "suspended until the callback was completed");
    assert_eq!(
        run.checkpoints,
        vec![
            vec![update("Callback", "Start", "approval")],
            vec![update("Step", "Start", "ask"), update("Step", "Succeed", "ask")],
        ],
        "the callback's start goes alone, since its id comes back in the answer"
    );
}

#[test]
fn a_failed_or_timed_out_callback_returns_its_error_to_the_workflow() {
    let flow = |_: (), ctx: DurableContext| async move {
        let outcome = ctx
            .create_callback::<u32>("review", CallbackConfig::new().timeout(Duration::from_secs(3)))
            .await
            .result()
            .await;
        match outcome {
            Ok(n) => Ok(format!("completed with {n}")),
            Err(e) => Ok(format!("{}: {}", e.error_type(), e.message())),
        }
    };
    let failed = TestRunner::new().callback(
        "review",
        Completion::Fails {
            error_type: "RejectedError".to_owned(),
            message: "not approved".to_owned(),
        },
    );
    let run = block_on(failed.run((), flow));
    assert_eq!(run.outcome, Outcome::Succeeded(json!("RejectedError: not approved")));
    let run = block_on(TestRunner::new().callback("review", Completion::TimesOut).run((), flow));
    assert_eq!(
        run.outcome,
        Outcome::Succeeded(json!("Callback.Timeout: Callback timed out"))
    );
    let run = block_on(
        TestRunner::new()
            .callback("review", Completion::Succeeds(json!("not a number")))
            .run((), flow),
    );
    let Outcome::Succeeded(message) = run.outcome else {
        panic!("{:?}", run.outcome);
    };
    assert!(
        message
            .as_str()
            .unwrap()
            .starts_with("Durable.SerializationError: the result callback `review`"),
        "{message}"
    );
}

#[test]
fn a_callback_nobody_completes_leaves_the_execution_pending() {
    let flow = |_: (), ctx: DurableContext| async move {
        ctx.create_callback::<u32>("never", CallbackConfig::new())
            .await
            .result()
            .await
    };
    let run = block_on(TestRunner::new().run((), flow));
    assert_eq!(run.outcome, Outcome::Pending);
    assert_eq!(run.invocations, 1, "nothing could change after the first invocation");
}

#[test]
fn wait_for_callback_hands_the_id_to_its_submitter_once_and_returns_the_result() {
    let submitted = Rc::new(std::cell::RefCell::new(Vec::new()));
    let flow = |_: (), ctx: DurableContext| {
        let submitted = Rc::clone(&submitted);
        async move {
            let config = CallbackConfig::new().heartbeat_timeout(Duration::from_secs(60));
            ctx.wait_for_callback::<String, _, _, _>("payment", config, |id| async move {
                submitted.borrow_mut().push(id);
                Ok::<_, Error>(())
            })
            .await
        }
    };
    let run = block_on(
        TestRunner::new()
            .callback("payment callback", Completion::Succeeds(json!("paid")))
            .run((), flow),
    );
    assert_eq!(run.outcome, Outcome::Succeeded(json!("paid")));
    assert_eq!(submitted.borrow().len(), 1, "the replay did not submit again");
    assert!(submitted.borrow()[0].starts_with("callback-"));
    assert_eq!(
        run.checkpoints,
        vec![
            vec![
                update("Context", "Start", "payment"),
                update("Callback", "Start", "payment callback")
            ],
            vec![
                update("Step", "Start", "payment submitter"),
                update("Step", "Succeed", "payment submitter")
            ],
            vec![update("Context", "Succeed", "payment")],
        ]
    );
}

#[test]
fn a_condition_threads_its_state_through_checks_until_it_is_met() {
    let seen = Rc::new(std::cell::RefCell::new(Vec::new()));
    let flow = |target: u32, ctx: DurableContext| {
        let seen = Rc::clone(&seen);
        async move {
            let config = WaitForConditionConfig::until(move |n: &u32| *n >= target)
                .delay(Duration::from_secs(2))
                .jitter(Jitter::None);
            ctx.wait_for_condition("count", 10, config, |n, attempt| async move {
                seen.borrow_mut().push((n, attempt));
                Ok::<_, Error>(n + 1)
            })
            .await
        }
    };
    let run = block_on(TestRunner::new().run(13u32, flow));
    assert_eq!(run.outcome, Outcome::Succeeded(json!(13)));
    assert_eq!(
        *seen.borrow(),
        vec![(10, 1), (11, 2), (12, 3)],
        "(state, attempt) each check got"
    );
    assert_eq!(run.invocations, 3);
    assert_eq!(run.checkpoints[0][1], update("Step", "Retry", "count"));
    assert_eq!(run.checkpoints[2][1], update("Step", "Succeed", "count"));
}

#[test]
fn a_condition_fails_when_its_checks_run_out_or_a_check_fails() {
    let never = |_: (), ctx: DurableContext| async move {
        let config = WaitForConditionConfig::until(|_: &u32| false).max_attempts(2);
        ctx.wait_for_condition("never", 0, config, |n, _| async move { Ok::<_, Error>(n + 1) })
            .await
    };
    let run = block_on(TestRunner::new().run((), never));
    let Outcome::Failed { error_type, message } = run.outcome else {
        panic!("{:?}", run.outcome);
    };
    assert_eq!(error_type, "Durable.WaitForConditionExhausted");
    assert!(
        message.contains("condition `never` was not met after 2 checks"),
        "{message}"
    );

    let broken = |_: (), ctx: DurableContext| async move {
        let config = WaitForConditionConfig::until(|_: &u32| false);
        ctx.wait_for_condition("broken", 0, config, |_, _| async {
            Err::<u32, _>(Error::new("Unreachable", "the status service is down"))
        })
        .await
    };
    let run = block_on(TestRunner::new().run((), broken));
    assert_eq!(
        run.outcome,
        Outcome::Failed {
            error_type: "Unreachable".to_owned(),
            message: "the status service is down".to_owned()
        }
    );
    assert_eq!(run.invocations, 1, "a failing check is not retried");
}

/// The messages of the `tracing` events written while it is the default subscriber.
#[derive(Default)]
struct Lines(std::sync::Mutex<Vec<String>>);

impl tracing::Subscriber for Lines {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Message<'a>(&'a mut String);
        impl tracing::field::Visit for Message<'_> {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    self.0.push_str(&format!("{value:?}"));
                }
            }
        }
        let mut line = String::new();
        event.record(&mut Message(&mut line));
        self.0.lock().unwrap().push(line);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[test]
fn the_durable_logger_writes_each_line_once_over_all_the_replays() {
    let points = Rc::new(std::cell::RefCell::new(Vec::new()));
    let flow = |_: (), ctx: DurableContext| {
        let points = Rc::clone(&points);
        async move {
            let mark = |point: &str| {
                points.borrow_mut().push((point.to_owned(), ctx.is_replaying()));
                ctx.logger().info(point);
            };
            mark("start");
            ctx.step("one", || async { Ok::<_, Error>(1) }).await?;
            mark("after one");
            ctx.wait("first pause", Duration::from_secs(1)).await?;
            mark("after the first pause");
            ctx.child_context("group", |child| async move {
                child.step("inner", || async { Ok::<_, Error>(2) }).await
            })
            .await?;
            mark("after the group");
            ctx.wait("second pause", Duration::from_secs(1)).await?;
            mark("end");
            Ok(())
        }
    };
    let lines = std::sync::Arc::new(Lines::default());
    let run = tracing::subscriber::with_default(std::sync::Arc::clone(&lines), || {
        block_on(TestRunner::new().run((), flow))
    });
    assert_eq!(run.outcome, Outcome::Succeeded(json!(null)));
    assert_eq!(run.invocations, 3);
    let expected = ["start", "after one", "after the first pause", "after the group", "end"];
    assert_eq!(
        *lines.0.lock().unwrap(),
        expected,
        "each line once, though the workflow ran its start 3 times"
    );
    let replayed = points.borrow().iter().filter(|(_, replaying)| *replaying).count();
    assert_eq!(
        replayed,
        2 + 4,
        "2 points replayed in the second invocation, 4 in the third (the group's result read)"
    );
}

#[test]
fn an_invoked_function_is_called_once_and_its_result_or_error_replayed() {
    let flow = |order: String, ctx: DurableContext| async move {
        let price: u64 = ctx.invoke("price", "pricing", &order).await?;
        ctx.wait("pause", Duration::from_secs(1)).await?;
        let stock = ctx
            .invoke_with::<_, u64, _, _>("stock", "inventory", &order, InvokeConfig::new().tenant_id("acme"))
            .await;
        Ok(json!({"price": price, "stock": stock.map_err(|e| format!("{}: {}", e.error_type(), e.message())).err()}))
    };
    let run = block_on(
        TestRunner::new()
            .function("pricing", Completion::Succeeds(json!(42)))
            .function(
                "inventory",
                Completion::Fails {
                    error_type: "OutOfStock".to_owned(),
                    message: "none left".to_owned(),
                },
            )
            .run("book".to_owned(), flow),
    );
    assert_eq!(
        run.outcome,
        Outcome::Succeeded(json!({"price": 42, "stock": "OutOfStock: none left"}))
    );
    let starts = run
        .checkpoints
        .iter()
        .flatten()
        .filter(|(kind, action, _)| kind == "ChainedInvoke" && action == "Start")
        .count();
    assert_eq!(
        starts, 2,
        "each function called once over 4 invocations: {:?}",
        run.checkpoints
    );
    assert_eq!(run.invocations, 4);

    let unanswered = block_on(TestRunner::new().run("book".to_owned(), flow));
    assert_eq!(unanswered.outcome, Outcome::Pending, "nobody answers `pricing`");
}

#[test]
fn a_map_runs_a_branch_per_item_and_replays_from_its_recorded_result() {
    let runs = Rc::new(Cell::new(0));
    let flow = |words: Vec<String>, ctx: DurableContext| {
        let runs = Rc::clone(&runs);
        async move {
            let runs = &runs;
            let shouted = ctx
                .map(
                    "shout",
                    words,
                    BatchConfig::new().max_concurrency(2),
                    |ctx, word, index| async move {
                        runs.set(runs.get() + 1);
                        ctx.step("upper", || async move {
                            Ok::<_, Error>(format!("{index}:{}", word.to_uppercase()))
                        })
                        .await
                    },
                )
                .await?;
            ctx.wait("pause", Duration::from_secs(1)).await?;
            shouted.into_results()
        }
    };
    let words = vec!["a".to_owned(), "b".to_owned(), "c".to_owned()];
    let run = block_on(TestRunner::new().run(words, flow));
    assert_eq!(run.outcome, Outcome::Succeeded(json!(["0:A", "1:B", "2:C"])));
    assert_eq!(runs.get(), 3, "the replay read the map's result: no branch ran again");
    let first = &run.checkpoints[0];
    assert_eq!(first[0], update("Context", "Start", "shout"));
    assert_eq!(first[1], update("Context", "Start", "map-item-0"));
    assert_eq!(
        run.checkpoints
            .iter()
            .flatten()
            .filter(|u| u.1 == "Succeed" && u.0 == "Context")
            .count(),
        4,
        "three items and the map"
    );
}

fn failing_branches<'a>(outcomes: &'a [bool]) -> Vec<ParallelBranch<'a, u32>> {
    outcomes
        .iter()
        .enumerate()
        .map(|(i, ok)| {
            ParallelBranch::new(move |_ctx| async move {
                if *ok {
                    Ok(i as u32)
                } else {
                    Err(Error::new("BranchError", format!("branch {i} failed")))
                }
            })
        })
        .collect()
}

#[test]
fn completion_rules_end_a_parallel_early_and_report_why() {
    let cases = [
        // (branches, completion, reason, started, succeeded, failed)
        (
            vec![true, false, true],
            CompletionConfig::all_successful(),
            CompletionReason::FailureToleranceExceeded,
            2,
            1,
            1,
        ),
        (
            vec![true, false, true],
            CompletionConfig::new().tolerated_failure_count(1),
            CompletionReason::AllCompleted,
            3,
            2,
            1,
        ),
        (
            vec![true, true, true, true],
            CompletionConfig::new().min_successful(2),
            CompletionReason::MinSuccessfulReached,
            2,
            2,
            0,
        ),
        (
            vec![false, false, true, true],
            CompletionConfig::new().tolerated_failure_percentage(25.0),
            CompletionReason::FailureToleranceExceeded,
            2,
            0,
            2,
        ),
        (
            vec![false, true, true, true],
            CompletionConfig::new().tolerated_failure_percentage(25.0),
            CompletionReason::AllCompleted,
            4,
            3,
            1,
        ),
    ];
    for (outcomes, completion, reason, started, succeeded, failed) in cases {
        let flow = |_: (), ctx: DurableContext| {
            let outcomes = outcomes.clone();
            async move {
                let config = BatchConfig::new().max_concurrency(1).completion(completion);
                let batch = ctx.parallel("batch", failing_branches(&outcomes), config).await?;
                Ok(json!({
                    "reason": batch.completion_reason,
                    "counts": [batch.total_count(), batch.success_count(), batch.failure_count()],
                }))
            }
        };
        let run = block_on(TestRunner::new().run((), flow));
        assert_eq!(
            run.outcome,
            Outcome::Succeeded(json!({"reason": reason, "counts": [started, succeeded, failed]})),
            "{outcomes:?} with {completion:?}"
        );
    }
}

#[test]
fn a_branch_that_waits_keeps_its_slot_and_the_invocation_suspends_when_no_branch_can_go_on() {
    let flow = |_: (), ctx: DurableContext| async move {
        let batch = ctx
            .map(
                "waits",
                vec![1u64, 2, 3],
                BatchConfig::new(),
                |ctx, seconds, _| async move {
                    ctx.wait("sleep", Duration::from_secs(seconds)).await?;
                    Ok::<_, Error>(seconds * 10)
                },
            )
            .await?;
        batch.into_results()
    };
    let run = block_on(TestRunner::new().run((), flow));
    assert_eq!(run.outcome, Outcome::Succeeded(json!([10, 20, 30])));
    assert_eq!(
        run.invocations, 2,
        "all three waits started before the invocation suspended"
    );
    let waits = run.checkpoints.iter().flatten().filter(|u| u.0 == "Wait").count();
    assert_eq!(waits, 3, "each branch's wait started once: {:?}", run.checkpoints);

    let one_at_a_time = |_: (), ctx: DurableContext| async move {
        let config = BatchConfig::new().max_concurrency(1);
        let batch = ctx
            .map("waits", vec![1u64, 2], config, |ctx, seconds, _| async move {
                ctx.wait("sleep", Duration::from_secs(seconds)).await?;
                Ok::<_, Error>(seconds)
            })
            .await?;
        batch.into_results()
    };
    let run = block_on(TestRunner::new().run((), one_at_a_time));
    assert_eq!(run.outcome, Outcome::Succeeded(json!([1, 2])));
    assert_eq!(run.invocations, 3, "the waiting branch kept the only slot");
}

#[test]
fn an_invalid_batch_configuration_fails_before_anything_is_recorded() {
    let flow = |_: (), ctx: DurableContext| async move {
        let branches = vec![ParallelBranch::new(|_ctx| async { Ok::<_, Error>(1) })];
        ctx.parallel("bad", branches, BatchConfig::new().max_concurrency(0))
            .await?;
        Ok(())
    };
    let run = block_on(TestRunner::new().run((), flow));
    let Outcome::Failed { error_type, message } = run.outcome else {
        panic!("{:?}", run.outcome);
    };
    assert_eq!(error_type, "Durable.InvalidConfiguration");
    assert!(message.contains("max_concurrency must be at least 1"), "{message}");
    assert!(run.checkpoints.is_empty(), "{:?}", run.checkpoints);
}

#[test]
fn flat_branches_record_no_context_of_their_own() {
    let flow = |_: (), ctx: DurableContext| async move {
        let config = BatchConfig::new().max_concurrency(1).nesting(Nesting::Flat);
        let batch = ctx
            .map("flat", vec!["x", "y"], config, |ctx, item, _| async move {
                ctx.step("echo", || async move { Ok::<_, Error>(item.to_owned()) })
                    .await
            })
            .await?;
        assert_eq!(batch.status(), BatchItemStatus::Succeeded);
        batch.into_results()
    };
    let run = block_on(TestRunner::new().run((), flow));
    assert_eq!(run.outcome, Outcome::Succeeded(json!(["x", "y"])));
    let contexts: Vec<_> = run.checkpoints.iter().flatten().filter(|u| u.0 == "Context").collect();
    assert_eq!(contexts.len(), 2, "the map's start and success only: {contexts:?}");
}

#[test]
fn branch_results_that_are_null_survive_the_batch_record() {
    let flow = |_: (), ctx: DurableContext| async move {
        let batch = ctx
            .map("nothing", vec![1, 2], BatchConfig::new(), |_ctx, _n: u32, _| async {
                Ok::<_, Error>(())
            })
            .await?;
        ctx.wait("pause", Duration::from_secs(1)).await?;
        Ok(batch.into_results()?.len())
    };
    let run = block_on(TestRunner::new().run((), flow));
    assert_eq!(
        run.invocations, 2,
        "the second invocation read the batch from its record"
    );
    assert_eq!(run.outcome, Outcome::Succeeded(json!(2)));
}

#[test]
fn a_failed_branch_of_values_stays_failed_when_the_batch_is_read_back() {
    let flow = |_: (), ctx: DurableContext| async move {
        let branches = vec![ParallelBranch::new(|_ctx| async {
            Err::<serde_json::Value, _>(Error::new("BranchError", "branch failed"))
        })];
        let batch = ctx.parallel("one", branches, BatchConfig::new()).await?;
        assert!(batch.results().is_empty(), "{batch:?}");
        batch.into_results()
    };
    let run = block_on(TestRunner::new().run((), flow));
    assert_eq!(
        run.outcome,
        Outcome::Failed {
            error_type: "BranchError".to_owned(),
            message: "branch failed".to_owned()
        }
    );
}
