//! The template generated for handlers using every trigger and setting (REST and HTTP API routes, ALB
//! targets, EventBridge rules and schedules, SQS batching, streams, S3, SNS, function URLs, arm64, a durable
//! workflow's DurableConfig) passes cfn-lint. The manifest is built from the types `bootstrap manifest`
//! writes; the resources they name but do not create (the listener, the stream, the table) come from
//! overrides, as a user's would.
//!
//! cfn-lint runs when it is installed; CI requires it (LAMBDA_RT_REQUIRE_CFN_LINT=1).

mod support;

use cargo_lambda_rt::template::{generate, merge, to_yaml};
use lambda_fn_manifest::{Api, Batch, Durable, Handler, InvokeMode, Manifest, Route, Trigger};
use serde_json::json;

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

fn url(invoke_mode: InvokeMode) -> Trigger {
    Trigger::Url { invoke_mode }
}

/// Handlers using every trigger and setting, as `bootstrap manifest` describes them.
fn every_trigger() -> Manifest {
    let mut status = Handler::new("status.rest", "Request", "Response");
    status.api = Api::Rest;
    status.routes = vec![route("GET", "/status"), route("ANY", "/files/{rest+}")];
    status.memory_size = Some(128);
    status.timeout = Some(3);
    status.architecture = Some("arm64".into());
    status.triggers = vec![alb("Listener", "/status", 5)];
    let mut todos = Handler::new("todos.api", "Request", "Response");
    todos.routes = vec![route("GET", "/todos/{id}")];
    todos.memory_size = Some(256);
    todos.timeout = Some(10);
    todos.environment = [("TABLE".to_owned(), "todos".to_owned())].into();
    todos.triggers = vec![url(InvokeMode::Buffered)];
    let mut hello = Handler::new("hello.ALB", "AlbTargetGroupRequest", "R");
    hello.triggers = vec![alb("Listener", "/hello*", 6)];
    let mut uploads = Handler::new("uploads.events", "EventBridgeEvent", "()");
    uploads.reserved_concurrency = Some(2);
    uploads.triggers = vec![
        Trigger::EventBridge {
            pattern: json!({"source": ["aws.s3"], "detail": {"object": {"key": [{"prefix": "a/"}]}}}),
            bus: None,
        },
        Trigger::EventBridge {
            pattern: json!({"source": ["orders"]}),
            bus: Some("orders".into()),
        },
        Trigger::Schedule {
            expression: "cron(0 6 * * ? *)".into(),
        },
    ];
    let mut orders = Handler::new("orders.sqs", "SqsRecord<Order>", "()");
    orders.batch = Some(Batch::default());
    orders.timeout = Some(20);
    orders.triggers = vec![
        sqs("OrdersQueue", Some(100), Some(5)),
        sqs("arn:aws:sqs:eu-west-3:123456789012:existing", None, None),
    ];
    let mut kinesis = Handler::new("orders.kinesis", "KinesisRecord<Order>", "()");
    kinesis.batch = Some(Batch::default());
    kinesis.triggers = vec![Trigger::Kinesis {
        stream: "Orders".into(),
    }];
    let mut files = Handler::new("files.new", "Value", "()");
    files.streaming = true;
    files.triggers = vec![
        Trigger::S3 {
            bucket: "Uploads".into(),
        },
        Trigger::Sns { topic: "Alerts".into() },
        url(InvokeMode::ResponseStream),
    ];
    // Typed calls: a function that calls a plain handler and a durable one.
    let mut checkout = Handler::new("orders.checkout", "Order", "Result<String, Error>");
    checkout.durable = Some(Durable {
        execution_timeout: 3600,
        retention_period_in_days: None,
    });
    checkout.calls = vec!["orders.flow".into(), "todos.api".into()];
    let mut flow = Handler::new("orders.flow", "Order", "Result<Receipt, Error>");
    flow.durable = Some(Durable {
        execution_timeout: 31_622_400,
        retention_period_in_days: Some(30),
    });
    Manifest::new(
        "0.1.0",
        "arm64",
        vec![status, todos, hello, uploads, orders, kinesis, files, flow, checkout],
        vec![],
    )
}

#[test]
fn a_template_with_every_trigger_passes_cfn_lint() {
    let manifest = every_trigger();
    let mut template = generate(&manifest, "bootstrap.zip").expect("the template is generated");
    merge(
        &mut template,
        json!({
            "Parameters": {"Subnets": {"Type": "List<AWS::EC2::Subnet::Id>"}},
            "Resources": {
                "Balancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                             "Properties": {"Subnets": {"Ref": "Subnets"}}},
                "Listener": {"Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": {
                    "LoadBalancerArn": {"Ref": "Balancer"}, "Port": 80, "Protocol": "HTTP",
                    "DefaultActions": [{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "404"}}]}},
                "Orders": {"Type": "AWS::Kinesis::Stream", "Properties": {"ShardCount": 1}},
            },
        }),
    );
    assert_eq!(template["Globals"]["Function"]["Architectures"], json!(["arm64"]));
    let dir = std::env::temp_dir().join(format!("lambda-rt-template-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("template.yaml");
    std::fs::write(&path, to_yaml(&template, "every trigger")).unwrap();
    support::cfn_lint(&path);
    let _ = std::fs::remove_dir_all(&dir);
}
