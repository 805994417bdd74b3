//! The plugin suite (`10-*`): instrumentation plugins registered with `durable(plugins = [...])`, each
//! writing a JSON object per hook to plain stdout, as the requirements describe. Every object carries the
//! execution's ARN (`durableExecutionArn`, learnt in the invocation-start hook), which is how the suite's
//! log retrieval finds one execution's lines.

use std::time::Duration;

use lambda_fn::Error;
use lambda_fn::durable::plugin::{
    AttemptOutcome, InvocationInfo, InvocationStatus, OperationEnd, OperationInfo, OperationKind, Plugin,
};
use lambda_fn::durable::{DurableContext, Retry};
use serde_json::{Map, Value, json};

use crate::attempts;

/// The hooks a [`ConfPlugin`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hooks {
    /// Invocation start (with `first`) and end (with `status`).
    Invocation,
    /// Operation start and end of steps, with the operation's id (and its status at the end).
    Operation,
    /// Attempt start and end of steps, with the attempt's number and id (and its outcome at the end).
    Attempt,
    /// Every hook, each writing its line and then panicking.
    AllFaulty,
}

/// The suite's instrumentation plugin, named `name` in its lines.
#[derive(Debug)]
pub struct ConfPlugin {
    name: &'static str,
    hooks: Hooks,
    arn: Option<String>,
}

impl ConfPlugin {
    /// A plugin writing `hooks` as `name`.
    pub fn new(name: &'static str, hooks: Hooks) -> ConfPlugin {
        ConfPlugin { name, hooks, arn: None }
    }

    /// Writes the hook's line, stamped with the plugin's name and the execution's ARN; a faulty plugin
    /// then panics, which the runtime must catch.
    fn write(&self, hook: &str, fields: Value) {
        let mut line = Map::new();
        line.insert("plugin".into(), json!(self.name));
        line.insert("hook".into(), json!(hook));
        if let Value::Object(fields) = fields {
            line.extend(fields);
        }
        if let Some(arn) = &self.arn {
            line.insert("durableExecutionArn".into(), json!(arn));
        }
        println!("{}", Value::Object(line));
        if self.hooks == Hooks::AllFaulty {
            panic!("{} fails in its {hook} hook", self.name);
        }
    }

    fn watches(&self, hooks: Hooks, operation: &OperationInfo<'_>) -> bool {
        (self.hooks == hooks || self.hooks == Hooks::AllFaulty) && operation.kind == OperationKind::Step
    }
}

impl Plugin for ConfPlugin {
    fn on_invocation_start(&mut self, invocation: &InvocationInfo<'_>) {
        self.arn = Some(invocation.execution_arn.to_owned());
        if matches!(self.hooks, Hooks::Invocation | Hooks::AllFaulty) {
            self.write("invocation-start", json!({"first": invocation.first}));
        }
    }

    fn on_invocation_end(&mut self, _: &InvocationInfo<'_>, status: InvocationStatus) {
        if matches!(self.hooks, Hooks::Invocation | Hooks::AllFaulty) {
            self.write("invocation-end", json!({"status": status.as_str()}));
        }
    }

    fn on_operation_start(&mut self, operation: &OperationInfo<'_>) {
        if self.watches(Hooks::Operation, operation) {
            self.write("operation-start", json!({"op": operation.id}));
        }
    }

    fn on_operation_end(&mut self, operation: &OperationInfo<'_>, status: OperationEnd) {
        if self.watches(Hooks::Operation, operation) {
            self.write("operation-end", json!({"op": operation.id, "status": status.as_str()}));
        }
    }

    fn on_attempt_start(&mut self, operation: &OperationInfo<'_>, attempt: u32) {
        if self.watches(Hooks::Attempt, operation) {
            self.write("attempt-start", json!({"n": attempt, "op": operation.id}));
        }
    }

    fn on_attempt_end(&mut self, operation: &OperationInfo<'_>, attempt: u32, outcome: AttemptOutcome) {
        if self.watches(Hooks::Attempt, operation) {
            self.write(
                "attempt-end",
                json!({"n": attempt, "outcome": outcome.as_str(), "op": operation.id}),
            );
        }
    }
}

/// The greeting step of 10-1, 10-2, 10-4 and 10-5; its body logs through the durable logger.
async fn greet(name: String, ctx: &DurableContext) -> Result<String, Error> {
    let logger = ctx.logger();
    ctx.step("greet", || async move {
        logger.info(format_args!("Greeting step running for: {name}"));
        Ok::<_, Error>(format!("Hello, {name}!"))
    })
    .await
}

/// 10-1: invocation hooks around a single greeting step.
#[lambda_fn::handler("conformance.10-1", durable(plugins = [ConfPlugin::new("CONFPLUGIN", Hooks::Invocation)]))]
pub async fn invocation_hooks(name: String, ctx: DurableContext) -> Result<String, Error> {
    greet(name, &ctx).await
}

/// 10-2: the step's operation hooks, with the id the history records.
#[lambda_fn::handler("conformance.10-2", durable(plugins = [ConfPlugin::new("CONFPLUGIN", Hooks::Operation)]))]
pub async fn operation_hooks(name: String, ctx: DurableContext) -> Result<String, Error> {
    greet(name, &ctx).await
}

/// 10-3: attempt hooks of a step that fails its first attempt and succeeds on its second, 1 s later.
#[lambda_fn::handler("conformance.10-3", durable(plugins = [ConfPlugin::new("CONFPLUGIN", Hooks::Attempt)]))]
pub async fn attempt_hooks(_: Value, ctx: DurableContext) -> Result<String, Error> {
    let retry = Retry::attempts(3).delay(Duration::from_secs(1));
    ctx.step_with("unreliable", retry, || async {
        if attempts::count("10-3") == 1 {
            return Err(Error::new("Unreliable", "the first attempt fails"));
        }
        Ok("Operation succeeded".to_owned())
    })
    .await
}

/// 10-4: a plugin whose every hook writes its line and panics; the execution is as without it.
#[lambda_fn::handler("conformance.10-4", durable(plugins = [ConfPlugin::new("CONFPLUGIN-FAULTY", Hooks::AllFaulty)]))]
pub async fn faulty_plugin(name: String, ctx: DurableContext) -> Result<String, Error> {
    greet(name, &ctx).await
}

/// 10-5: two plugins, A then B, both told of the invocation.
#[lambda_fn::handler(
    "conformance.10-5",
    durable(plugins = [
        ConfPlugin::new("CONFPLUGIN-A", Hooks::Invocation),
        ConfPlugin::new("CONFPLUGIN-B", Hooks::Invocation),
    ])
)]
pub async fn two_plugins(name: String, ctx: DurableContext) -> Result<String, Error> {
    greet(name, &ctx).await
}

/// 10-6: a 2-second wait: the first invocation is `first`, the one after the wait is not.
#[lambda_fn::handler("conformance.10-6", durable(plugins = [ConfPlugin::new("CONFPLUGIN", Hooks::Invocation)]))]
pub async fn first_flag(_: Value, ctx: DurableContext) -> Result<(), Error> {
    ctx.wait("pause", Duration::from_secs(2)).await
}

/// 10-7: a step that always fails, without retries: the invocation ends `FAILED`.
#[lambda_fn::handler("conformance.10-7", durable(plugins = [ConfPlugin::new("CONFPLUGIN", Hooks::Invocation)]))]
pub async fn terminal_failure(_: Value, ctx: DurableContext) -> Result<(), Error> {
    ctx.step_with("failing", Retry::none(), || async {
        Err::<(), _>(Error::new("AlwaysFails", "this step always fails"))
    })
    .await
}
