//! The store's rules, with the time passed in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

const ARN: &str = "arn:aws:lambda:us-east-1:123456789012:function:flow:$LATEST";

/// A store with one execution, started at t=100 with a 3600 s timeout, its first invocation begun.
fn started() -> (Store, String, String) {
    let mut store = Store::default();
    let Started::New(index) = store.start(0, ARN, None, "{\"n\":1}".into(), 3600, 100.0).unwrap() else {
        panic!("a new execution");
    };
    let envelope = store.begin_invocation(index);
    let arn = envelope["DurableExecutionArn"].as_str().unwrap().to_owned();
    let token = envelope["CheckpointToken"].as_str().unwrap().to_owned();
    (store, arn, token)
}

fn checkpoint(store: &mut Store, arn: &str, token: &str, updates: Value, now: f64) -> Result<String, ApiError> {
    let updates: Vec<OperationUpdate> = serde_json::from_value(updates).unwrap();
    let answer = store.checkpoint(arn, token, &updates, now)?;
    Ok(answer["CheckpointToken"].as_str().unwrap().to_owned())
}

fn event_types(store: &Store, arn: &str) -> Vec<String> {
    let history = store.history(arn, true, None, 1000, false).unwrap();
    history["Events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["EventType"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn the_envelope_carries_the_input_and_each_checkpoint_rotates_the_token() {
    let mut store = Store::default();
    store
        .start(0, ARN, Some("first"), "{\"n\":1}".into(), 60, 100.0)
        .unwrap();
    let envelope = store.begin_invocation(0);
    let operations = envelope["InitialExecutionState"]["Operations"].as_array().unwrap();
    assert_eq!(operations[0]["Type"], "EXECUTION");
    assert_eq!(operations[0]["ExecutionDetails"]["InputPayload"], "{\"n\":1}");
    let arn = envelope["DurableExecutionArn"].as_str().unwrap();
    assert!(arn.starts_with(&format!("{ARN}/durable-execution/first/")), "{arn}");
    let token = envelope["CheckpointToken"].as_str().unwrap();
    let step = json!([{"Id": "a", "Type": "STEP", "SubType": "Step", "Name": "one", "Action": "START"}]);
    let next = checkpoint(&mut store, arn, token, step.clone(), 101.0).unwrap();
    assert_ne!(next, token);
    let stale = checkpoint(&mut store, arn, token, step, 101.0).unwrap_err();
    assert_eq!(stale.code, "InvalidParameterValueException");
    assert!(
        stale.message.starts_with("Invalid checkpoint token"),
        "{}",
        stale.message
    );
}

#[test]
fn a_name_given_twice_is_the_same_execution_unless_the_input_differs() {
    let mut store = Store::default();
    let first = store.start(0, ARN, Some("order-7"), "1".into(), 60, 100.0).unwrap();
    assert_eq!(first, Started::New(0));
    assert_eq!(
        store.start(0, ARN, Some("order-7"), "1".into(), 60, 101.0).unwrap(),
        Started::Existing(0)
    );
    let conflict = store.start(0, ARN, Some("order-7"), "2".into(), 60, 101.0).unwrap_err();
    assert_eq!(
        (conflict.status, conflict.code),
        (409, "DurableExecutionAlreadyStartedException")
    );
    assert_eq!(
        store.start(1, ARN, Some("order-7"), "2".into(), 60, 101.0).unwrap(),
        Started::New(1)
    );
}

#[test]
fn an_update_that_changes_an_operation_is_refused_and_nothing_of_its_checkpoint_is_applied() {
    let (mut store, arn, token) = started();
    let token = checkpoint(
        &mut store,
        &arn,
        &token,
        json!([{"Id": "a", "Type": "STEP", "Action": "START"}]),
        101.0,
    )
    .unwrap();
    let refused = checkpoint(
        &mut store,
        &arn,
        &token,
        json!([
            {"Id": "b", "Type": "WAIT", "Action": "START", "WaitOptions": {"WaitSeconds": 5}},
            {"Id": "a", "Type": "WAIT", "Action": "START"},
        ]),
        102.0,
    )
    .unwrap_err();
    assert!(
        refused.message.starts_with("Inconsistent operation type"),
        "{}",
        refused.message
    );
    assert_eq!(event_types(&store, &arn), ["ExecutionStarted", "StepStarted"]);
    // The token was not used up: the function may checkpoint again with it.
    checkpoint(
        &mut store,
        &arn,
        &token,
        json!([{"Id": "a", "Type": "STEP", "Action": "SUCCEED", "Payload": "1"}]),
        103.0,
    )
    .unwrap();
}

#[test]
fn a_wait_ends_when_its_timer_fires_and_wakes_the_execution() {
    let (mut store, arn, token) = started();
    let wait =
        json!([{"Id": "w", "Type": "WAIT", "SubType": "Wait", "Action": "START", "WaitOptions": {"WaitSeconds": 30}}]);
    checkpoint(&mut store, &arn, &token, wait, 110.0).unwrap();
    store.end_invocation(0, "req-1", 105.0, Answer::Answered(json!({"Status": "PENDING"})), 111.0);
    assert!(!store.execution(0).wake);
    assert_eq!(store.next_due(0), Some((140.0, true)));
    store.fire_timers(0, 139.0);
    assert!(!store.execution(0).wake, "not yet due");
    store.fire_timers(0, 140.0);
    assert!(store.execution(0).wake);
    assert_eq!(
        event_types(&store, &arn),
        [
            "ExecutionStarted",
            "WaitStarted",
            "InvocationCompleted",
            "WaitSucceeded"
        ]
    );
    let history = store.history(&arn, true, None, 10, false).unwrap();
    assert_eq!(history["Events"][1]["WaitStartedDetails"]["Duration"], 30);
    assert_eq!(
        history["Events"][1]["WaitStartedDetails"]["ScheduledEndTimestamp"],
        140.0
    );
    assert_eq!(history["Events"][3]["EventId"], 4);
    // The next invocation sees the wait over; the timer does not fire again.
    let envelope = store.begin_invocation(0);
    assert_eq!(
        envelope["InitialExecutionState"]["Operations"][1]["Status"],
        "SUCCEEDED"
    );
    assert_eq!(
        envelope["UpdatedOperationIds"],
        json!(["w"]),
        "the wait changed since the last invocation"
    );
    assert_eq!(
        store.next_due(0),
        Some((3700.0, false)),
        "only the execution's timeout is left"
    );
    let again = store.begin_invocation(0);
    assert_eq!(
        again["UpdatedOperationIds"],
        json!([]),
        "told once, to the first invocation after it ended"
    );
}

#[test]
fn time_skipping_moves_one_executions_clock_to_its_next_wait() {
    let (mut store, arn, token) = started();
    let wait = json!([{"Id": "w", "Type": "WAIT", "Action": "START", "WaitOptions": {"WaitSeconds": 1800}}]);
    checkpoint(&mut store, &arn, &token, wait, 100.0).unwrap();
    store.end_invocation(0, "req-1", 100.0, Answer::Answered(json!({"Status": "PENDING"})), 100.0);
    let (due, skippable) = store.next_due(0).unwrap();
    assert!(skippable);
    store.skip_to(0, due, 101.0);
    store.fire_timers(0, 101.0);
    assert!(store.execution(0).wake);
    let history = store.history(&arn, true, None, 10, false).unwrap();
    assert_eq!(history["Events"][3]["EventType"], "WaitSucceeded");
    assert_eq!(
        history["Events"][3]["EventTimestamp"], 1900.0,
        "the execution's own clock"
    );
    // A wait past the execution's timeout is not skipped to: the timeout comes first, in real time.
    let mut store = Store::default();
    store.start(0, ARN, None, "1".into(), 60, 100.0).unwrap();
    let token = store.begin_invocation(0)["CheckpointToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let arn = store.execution(0).arn.clone();
    let wait = json!([{"Id": "w", "Type": "WAIT", "Action": "START", "WaitOptions": {"WaitSeconds": 1800}}]);
    checkpoint(&mut store, &arn, &token, wait, 100.0).unwrap();
    assert_eq!(store.next_due(0), Some((160.0, false)));
    store.fire_timers(0, 160.0);
    assert_eq!(store.execution(0).status, Status::TimedOut);
}

#[test]
fn a_retried_step_waits_for_its_delay_and_its_events_carry_the_attempts() {
    let (mut store, arn, token) = started();
    let token = checkpoint(
        &mut store,
        &arn,
        &token,
        json!([
            {"Id": "s", "Type": "STEP", "SubType": "Step", "Name": "charge", "Action": "START"},
            {"Id": "s", "Type": "STEP", "Action": "RETRY", "Error": {"ErrorType": "Boom", "ErrorMessage": "no"},
             "StepOptions": {"NextAttemptDelaySeconds": 5}},
        ]),
        100.0,
    )
    .unwrap();
    let state = store.state(&arn, &token, None, 100).unwrap();
    assert_eq!(state["Operations"][1]["Status"], "PENDING");
    store.end_invocation(0, "req-1", 100.0, Answer::Answered(json!({"Status": "PENDING"})), 100.0);
    store.fire_timers(0, 105.0);
    assert!(store.execution(0).wake);
    let envelope = store.begin_invocation(0);
    let token = envelope["CheckpointToken"].as_str().unwrap().to_owned();
    assert_eq!(envelope["InitialExecutionState"]["Operations"][1]["Status"], "READY");
    checkpoint(
        &mut store,
        &arn,
        &token,
        json!([
            {"Id": "s", "Type": "STEP", "Action": "START"},
            {"Id": "s", "Type": "STEP", "Action": "SUCCEED", "Payload": "\"paid\""},
        ]),
        106.0,
    )
    .unwrap();
    let history = store.history(&arn, true, None, 10, false).unwrap();
    let events = history["Events"].as_array().unwrap();
    assert_eq!(events[2]["EventType"], "StepFailed");
    assert_eq!(
        events[2]["StepFailedDetails"]["RetryDetails"],
        json!({"CurrentAttempt": 1, "NextAttemptDelaySeconds": 5})
    );
    assert_eq!(events[2]["StepFailedDetails"]["Error"]["Payload"]["ErrorType"], "Boom");
    assert_eq!(events[5]["EventType"], "StepSucceeded");
    assert_eq!(events[5]["StepSucceededDetails"]["RetryDetails"]["CurrentAttempt"], 2);
    // Without the execution's data, payloads are left out.
    let bare = store.history(&arn, false, None, 10, false).unwrap();
    assert_eq!(
        bare["Events"][5]["StepSucceededDetails"]["Result"],
        json!({"Truncated": true})
    );
}

#[test]
fn a_callback_is_completed_once_and_a_heartbeat_keeps_it_open() {
    let (mut store, arn, token) = started();
    let callback = json!([{"Id": "c", "Type": "CALLBACK", "SubType": "Callback", "Name": "approval", "Action": "START",
                           "CallbackOptions": {"TimeoutSeconds": 3600, "HeartbeatTimeoutSeconds": 60}}]);
    checkpoint(&mut store, &arn, &token, callback, 100.0).unwrap();
    let history = store.history(&arn, true, None, 10, false).unwrap();
    let details = &history["Events"][1]["CallbackStartedDetails"];
    assert_eq!(
        (details["Timeout"].as_u64(), details["HeartbeatTimeout"].as_u64()),
        (Some(3600), Some(60))
    );
    let id = details["CallbackId"].as_str().unwrap().to_owned();
    store.end_invocation(0, "req-1", 100.0, Answer::Answered(json!({"Status": "PENDING"})), 100.0);
    store.heartbeat(&id, 150.0).unwrap();
    store.fire_timers(0, 200.0);
    assert!(!store.execution(0).wake, "the heartbeat at 150 s holds until 210 s");
    store
        .complete_callback(&id, &Completion::Succeeded("{\"ok\":true}".into()), 201.0)
        .unwrap();
    assert!(store.execution(0).wake);
    let again = store
        .complete_callback(&id, &Completion::Succeeded("1".into()), 202.0)
        .unwrap_err();
    assert_eq!(again.code, "ResourceNotFoundException");
    assert_eq!(
        store.heartbeat("nope", 202.0).unwrap_err().code,
        "ResourceNotFoundException"
    );
    let history = store.history(&arn, true, None, 10, false).unwrap();
    assert_eq!(history["Events"][3]["EventType"], "CallbackSucceeded");
    assert_eq!(
        history["Events"][3]["CallbackSucceededDetails"]["Result"]["Payload"],
        "{\"ok\":true}"
    );
}

#[test]
fn a_callback_without_a_heartbeat_times_out() {
    let (mut store, arn, token) = started();
    let callback = json!([{"Id": "c", "Type": "CALLBACK", "Action": "START",
                           "CallbackOptions": {"HeartbeatTimeoutSeconds": 60}}]);
    checkpoint(&mut store, &arn, &token, callback, 100.0).unwrap();
    assert_eq!(
        store.next_due(0),
        Some((160.0, false)),
        "not skipped: a person may still answer"
    );
    store.fire_timers(0, 160.0);
    assert!(store.execution(0).wake);
    let history = store.history(&arn, true, None, 10, false).unwrap();
    let timed_out = &history["Events"][2];
    assert_eq!(timed_out["EventType"], "CallbackTimedOut");
    assert_eq!(
        timed_out["CallbackTimedOutDetails"]["Error"]["Payload"]["ErrorType"],
        "Callback.Heartbeat"
    );
}

#[test]
fn answers_end_the_execution_and_failed_invocations_are_retried_then_fail_it() {
    let (mut store, arn, _) = started();
    let crash = || {
        Answer::InvocationFailed(ErrorObject {
            error_type: Some("Runtime.ExitError".into()),
            error_message: Some("exited".into()),
        })
    };
    for attempt in 1..INVOCATION_ATTEMPTS {
        store.end_invocation(0, "req", 100.0, crash(), 101.0);
        assert_eq!(store.execution(0).status, Status::Running, "attempt {attempt}");
        assert!(store.execution(0).wake, "invoked again");
        store.begin_invocation(0);
    }
    store.end_invocation(0, "req", 100.0, crash(), 101.0);
    assert_eq!(store.execution(0).status, Status::Failed);
    assert_eq!(
        store.execution(0).error.as_ref().unwrap().error_type.as_deref(),
        Some("Runtime.ExitError")
    );
    assert_eq!(
        event_types(&store, &arn).last().map(String::as_str),
        Some("ExecutionFailed")
    );

    let mut store = Store::default();
    store.start(0, ARN, None, "1".into(), 60, 100.0).unwrap();
    store.begin_invocation(0);
    store.end_invocation(
        0,
        "req",
        100.0,
        Answer::Answered(json!({"Status": "SUCCEEDED", "Result": "42"})),
        101.0,
    );
    let described = store.describe(&store.execution(0).arn.clone(), true).unwrap();
    assert_eq!(
        (described["Status"].as_str(), described["Result"].as_str()),
        (Some("SUCCEEDED"), Some("42"))
    );
}

#[test]
fn a_stopped_execution_takes_no_more_checkpoints() {
    let (mut store, arn, token) = started();
    store.stop(&arn, None, 120.0).unwrap();
    let refused = checkpoint(
        &mut store,
        &arn,
        &token,
        json!([{"Id": "a", "Type": "STEP", "Action": "START"}]),
        121.0,
    )
    .unwrap_err();
    assert!(refused.message.contains("STOPPED"), "{}", refused.message);
    assert_eq!(store.stop(&arn, None, 122.0).unwrap_err().status, 400);
    let listed = store.list(0, None, &["STOPPED".to_owned()], false);
    assert_eq!(listed["DurableExecutions"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        store.list(0, None, &["RUNNING".to_owned()], false)["DurableExecutions"],
        json!([])
    );
}

#[test]
fn a_saved_store_is_taken_up_again_by_handler_name() {
    let (mut store, arn, token) = started();
    let callback = json!([{"Id": "c", "Type": "CALLBACK", "Action": "START"}]);
    checkpoint(&mut store, &arn, &token, callback, 100.0).unwrap();
    let gone = "arn:aws:lambda:us-east-1:123456789012:function:gone:$LATEST";
    store.start(1, gone, None, "2".into(), 60, 100.0).unwrap();
    let saved = serde_json::to_string(&store).unwrap();

    let mut store: Store = serde_json::from_str(&saved).unwrap();
    // The handlers are in another order now, and `gone` is not among them.
    let resumed = store.reattach(&["other", "flow"], 101.0);
    assert_eq!(resumed.running, [0]);
    assert_eq!(store.execution(0).function, 1);
    assert!(
        store.execution(0).wake,
        "the invocation in flight died with the process: made again"
    );
    assert_eq!(store.execution(1).status, Status::Failed);
    assert!(
        store
            .execution(1)
            .error
            .as_ref()
            .unwrap()
            .error_message
            .as_deref()
            .unwrap()
            .contains("`gone`"),
        "{:?}",
        store.execution(1).error
    );
    // The callback is the same, and still open.
    let history = store.history(&arn, true, None, 10, false).unwrap();
    let id = history["Events"][1]["CallbackStartedDetails"]["CallbackId"]
        .as_str()
        .unwrap()
        .to_owned();
    store
        .complete_callback(&id, &Completion::Succeeded("1".into()), 102.0)
        .unwrap();
    assert!(
        checkpoint(&mut store, &arn, &token, json!([]), 103.0).is_err(),
        "the old token died too"
    );
}

#[test]
fn any_operation_id_makes_a_callback_id_that_goes_in_a_path() {
    let (mut store, arn, token) = started();
    let callback = json!([{"Id": "ééééééééé-approval-ünd-mehr", "Type": "CALLBACK", "Action": "START"}]);
    checkpoint(&mut store, &arn, &token, callback, 100.0).unwrap();
    let history = store.history(&arn, true, None, 10, false).unwrap();
    let id = history["Events"][1]["CallbackStartedDetails"]["CallbackId"]
        .as_str()
        .unwrap();
    assert!(id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.'), "{id}");
    store
        .complete_callback(id, &Completion::Succeeded("1".into()), 101.0)
        .unwrap();
}

#[test]
fn each_update_of_a_batch_is_checked_against_what_the_updates_before_it_did() {
    let (mut store, arn, token) = started();
    let twice = json!([
        {"Id": "s", "Type": "STEP", "Action": "START"},
        {"Id": "s", "Type": "STEP", "Action": "SUCCEED", "Payload": "1"},
        {"Id": "s", "Type": "STEP", "Action": "SUCCEED", "Payload": "2"},
    ]);
    let refused = checkpoint(&mut store, &arn, &token, twice, 100.0).unwrap_err();
    assert!(refused.message.contains("already over"), "{}", refused.message);
    let retyped = json!([
        {"Id": "s", "Type": "STEP", "Action": "START"},
        {"Id": "s", "Type": "WAIT", "Action": "START"},
    ]);
    let refused = checkpoint(&mut store, &arn, &token, retyped, 100.0).unwrap_err();
    assert!(
        refused.message.starts_with("Inconsistent operation type"),
        "{}",
        refused.message
    );
    assert_eq!(
        event_types(&store, &arn),
        ["ExecutionStarted"],
        "nothing of either was applied"
    );
    // A batch whose later updates follow from its earlier ones is what the SDKs send.
    let fine = json!([
        {"Id": "s", "Type": "STEP", "Action": "START"},
        {"Id": "s", "Type": "STEP", "Action": "RETRY", "StepOptions": {"NextAttemptDelaySeconds": 1}},
    ]);
    checkpoint(&mut store, &arn, &token, fine, 100.0).unwrap();
}

#[test]
fn the_chained_invokes_in_flight_are_taken_up_again_after_a_restart() {
    let (mut store, arn, token) = started();
    let invokes = json!([
        {"Id": "plain", "Type": "CHAINED_INVOKE", "Action": "START", "Payload": "1",
         "ChainedInvokeOptions": {"FunctionName": "price"}},
        {"Id": "durable", "Type": "CHAINED_INVOKE", "Action": "START", "Payload": "2",
         "ChainedInvokeOptions": {"FunctionName": "flow"}},
    ]);
    checkpoint(&mut store, &arn, &token, invokes, 100.0).unwrap();
    assert_eq!(store.take_calls(0).len(), 2);
    let Started::New(child) = store.start(1, ARN, None, "2".into(), 60, 100.0).unwrap() else {
        panic!("a new execution");
    };
    store.link_child(0, "durable", child);
    let history = store.history(&arn, true, None, 10, false).unwrap();
    assert_eq!(
        history["Events"][2]["ChainedInvokeStartedDetails"]["DurableExecutionArn"],
        store.execution(child).arn
    );

    let mut store: Store = serde_json::from_str(&serde_json::to_string(&store).unwrap()).unwrap();
    let resumed = store.reattach(&["flow", "price"], 101.0);
    assert_eq!(resumed.running, [0, 1]);
    let calls: Vec<(&str, Option<usize>)> = resumed
        .calls
        .iter()
        .map(|(call, child)| (call.function.as_str(), *child))
        .collect();
    assert_eq!(calls, [("price", None), ("flow", Some(child))]);
    assert_eq!(resumed.calls[0].0.payload, "1");
}
