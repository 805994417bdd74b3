//! `cargo lambda-rt template`: the AWS SAM template of a built binary, from its `bootstrap manifest`, with the user's
//! own resources and overrides merged in from a hand-written file.
//!
//! One function per handler (`Handler` = the handler name, `provided.al2023`, the binary's
//! architecture); its memory, timeout and triggers from the annotation; HTTP API events for its routes;
//! `FunctionResponseTypes: [ReportBatchItemFailures]` on the SQS events of batch handlers;
//! `InvokeMode: RESPONSE_STREAM` on the URL of a streaming handler. A queue named by a logical id
//! (`sqs = "OrdersQueue"`) is created as an `AWS::SQS::Queue` resource of that name; one named by its
//! ARN is used as it is.
//!
//! The overrides file (YAML, CloudFormation's long-form intrinsics: `{Ref: X}`, `{"Fn::GetAtt": [X,
//! Arn]}`; a short-form `!Ref` is an error at its line) is merged key by key into the generated template:
//! maps merge, anything else replaces, and a `null` removes what was generated (a function not to deploy,
//! say).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use lambda_fn_manifest::{Api, Handler, InvokeMode, Manifest, Trigger};
use serde_json::{Map, Value, json};

use crate::{Error, Result};

/// What `cargo xtask template` does; [`Default`] is the examples' template.
#[derive(Debug, Clone)]
pub struct TemplateOptions {
    /// The workspace package with the binary.
    pub package: String,
    /// Its binary.
    pub bin: String,
    /// The hand-written overrides, merged in when the file exists.
    pub overrides: PathBuf,
    /// Where the template goes.
    pub out: PathBuf,
    /// `CodeUri`, relative to the template: the zip `cargo xtask package` writes.
    pub code_uri: String,
    /// Compare with `out` instead of writing it (CI: fails when regenerating would change it).
    pub check: bool,
    /// `x86_64` or `arm64`, for a zip built for another architecture than this machine's (the manifest
    /// comes from a build for this machine).
    pub architecture: Option<String>,
    /// The workspace root.
    pub workspace: PathBuf,
}

impl Default for TemplateOptions {
    fn default() -> Self {
        TemplateOptions {
            package: String::new(),
            bin: "bootstrap".into(),
            overrides: PathBuf::new(),
            out: PathBuf::new(),
            code_uri: String::new(),
            check: false,
            architecture: None,
            workspace: crate::workspace_root(),
        }
    }
}

/// `to` relative to the folder `from` (both absolute), as a template's `CodeUri` wants it.
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to_parts: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Builds the binary, reads its manifest, generates the template, merges the overrides, then writes it
/// (or, with `check`, says whether the file is up to date). Returns what it did, for the user.
pub fn template(options: &TemplateOptions) -> Result<String> {
    let mut options = options.clone();
    let deployable = crate::deployable(&options.workspace, &options.package, &options.bin)?;
    options.package = deployable.name.clone();
    if options.out.as_os_str().is_empty() {
        options.out = deployable.dir.join("template.yaml");
    }
    if options.overrides.as_os_str().is_empty() {
        options.overrides = deployable.dir.join("template.overrides.yaml");
    }
    if options.code_uri.is_empty() {
        let zip = crate::PackageOptions {
            package: options.package.clone(),
            workspace: options.workspace.clone(),
            ..crate::PackageOptions::default()
        }
        .zip_path()?;
        let out_dir = options.out.parent().map(Path::to_path_buf).unwrap_or_default();
        options.code_uri = relative(&out_dir, &zip);
    }
    let options = &options;
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(&options.workspace)
        .args([
            "run",
            "--quiet",
            "-p",
            &options.package,
            "--bin",
            &options.bin,
            "--",
            "manifest",
        ])
        .env_remove("AWS_LAMBDA_RUNTIME_API")
        .output()
        .map_err(|e| Error::new(format!("cannot run cargo: {e}")))?;
    if !output.status.success() {
        return Err(Error::new(format!(
            "`{} manifest` failed:\n{}",
            options.bin,
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    let mut manifest =
        Manifest::from_json(&output.stdout).map_err(|e| Error::new(format!("`{} manifest`: {e}", options.bin)))?;
    let zip = options
        .workspace
        .join(&options.out)
        .parent()
        .map(|dir| dir.join(&options.code_uri));
    let built = match zip.as_deref().filter(|zip| zip.is_file()) {
        Some(zip) => Some((zip_architecture(zip)?, zip)),
        None => None,
    };
    manifest.architecture = resolve_architecture(&manifest, options.architecture.as_deref(), built)?;
    let mut template = generate(&manifest, &options.code_uri)?;
    if options.overrides.exists() {
        merge(&mut template, read_overrides(&options.overrides)?);
    }
    let overrides = options
        .overrides
        .strip_prefix(&options.workspace)
        .unwrap_or(&options.overrides)
        .display()
        .to_string();
    let header = format!(
        "Generated by `cargo lambda-rt template` from `{bin} manifest` (package {package}) and {overrides}: do\n\
         not edit; change the handlers' annotations or the overrides, then run it again.\n\n\
         Deploy: cargo lambda-rt package && sam deploy --guided --template-file {out}",
        bin = options.bin,
        package = options.package,
        out = options
            .out
            .strip_prefix(&options.workspace)
            .unwrap_or(&options.out)
            .display(),
    );
    let text = to_yaml(&template, &header);
    if options.check {
        let current = std::fs::read_to_string(&options.out).unwrap_or_default();
        if current != text {
            return Err(Error::new(format!(
                "{} is not what `cargo lambda-rt template` generates from the binary: run it and commit the result",
                options.out.display()
            )));
        }
        return Ok(format!("{} is up to date\n", options.out.display()));
    }
    std::fs::write(&options.out, &text).map_err(|e| Error::new(format!("{}: {e}", options.out.display())))?;
    let functions = template["Resources"].as_object().map_or(0, |r| {
        r.values().filter(|v| v["Type"] == "AWS::Serverless::Function").count()
    });
    Ok(format!("wrote {} ({functions} functions)\n", options.out.display()))
}

/// The functions' timeout when the annotation sets none (`Globals`).
const GLOBAL_TIMEOUT_S: u32 = 10;

/// What the functions of a template share, gathered while each is written: the resources their
/// triggers make the template create, and the ALB rules, written once every function is known.
#[derive(Default)]
struct Shared {
    /// Queues the template creates, with the longest timeout of the functions each feeds.
    queues: BTreeMap<String, u32>,
    /// Topics and buckets the template creates, with their resource type.
    created: BTreeMap<String, &'static str>,
    /// Every `alb(...)` trigger.
    albs: Vec<AlbRule>,
}

/// The generated template (before overrides) for `manifest`, whose zip is at `code_uri`.
pub fn generate(manifest: &Manifest, code_uri: &str) -> Result<Value> {
    let mut resources = Map::new();
    let mut shared = Shared::default();
    for handler in &manifest.handlers {
        for call in &handler.calls {
            if !manifest.handlers.iter().any(|h| &h.name == call) {
                return Err(Error::new(format!(
                    "`{}` calls `{call}`, and this binary has no handler of that name",
                    handler.name
                )));
            }
        }
    }
    for handler in &manifest.handlers {
        let id = format!("{}Function", logical_id(&handler.name));
        if resources.contains_key(&id) {
            return Err(Error::new(format!(
                "two handlers make the logical id `{id}` (`{}` and another): rename one",
                handler.name
            )));
        }
        let mut function = function(handler, &id, &mut shared);
        wire_calls(&mut function, handler, manifest);
        resources.insert(id, function);
    }
    alb_resources(shared.albs, &mut resources)?;
    for (id, kind) in shared.created {
        if resources.contains_key(&id) {
            return Err(Error::new(format!(
                "`{id}` is the logical id of a generated function and of a {kind}: name one otherwise"
            )));
        }
        resources.insert(id, json!({"Type": kind}));
    }
    for (queue, timeout) in shared.queues {
        if resources.contains_key(&queue) {
            return Err(Error::new(format!(
                "the queue `{queue}` has the logical id of a generated function: name the queue otherwise"
            )));
        }
        resources.insert(
            queue,
            json!({"Type": "AWS::SQS::Queue", "Properties": {"VisibilityTimeout": (timeout * 6).max(30)}}),
        );
    }
    Ok(json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Transform": "AWS::Serverless-2016-10-31",
        "Description": format!("{} handlers of one bootstrap, generated from its manifest", manifest.handlers.len()),
        "Globals": {"Function": {
            "Runtime": "provided.al2023",
            "Architectures": [manifest.architecture],
            "CodeUri": code_uri,
            "MemorySize": 128,
            "Timeout": GLOBAL_TIMEOUT_S,
            "LoggingConfig": {"LogFormat": "JSON"},
        }},
        "Resources": resources,
    }))
}

/// Gives the function of `handler` what its typed calls need (`calls = [...]`), for each handler it calls:
/// the variable that names that handler's function (`LAMBDA_RT_FUNCTION_<HANDLER>`; a durable one
/// qualified `:$LATEST`, as a durable function is invoked) and the permission to invoke it.
fn wire_calls(function: &mut Value, handler: &Handler, manifest: &Manifest) {
    if handler.calls.is_empty() {
        return;
    }
    let properties = &mut function["Properties"];
    let mut policies = Vec::new();
    for call in &handler.calls {
        let target_id = format!("{}Function", logical_id(call));
        let durable = manifest.handlers.iter().any(|h| &h.name == call && h.durable.is_some());
        let name = match durable {
            true => json!({"Fn::Sub": format!("${{{target_id}}}:$LATEST")}),
            false => json!({"Ref": target_id}),
        };
        properties["Environment"]["Variables"][lambda_fn_manifest::function_variable(call)] = name;
        policies.push(json!({"LambdaInvokePolicy": {"FunctionName": {"Ref": target_id}}}));
    }
    properties["Policies"] = Value::Array(policies);
}

/// The `AWS::Serverless::Function` of `handler`, whose logical id is `id`: its settings, its routes'
/// API events, and an event (or URL) per trigger.
fn function(handler: &Handler, id: &str, shared: &mut Shared) -> Value {
    let mut properties = Map::new();
    properties.insert("Handler".into(), json!(handler.name));
    // Lambda takes at most 256 characters.
    let description = format!("{}: {} -> {}", handler.name, handler.event_type, handler.return_type);
    properties.insert(
        "Description".into(),
        json!(description.chars().take(256).collect::<String>()),
    );
    if let Some(memory) = handler.memory_size {
        properties.insert("MemorySize".into(), json!(memory));
    }
    if let Some(timeout) = handler.timeout {
        properties.insert("Timeout".into(), json!(timeout));
    }
    if let Some(reserved) = handler.reserved_concurrency {
        properties.insert("ReservedConcurrentExecutions".into(), json!(reserved));
    }
    if !handler.environment.is_empty() {
        properties.insert("Environment".into(), json!({"Variables": handler.environment}));
    }
    if let Some(durable) = handler.durable {
        // SAM gives the role of a function with a DurableConfig the managed policy that lets it checkpoint
        // and read its execution's state (AWSLambdaBasicDurableExecutionRolePolicy).
        let mut config = json!({"ExecutionTimeout": durable.execution_timeout});
        if let Some(days) = durable.retention_period_in_days {
            config["RetentionPeriodInDays"] = json!(days);
        }
        properties.insert("DurableConfig".into(), config);
    }
    let mut events = Map::new();
    let api = match handler.api {
        Api::Http => "HttpApi",
        Api::Rest => "Api",
    };
    for (index, route) in handler.routes.iter().enumerate() {
        events.insert(
            format!("Route{index}"),
            json!({"Type": api, "Properties": {"Path": route.path, "Method": route.method.to_ascii_lowercase()}}),
        );
    }
    for (index, trigger) in handler.triggers.iter().enumerate() {
        match trigger {
            Trigger::Sqs {
                queue,
                batch_size,
                window_seconds,
            } => {
                let event = sqs_event(handler, queue, *batch_size, *window_seconds, &mut shared.queues);
                events.insert(format!("Queue{index}"), event);
            }
            Trigger::Sns { topic } => {
                events.insert(format!("Topic{index}"), sns_event(topic, &mut shared.created));
            }
            Trigger::Kinesis { stream } => {
                events.insert(
                    format!("Stream{index}"),
                    stream_event(handler, "Kinesis", stream, "Arn"),
                );
            }
            Trigger::DynamoDb { table } => {
                events.insert(
                    format!("Stream{index}"),
                    stream_event(handler, "DynamoDB", table, "StreamArn"),
                );
            }
            Trigger::S3 { bucket } => {
                events.insert(format!("Bucket{index}"), s3_event(bucket, &mut shared.created));
            }
            Trigger::Schedule { expression } => {
                events.insert(format!("Schedule{index}"), schedule_event(expression));
            }
            Trigger::EventBridge { pattern, bus } => {
                events.insert(format!("Rule{index}"), eventbridge_event(pattern, bus.as_deref()));
            }
            Trigger::Alb {
                listener,
                path,
                priority,
            } => {
                // SAM has no ALB event: the target group, its permission and the listener rule are written
                // as resources once every function is known (the priorities are per listener).
                shared.albs.push(AlbRule {
                    function: id.to_owned(),
                    handler: handler.name.clone(),
                    listener: listener.clone(),
                    path: path.clone(),
                    priority: *priority,
                });
            }
            Trigger::Url { invoke_mode } => {
                properties.insert("FunctionUrlConfig".into(), url_config(handler, *invoke_mode));
            }
        }
    }
    if !events.is_empty() {
        properties.insert("Events".into(), Value::Object(events));
    }
    json!({"Type": "AWS::Serverless::Function", "Properties": properties})
}

/// `FunctionResponseTypes: [ReportBatchItemFailures]`, for the event source mapping of a batch handler.
fn report_batch_item_failures(handler: &Handler, properties: &mut Value) {
    if handler.batch.is_some() {
        properties["FunctionResponseTypes"] = json!(["ReportBatchItemFailures"]);
    }
}

/// An `SQS` event. A queue named by a logical id is created by the template, with a visibility timeout
/// of at least 6 x the longest timeout of the functions it feeds (as Lambda recommends); an ARN is used
/// as it is.
fn sqs_event(
    handler: &Handler,
    queue: &str,
    batch_size: Option<u32>,
    window_seconds: Option<u32>,
    queues: &mut BTreeMap<String, u32>,
) -> Value {
    let reference = if queue.starts_with("arn:") {
        json!(queue)
    } else {
        let longest = queues.entry(queue.to_owned()).or_insert(0);
        *longest = (*longest).max(handler.timeout.unwrap_or(GLOBAL_TIMEOUT_S));
        json!({"Fn::GetAtt": [queue, "Arn"]})
    };
    let mut properties = json!({"Queue": reference});
    if let Some(size) = batch_size {
        properties["BatchSize"] = json!(size);
    }
    if let Some(window) = window_seconds {
        properties["MaximumBatchingWindowInSeconds"] = json!(window);
    }
    report_batch_item_failures(handler, &mut properties);
    json!({"Type": "SQS", "Properties": properties})
}

/// An `SNS` event: a topic named by a logical id is created by the template, an ARN used as it is.
fn sns_event(topic: &str, created: &mut BTreeMap<String, &'static str>) -> Value {
    let reference = if topic.starts_with("arn:") {
        json!(topic)
    } else {
        created.insert(topic.to_owned(), "AWS::SNS::Topic");
        json!({"Ref": topic})
    };
    json!({"Type": "SNS", "Properties": {"Topic": reference}})
}

/// A `Kinesis` or `DynamoDB` event. The stream or table is the user's (its shards, its keys): defined
/// in the overrides, named here by its logical id and the attribute that gives the stream's ARN.
fn stream_event(handler: &Handler, event: &str, source: &str, arn_attribute: &str) -> Value {
    let mut properties = json!({
        "Stream": {"Fn::GetAtt": [source, arn_attribute]},
        "StartingPosition": "LATEST",
    });
    report_batch_item_failures(handler, &mut properties);
    json!({"Type": event, "Properties": properties})
}

/// An `S3` event for the objects created in a bucket the template creates.
fn s3_event(bucket: &str, created: &mut BTreeMap<String, &'static str>) -> Value {
    created.insert(bucket.to_owned(), "AWS::S3::Bucket");
    json!({"Type": "S3", "Properties": {"Bucket": {"Ref": bucket}, "Events": "s3:ObjectCreated:*"}})
}

/// A `Schedule` event.
fn schedule_event(expression: &str) -> Value {
    json!({"Type": "Schedule", "Properties": {"Schedule": expression}})
}

/// An `EventBridgeRule` event, on the default bus unless one is named.
fn eventbridge_event(pattern: &Value, bus: Option<&str>) -> Value {
    let mut rule = json!({"Pattern": pattern});
    if let Some(bus) = bus {
        rule["EventBusName"] = json!(bus);
    }
    json!({"Type": "EventBridgeRule", "Properties": rule})
}

/// A function URL's configuration: it streams when the handler does or the annotation says so.
fn url_config(handler: &Handler, invoke_mode: InvokeMode) -> Value {
    let mut url = json!({"AuthType": "NONE"});
    if handler.streaming || invoke_mode == InvokeMode::ResponseStream {
        url["InvokeMode"] = json!("RESPONSE_STREAM");
    }
    url
}

/// One `alb(...)` trigger of a function.
struct AlbRule {
    function: String,
    handler: String,
    listener: String,
    path: String,
    priority: u32,
}

/// The resources that make functions the targets of ALB listener rules: per function, the permission
/// for load balancers to invoke it; per function and listener, a Lambda target group (a target group
/// serves one load balancer); per trigger, a listener rule forwarding its path to that group. Two rules
/// with one priority on a listener are an error here rather than a failed deploy.
fn alb_resources(rules: Vec<AlbRule>, resources: &mut Map<String, Value>) -> Result<()> {
    let mut taken: BTreeMap<(&str, u32), &str> = BTreeMap::new();
    for rule in &rules {
        if let Some(other) = taken.insert((&rule.listener, rule.priority), &rule.handler) {
            return Err(Error::new(format!(
                "`{other}` and `{}` both take priority {} on the listener `{}`: a listener's rules need \
                 priorities of their own",
                rule.handler, rule.priority, rule.listener
            )));
        }
    }
    // The listeners of each function, in the order first met: its target groups' numbers.
    let mut listeners: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut rule_index: BTreeMap<&str, usize> = BTreeMap::new();
    for rule in &rules {
        let function = rule.function.as_str();
        let permission = format!("{function}AlbPermission");
        resources.entry(permission.clone()).or_insert_with(|| {
            json!({"Type": "AWS::Lambda::Permission", "Properties": {
                "Action": "lambda:InvokeFunction",
                "FunctionName": {"Fn::GetAtt": [function, "Arn"]},
                "Principal": "elasticloadbalancing.amazonaws.com",
            }})
        });
        let seen = listeners.entry(function).or_default();
        let number = match seen.iter().position(|l| *l == rule.listener) {
            Some(number) => number,
            None => {
                seen.push(&rule.listener);
                seen.len() - 1
            }
        };
        let target_group = format!("{function}TargetGroup{number}");
        resources.entry(target_group.clone()).or_insert_with(|| {
            // The load balancer checks its permission when the target is registered.
            json!({"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "DependsOn": permission, "Properties": {
                "TargetType": "lambda",
                "Targets": [{"Id": {"Fn::GetAtt": [function, "Arn"]}}],
            }})
        });
        let index = rule_index.entry(function).or_insert(0);
        let listener = if rule.listener.starts_with("arn:") {
            json!(rule.listener)
        } else {
            json!({"Ref": rule.listener})
        };
        resources.insert(
            format!("{function}ListenerRule{index}"),
            json!({"Type": "AWS::ElasticLoadBalancingV2::ListenerRule", "Properties": {
                "ListenerArn": listener,
                "Priority": rule.priority,
                "Conditions": [{"Field": "path-pattern", "PathPatternConfig": {"Values": [rule.path]}}],
                "Actions": [{"Type": "forward", "TargetGroupArn": {"Ref": target_group}}],
            }}),
        );
        *index += 1;
    }
    Ok(())
}

/// The template's `Architectures`: `--architecture`, else the handlers' `architecture = "..."`, else the
/// machine that ran the manifest (the binary's). One binary runs on one architecture, so two that
/// disagree are an error saying which to change; and when the zip to deploy exists, the `bootstrap` inside
/// it (`built`, read from its ELF header) must be built for the chosen one. The result does not depend on
/// the zip, so `--check` gives the same answer on every machine.
pub fn resolve_architecture(manifest: &Manifest, flag: Option<&str>, built: Option<(&str, &Path)>) -> Result<String> {
    if let Some(flag) = flag
        && !matches!(flag, "x86_64" | "arm64")
    {
        return Err(Error::new(format!(
            "--architecture {flag}: Lambda runs x86_64 or arm64"
        )));
    }
    let mut declared: Option<(&str, String)> = None;
    for handler in &manifest.handlers {
        let Some(arch) = handler.architecture.as_deref() else {
            continue;
        };
        let at = format!("`{}` ({}:{})", handler.name, handler.source.file, handler.source.line);
        match &declared {
            Some((first, first_at)) if *first != arch => {
                return Err(Error::new(format!(
                    "{first_at} says `architecture = \"{first}\"` and {at} says `architecture = \"{arch}\"`: the \
                     handlers of one binary run on one architecture, so give them the same"
                )));
            }
            Some(_) => {}
            None => declared = Some((arch, at)),
        }
    }
    if let (Some((arch, at)), Some(flag)) = (&declared, flag)
        && *arch != flag
    {
        return Err(Error::new(format!(
            "{at} says `architecture = \"{arch}\"`, and --architecture says {flag}: drop one of them"
        )));
    }
    let (chosen, why) = match (flag, &declared) {
        (Some(flag), _) => (flag, "--architecture".to_owned()),
        (None, Some((arch, at))) => (*arch, format!("{at}'s annotation")),
        (None, None) => (
            manifest.architecture.as_str(),
            "the binary the manifest came from".to_owned(),
        ),
    };
    if let Some((built, zip)) = built
        && built != chosen
    {
        let target = if chosen == "arm64" {
            "aarch64-unknown-linux-gnu"
        } else {
            "x86_64-unknown-linux-gnu"
        };
        return Err(Error::new(format!(
            "the template is for {chosen} ({why}), but {} holds a bootstrap built for {built}: package it with \
             `cargo lambda-rt package --target {target}`{}",
            zip.display(),
            if declared.is_none() && flag.is_none() {
                format!(", or give `--architecture {built}`")
            } else {
                String::new()
            }
        )));
    }
    Ok(chosen.to_owned())
}

/// The architecture of the `bootstrap` inside the zip at `zip`, in Lambda's words (`x86_64`, `arm64`).
pub fn zip_architecture(zip: &Path) -> Result<&'static str> {
    use std::io::Read;
    let file = std::fs::File::open(zip).map_err(|e| Error::new(format!("{}: {e}", zip.display())))?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|e| Error::new(format!("{}: not a zip: {e}", zip.display())))?;
    let mut entry = archive
        .by_name("bootstrap")
        .map_err(|e| Error::new(format!("{}: no `bootstrap` inside: {e}", zip.display())))?;
    // The ELF header is all that is read.
    let mut header = vec![0u8; 64];
    entry
        .read_exact(&mut header)
        .map_err(|e| Error::new(format!("{}: cannot read its bootstrap: {e}", zip.display())))?;
    crate::elf::machine(&header).map(|arch| arch.lambda_name())
}

/// `hello.ALB` -> `HelloALB`: the letters and digits, each part capitalised.
pub fn logical_id(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// Merges `overrides` into `base`: maps key by key, anything else replaced, `null` removes.
pub fn merge(base: &mut Value, overrides: Value) {
    match (base, overrides) {
        (Value::Object(base), Value::Object(overrides)) => {
            for (key, value) in overrides {
                if value.is_null() {
                    base.remove(&key);
                } else {
                    match base.get_mut(&key) {
                        Some(existing) => merge(existing, value),
                        None => {
                            base.insert(key, value);
                        }
                    }
                }
            }
        }
        (base, overrides) => *base = overrides,
    }
}

/// Reads the YAML overrides file as JSON values. CloudFormation's short-form tags (`!Ref X`) are an
/// error at their line: the YAML reader would take them for plain strings, and the template would say
/// `"X"` where the user meant a reference.
pub fn read_overrides(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::new(format!("{}: {e}", path.display())))?;
    if let Some((tag, line, column)) = first_local_tag(&text) {
        let name = tag.trim_start_matches("Fn::");
        let long = match name {
            "Ref" => "{Ref: X}".to_owned(),
            "Condition" => "{Condition: X}".to_owned(),
            _ => format!("{{\"Fn::{name}\": ...}}"),
        };
        return Err(Error::new(format!(
            "{}:{line}:{column}: `!{tag}` is a short-form intrinsic, which the overrides cannot carry: write the \
             long form, {long}",
            path.display()
        )));
    }
    let docs = yaml_rust2::YamlLoader::load_from_str(&text)
        .map_err(|e| Error::new(format!("{}: not YAML: {e}", path.display())))?;
    Ok(docs.into_iter().next().map_or(Value::Null, |doc| to_json(&doc)))
}

/// The first local tag (`!Ref`, `!GetAtt`, ...: handle `!`) of a YAML text, with the line and column
/// (from 1) where the tag is written; YAML's own `!!str` and the like are not local. The scanner's tokens
/// carry the tag's own position (the parser's events carry the tagged value's, a line later for a block
/// list). A text that does not scan stops the search: loading it says why.
fn first_local_tag(text: &str) -> Option<(String, usize, usize)> {
    use yaml_rust2::scanner::{Scanner, Token, TokenType};
    Scanner::new(text.chars()).find_map(|Token(mark, token)| match token {
        // The scanner counts lines from 1 and columns from 0.
        TokenType::Tag(handle, suffix) if handle == "!" => Some((suffix, mark.line(), mark.col() + 1)),
        _ => None,
    })
}

fn to_json(yaml: &yaml_rust2::Yaml) -> Value {
    use yaml_rust2::Yaml;
    match yaml {
        Yaml::Real(text) => text.parse::<f64>().map_or(json!(text), |f| json!(f)),
        Yaml::Integer(i) => json!(i),
        Yaml::String(s) => json!(s),
        Yaml::Boolean(b) => json!(b),
        Yaml::Array(items) => Value::Array(items.iter().map(to_json).collect()),
        Yaml::Hash(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Yaml::String(s) | Yaml::Real(s) => s.clone(),
                        Yaml::Integer(i) => i.to_string(),
                        Yaml::Boolean(b) => b.to_string(),
                        other => format!("{other:?}"),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Yaml::Null | Yaml::BadValue | Yaml::Alias(_) => Value::Null,
    }
}

/// The template as YAML, after `header` (comment lines).
pub fn to_yaml(template: &Value, header: &str) -> String {
    let mut out = String::new();
    for line in header.lines() {
        out.push_str(&format!("# {line}\n").replace("# \n", "#\n"));
    }
    if let Value::Object(map) = template {
        for (key, value) in map {
            write_entry(&mut out, 0, key, value);
        }
    }
    out
}

fn write_entry(out: &mut String, indent: usize, key: &str, value: &Value) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str(&format!("{pad}{}:\n", key_text(key)));
            for (k, v) in map {
                write_entry(out, indent + 2, k, v);
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(is_scalar) => {
            let items: Vec<String> = items.iter().map(scalar).collect();
            out.push_str(&format!("{pad}{}: [{}]\n", key_text(key), items.join(", ")));
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str(&format!("{pad}{}:\n", key_text(key)));
            for item in items {
                write_item(out, indent + 2, item);
            }
        }
        other => out.push_str(&format!("{pad}{}: {}\n", key_text(key), scalar(other))),
    }
}

fn write_item(out: &mut String, indent: usize, item: &Value) {
    let pad = " ".repeat(indent);
    match item {
        Value::Object(map) if !map.is_empty() => {
            let mut first = true;
            for (k, v) in map {
                if first {
                    // `- key: value`, the rest of the map under it.
                    let mut entry = String::new();
                    write_entry(&mut entry, indent + 2, k, v);
                    out.push_str(&format!("{pad}- {}", &entry[indent + 2..]));
                    first = false;
                } else {
                    write_entry(out, indent + 2, k, v);
                }
            }
        }
        Value::Array(items) if !items.is_empty() && items.iter().all(is_scalar) => {
            let items: Vec<String> = items.iter().map(scalar).collect();
            out.push_str(&format!("{pad}- [{}]\n", items.join(", ")));
        }
        Value::Array(items) if !items.is_empty() => {
            // A list in a list: `-` alone, the inner items under it.
            out.push_str(&format!("{pad}-\n"));
            for item in items {
                write_item(out, indent + 2, item);
            }
        }
        other => out.push_str(&format!("{pad}- {}\n", scalar(other))),
    }
}

fn is_scalar(value: &Value) -> bool {
    !matches!(value, Value::Object(m) if !m.is_empty()) && !matches!(value, Value::Array(a) if !a.is_empty())
}

/// A scalar (or empty collection) in flow style: strings double-quoted as JSON (also valid YAML).
fn scalar(value: &Value) -> String {
    match value {
        Value::Object(_) => "{}".to_owned(),
        Value::Array(_) => "[]".to_owned(),
        other => other.to_string(),
    }
}

/// A key, plain when YAML reads it back as the same string (not a number, a boolean or null).
fn key_text(key: &str) -> String {
    let plain = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || "_-.:/".contains(c))
        && !matches!(
            key.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n"
        );
    if plain { key.to_owned() } else { json!(key).to_string() }
}

#[cfg(test)]
mod tests {
    use lambda_fn_manifest::{Batch, Durable, Route};

    use super::*;

    fn sqs(queue: &str, batch_size: Option<u32>, window_seconds: Option<u32>) -> Trigger {
        Trigger::Sqs {
            queue: queue.into(),
            batch_size,
            window_seconds,
        }
    }

    fn alb(listener: &str, path: &str, priority: u32) -> Trigger {
        Trigger::Alb {
            listener: listener.into(),
            path: path.into(),
            priority,
        }
    }

    fn route(method: &str, path: &str) -> Route {
        Route {
            method: method.into(),
            path: path.into(),
        }
    }

    /// Handlers with the settings and triggers of the first round: SQS, HTTP API routes, a streaming URL, a
    /// schedule, S3, SNS, DynamoDB streams, reserved concurrency, environment.
    fn manifest() -> Manifest {
        let mut orders = Handler::new("orders.sqs", "SqsRecord<Order>", "()");
        orders.batch = Some(Batch::default());
        orders.memory_size = Some(256);
        orders.timeout = Some(20);
        orders.triggers = vec![sqs("OrdersQueue", None, None)];
        let mut todos = Handler::new("todos.api", "lambda_fn::http::Request", "r");
        todos.routes = vec![route("GET", "/todos/{id}")];
        let mut stream = Handler::new("stream.http", "E", "StreamingResponse");
        stream.streaming = true;
        stream.triggers = vec![
            Trigger::Url {
                invoke_mode: InvokeMode::Buffered,
            },
            Trigger::Schedule {
                expression: "rate(1 day)".into(),
            },
        ];
        let mut files = Handler::new("files.new", "Value", "()");
        files.reserved_concurrency = Some(3);
        files.environment = [("TABLE".to_owned(), "files".to_owned())].into();
        files.triggers = vec![
            Trigger::S3 {
                bucket: "Uploads".into(),
            },
            Trigger::Sns {
                topic: "arn:aws:sns:eu-west-3:1:t".into(),
            },
        ];
        let mut ddb = Handler::new("orders.ddb", "DynamoDbRecord<Order>", "()");
        ddb.batch = Some(Batch::default());
        ddb.triggers = vec![Trigger::DynamoDb { table: "Orders".into() }];
        Manifest::new("0.1.0", "x86_64", vec![orders, todos, stream, files, ddb], vec![])
    }

    #[test]
    fn one_function_per_handler_with_its_events() {
        let t = generate(&manifest(), "bootstrap.zip").unwrap();
        let orders = &t["Resources"]["OrdersSqsFunction"]["Properties"];
        assert_eq!(
            (orders["MemorySize"].clone(), orders["Timeout"].clone()),
            (json!(256), json!(20))
        );
        assert_eq!(
            orders["Events"]["Queue0"]["Properties"],
            json!({"Queue": {"Fn::GetAtt": ["OrdersQueue", "Arn"]}, "FunctionResponseTypes": ["ReportBatchItemFailures"]})
        );
        assert_eq!(t["Resources"]["OrdersQueue"]["Properties"]["VisibilityTimeout"], 120);
        assert_eq!(
            t["Resources"]["TodosApiFunction"]["Properties"]["Events"]["Route0"],
            json!({"Type": "HttpApi", "Properties": {"Path": "/todos/{id}", "Method": "get"}})
        );
        let stream = &t["Resources"]["StreamHttpFunction"]["Properties"];
        assert_eq!(
            stream["FunctionUrlConfig"]["InvokeMode"], "RESPONSE_STREAM",
            "a streaming handler's URL streams"
        );
        assert_eq!(stream["Events"]["Schedule1"]["Properties"]["Schedule"], "rate(1 day)");
        let files = &t["Resources"]["FilesNewFunction"]["Properties"];
        assert_eq!(files["ReservedConcurrentExecutions"], 3);
        assert_eq!(files["Environment"], json!({"Variables": {"TABLE": "files"}}));
        assert_eq!(
            files["Events"]["Bucket0"]["Properties"],
            json!({"Bucket": {"Ref": "Uploads"}, "Events": "s3:ObjectCreated:*"})
        );
        assert_eq!(t["Resources"]["Uploads"]["Type"], "AWS::S3::Bucket");
        assert_eq!(
            files["Events"]["Topic1"]["Properties"]["Topic"],
            "arn:aws:sns:eu-west-3:1:t"
        );
        assert_eq!(
            t["Resources"]["OrdersDdbFunction"]["Properties"]["Events"]["Stream0"],
            json!({"Type": "DynamoDB", "Properties": {"Stream": {"Fn::GetAtt": ["Orders", "StreamArn"]},
                   "StartingPosition": "LATEST", "FunctionResponseTypes": ["ReportBatchItemFailures"]}})
        );
    }

    /// Handlers with the triggers and settings of the second round: REST routes, EventBridge rules, ALB
    /// targets, SQS batching, architecture.
    pub(super) fn more_manifest() -> Manifest {
        let mut status = Handler::new("status.rest", "lambda_fn::http::Request", "r");
        status.api = Api::Rest;
        status.routes = vec![route("GET", "/status"), route("ANY", "/x/{rest+}")];
        status.memory_size = Some(128);
        status.timeout = Some(3);
        status.triggers = vec![alb("Listener", "/status", 2)];
        let mut hello = Handler::new("hello.ALB", "AlbTargetGroupRequest", "r");
        hello.architecture = Some("arm64".into());
        hello.source.file = "src/hello.rs".into();
        hello.source.line = 7;
        hello.triggers = vec![
            alb("Listener", "/hello*", 1),
            alb(
                "arn:aws:elasticloadbalancing:eu-west-3:123456789012:listener/app/a/1/2",
                "/hi",
                1,
            ),
            alb("Listener", "/bonjour*", 3),
        ];
        let mut uploads = Handler::new("uploads.events", "EventBridgeEvent", "()");
        uploads.triggers = vec![
            Trigger::EventBridge {
                pattern: json!({"source": ["aws.s3"]}),
                bus: None,
            },
            Trigger::EventBridge {
                pattern: json!({"source": ["orders"]}),
                bus: Some("orders".into()),
            },
        ];
        let mut orders = Handler::new("orders.sqs", "SqsRecord<Order>", "()");
        orders.batch = Some(Batch::default());
        orders.triggers = vec![sqs("OrdersQueue", Some(100), Some(5))];
        Manifest::new("0.1.0", "x86_64", vec![status, hello, uploads, orders], vec![])
    }

    #[test]
    fn a_durable_workflow_gets_its_durable_config() {
        let mut year = Handler::new("orders.flow", "Order", "Result<Receipt, Error>");
        year.durable = Some(Durable {
            execution_timeout: 31_622_400,
            retention_period_in_days: Some(90),
        });
        let mut day = Handler::new("orders.day", "Order", "Result<Receipt, Error>");
        day.durable = Some(Durable {
            execution_timeout: 86_400,
            retention_period_in_days: None,
        });
        let plain = Handler::new("orders.plain", "Order", "()");
        let t = generate(
            &Manifest::new("0.1.0", "x86_64", vec![year, day, plain], vec![]),
            "b.zip",
        )
        .unwrap();
        let config = |id: &str| t["Resources"][id]["Properties"]["DurableConfig"].clone();
        assert_eq!(
            config("OrdersFlowFunction"),
            json!({"ExecutionTimeout": 31_622_400, "RetentionPeriodInDays": 90})
        );
        assert_eq!(config("OrdersDayFunction"), json!({"ExecutionTimeout": 86_400}));
        assert_eq!(config("OrdersPlainFunction"), Value::Null, "not a durable function");
    }

    #[test]
    fn a_caller_gets_each_called_functions_name_and_the_permission_to_invoke_it() {
        let mut flow = Handler::new("orders.flow", "Order", "Result<Receipt, Error>");
        flow.durable = Some(Durable {
            execution_timeout: 3600,
            retention_period_in_days: None,
        });
        let price = Handler::new("orders.price", "Order", "Result<u64, Error>");
        let mut checkout = Handler::new("orders.checkout", "Order", "Result<String, Error>");
        checkout.environment.insert("TABLE".into(), "orders".into());
        checkout.calls = vec!["orders.flow".into(), "orders.price".into()];
        let handlers = vec![flow, price, checkout.clone()];
        let t = generate(&Manifest::new("0.1.0", "x86_64", handlers, vec![]), "b.zip").unwrap();
        let properties = &t["Resources"]["OrdersCheckoutFunction"]["Properties"];
        assert_eq!(
            properties["Environment"]["Variables"],
            json!({
                "TABLE": "orders",
                "LAMBDA_RT_FUNCTION_ORDERS_FLOW": {"Fn::Sub": "${OrdersFlowFunction}:$LATEST"},
                "LAMBDA_RT_FUNCTION_ORDERS_PRICE": {"Ref": "OrdersPriceFunction"},
            })
        );
        assert_eq!(
            properties["Policies"],
            json!([
                {"LambdaInvokePolicy": {"FunctionName": {"Ref": "OrdersFlowFunction"}}},
                {"LambdaInvokePolicy": {"FunctionName": {"Ref": "OrdersPriceFunction"}}},
            ])
        );
        let callee = &t["Resources"]["OrdersPriceFunction"]["Properties"];
        assert_eq!(
            callee["Policies"],
            Value::Null,
            "a function that calls none gets nothing"
        );

        checkout.calls = vec!["orders.gone".into()];
        let error = generate(&Manifest::new("0.1.0", "x86_64", vec![checkout], vec![]), "b.zip").unwrap_err();
        assert!(error.to_string().contains("calls `orders.gone`"), "{error}");
    }

    #[test]
    fn rest_routes_rules_alb_targets_and_batching() {
        let t = generate(&more_manifest(), "bootstrap.zip").unwrap();
        let r = &t["Resources"];
        assert_eq!(
            r["StatusRestFunction"]["Properties"]["Events"]["Route1"],
            json!({"Type": "Api", "Properties": {"Path": "/x/{rest+}", "Method": "any"}}),
            "`api = \"rest\"`: REST API events"
        );
        let rules = &r["UploadsEventsFunction"]["Properties"]["Events"];
        assert_eq!(
            rules["Rule0"],
            json!({"Type": "EventBridgeRule", "Properties": {"Pattern": {"source": ["aws.s3"]}}})
        );
        assert_eq!(rules["Rule1"]["Properties"]["EventBusName"], "orders");
        assert_eq!(
            r["OrdersSqsFunction"]["Properties"]["Events"]["Queue0"]["Properties"],
            json!({"Queue": {"Fn::GetAtt": ["OrdersQueue", "Arn"]}, "BatchSize": 100,
                   "MaximumBatchingWindowInSeconds": 5, "FunctionResponseTypes": ["ReportBatchItemFailures"]})
        );
        let priority = |id: &str| r[id]["Properties"]["Priority"].clone();
        assert_eq!(priority("StatusRestFunctionListenerRule0"), json!(2));
        assert_eq!(priority("HelloALBFunctionListenerRule2"), json!(3));
        assert_eq!(
            r["HelloALBFunctionListenerRule1"]["Properties"]["ListenerArn"],
            "arn:aws:elasticloadbalancing:eu-west-3:123456789012:listener/app/a/1/2"
        );
        assert_eq!(
            r["HelloALBFunctionListenerRule0"]["Properties"]["ListenerArn"],
            json!({"Ref": "Listener"})
        );
        // A target group serves one load balancer: one per function and listener.
        let group = |rule: &str| r[rule]["Properties"]["Actions"][0]["TargetGroupArn"]["Ref"].clone();
        assert_eq!(group("HelloALBFunctionListenerRule0"), "HelloALBFunctionTargetGroup0");
        assert_eq!(group("HelloALBFunctionListenerRule1"), "HelloALBFunctionTargetGroup1");
        assert_eq!(group("HelloALBFunctionListenerRule2"), "HelloALBFunctionTargetGroup0");
        assert_eq!(
            group("StatusRestFunctionListenerRule0"),
            "StatusRestFunctionTargetGroup0"
        );
        assert!(r.get("HelloALBFunctionTargetGroup2").is_none());
        assert_eq!(
            r["HelloALBFunctionTargetGroup1"]["DependsOn"],
            "HelloALBFunctionAlbPermission"
        );
        assert_eq!(r["HelloALBFunctionTargetGroup1"]["Properties"]["TargetType"], "lambda");
        assert_eq!(
            r["HelloALBFunctionAlbPermission"]["Properties"]["Principal"],
            "elasticloadbalancing.amazonaws.com"
        );
    }

    #[test]
    fn two_rules_with_one_priority_on_a_listener_are_refused() {
        let mut m = more_manifest();
        m.handlers[1].triggers[2] = alb("Listener", "/bonjour*", 2);
        let error = generate(&m, "b.zip").unwrap_err().to_string();
        assert!(
            error.contains("`status.rest` and `hello.ALB` both take priority 2 on the listener `Listener`"),
            "{error}"
        );
    }

    #[test]
    fn the_architecture_is_the_flags_or_the_annotations_and_the_zip_must_match() {
        let zip = Path::new("target/lambda/x/bootstrap.zip");
        let arm = more_manifest();
        let mut plain = more_manifest();
        plain.handlers[1].architecture = None;
        assert_eq!(
            resolve_architecture(&plain, None, None).unwrap(),
            "x86_64",
            "the manifest's"
        );
        assert_eq!(
            resolve_architecture(&arm, None, None).unwrap(),
            "arm64",
            "the annotation's"
        );
        assert_eq!(
            resolve_architecture(&plain, Some("arm64"), None).unwrap(),
            "arm64",
            "the flag's"
        );
        assert_eq!(resolve_architecture(&arm, None, Some(("arm64", zip))).unwrap(), "arm64");
        assert_eq!(
            resolve_architecture(&plain, None, Some(("x86_64", zip))).unwrap(),
            "x86_64"
        );
        let error = resolve_architecture(&arm, None, Some(("x86_64", zip)))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("the template is for arm64 (`hello.ALB` (src/hello.rs:7)'s annotation), but target/lambda/x/bootstrap.zip holds a bootstrap built for x86_64")
                && error.contains("--target aarch64-unknown-linux-gnu"),
            "{error}"
        );
        let error = resolve_architecture(&plain, None, Some(("arm64", zip)))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("or give `--architecture arm64`"),
            "an arm64 zip, nothing said: {error}"
        );
        let error = resolve_architecture(&plain, Some("x86_64"), Some(("arm64", zip)))
            .unwrap_err()
            .to_string();
        assert!(error.contains("for x86_64 (--architecture), but"), "{error}");
        let error = resolve_architecture(&arm, Some("x86_64"), None)
            .unwrap_err()
            .to_string();
        assert!(error.contains("and --architecture says x86_64"), "{error}");
        let mut mixed = more_manifest();
        mixed.handlers[0].architecture = Some("x86_64".into());
        mixed.handlers[0].source.file = "src/status.rs".into();
        mixed.handlers[0].source.line = 3;
        let error = resolve_architecture(&mixed, None, None).unwrap_err().to_string();
        assert!(
            error.contains("`status.rest` (src/status.rs:3) says `architecture = \"x86_64\"` and `hello.ALB`")
                && error.contains("one architecture"),
            "{error}"
        );
        assert!(resolve_architecture(&plain, Some("aarch64"), None).is_err());
    }

    #[test]
    fn overrides_merge_replace_and_remove() {
        let mut t = generate(&manifest(), "bootstrap.zip").unwrap();
        merge(
            &mut t,
            json!({"Resources": {"OrdersQueue": {"Properties": {"FifoQueue": true}}, "StreamHttpFunction": null}}),
        );
        assert_eq!(
            t["Resources"]["OrdersQueue"]["Properties"],
            json!({"VisibilityTimeout": 120, "FifoQueue": true})
        );
        assert!(t["Resources"].get("StreamHttpFunction").is_none());
    }

    #[test]
    fn yaml_round_trips_through_a_yaml_parser() {
        let t = generate(&manifest(), "../target/lambda/x/bootstrap.zip").unwrap();
        let text = to_yaml(&t, "generated\n\nby a test");
        assert!(text.starts_with("# generated\n#\n# by a test\n"), "{text}");
        let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
        assert_eq!(to_json(&docs[0]), t, "{text}");
    }

    #[test]
    fn nested_lists_and_odd_keys_round_trip() {
        let t = json!({"Outputs": {"Arn": {"Value": {"Fn::Join": ["", ["arn:", {"Ref": "X"}, ":q"]]}}},
                       "Mappings": {"Accounts": {"123456789012": {"true": "yes"}}}});
        let text = to_yaml(&t, "");
        let docs = yaml_rust2::YamlLoader::load_from_str(&text).unwrap();
        assert_eq!(to_json(&docs[0]), t, "{text}");
    }

    #[test]
    fn short_form_tags_in_the_overrides_are_refused_at_their_line() {
        let dir = std::env::temp_dir().join(format!("lambda-rt-overrides-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("template.overrides.yaml");
        std::fs::write(
            &path,
            "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Name: !Sub \"${AWS::StackName}-q\"\n",
        )
        .unwrap();
        let error = read_overrides(&path).unwrap_err().to_string();
        assert!(
            error.contains("template.overrides.yaml:5:13:")
                && error.contains("`!Sub`")
                && error.contains("{\"Fn::Sub\": ...}"),
            "where the tag is written: {error}"
        );
        // A tag on a block list is reported on its own line, not on the list's first item.
        std::fs::write(
            &path,
            "Outputs:\n  A:\n    Value: !Join\n      - \"\"\n      - [a, b]\n",
        )
        .unwrap();
        let error = read_overrides(&path).unwrap_err().to_string();
        assert!(error.contains(":3:12:") && error.contains("`!Join`"), "{error}");
        std::fs::write(&path, "Outputs:\n  A: {Value: !Ref Q}\n  B: !!str \"12\"\n").unwrap();
        let error = read_overrides(&path).unwrap_err().to_string();
        assert!(error.contains(":2:") && error.contains("{Ref: X}"), "{error}");
        std::fs::write(
            &path,
            "Outputs:\n  A: {Value: {Ref: Q}}\n  B: !!str \"12\"\n  C: \"!Ref in a string\"\n",
        )
        .unwrap();
        assert_eq!(
            read_overrides(&path).unwrap(),
            json!({"Outputs": {"A": {"Value": {"Ref": "Q"}}, "B": "12", "C": "!Ref in a string"}})
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn logical_ids() {
        assert_eq!(logical_id("hello.ALB"), "HelloALB");
        assert_eq!(logical_id("orders-v2.sqs_batch"), "OrdersV2SqsBatch");
    }
}

#[cfg(test)]
mod relative_tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn code_uri_is_relative_to_the_template() {
        assert_eq!(
            relative(
                Path::new("/repo/examples"),
                Path::new("/repo/target/lambda/examples/bootstrap.zip")
            ),
            "../target/lambda/examples/bootstrap.zip"
        );
        assert_eq!(relative(Path::new("/p"), Path::new("/p/target/b.zip")), "target/b.zip");
    }
}
