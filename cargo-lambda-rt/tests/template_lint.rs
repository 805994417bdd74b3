//! The template generated for handlers using every trigger and setting (REST and HTTP API routes, ALB
//! targets, EventBridge rules and schedules, SQS batching, streams, S3, SNS, function URLs, arm64) passes
//! cfn-lint. The manifest is the one `bootstrap manifest` prints for such handlers; the resources they
//! name but do not create (the listener, the stream, the table) come from overrides, as a user's would.
//!
//! cfn-lint runs when it is installed; CI requires it (LAMBDA_RT_REQUIRE_CFN_LINT=1).

mod support;

use cargo_lambda_rt::template::{generate, merge, to_yaml};
use serde_json::json;

#[test]
fn a_template_with_every_trigger_passes_cfn_lint() {
    let manifest = json!({"architecture": "arm64", "handlers": [
        {"name": "status.rest", "eventType": "Request", "returnType": "Response", "streaming": false, "batch": null,
         "api": "rest", "routes": [{"method": "GET", "path": "/status"}, {"method": "ANY", "path": "/files/{rest+}"}],
         "memorySize": 128, "timeout": 3, "architecture": "arm64",
         "triggers": [{"type": "alb", "listener": "Listener", "path": "/status", "priority": 5}]},
        {"name": "todos.api", "eventType": "Request", "returnType": "Response", "streaming": false, "batch": null,
         "api": "http", "routes": [{"method": "GET", "path": "/todos/{id}"}], "memorySize": 256, "timeout": 10,
         "environment": {"TABLE": "todos"}, "triggers": [{"type": "url", "invokeMode": "BUFFERED"}]},
        {"name": "hello.ALB", "eventType": "AlbTargetGroupRequest", "returnType": "R", "streaming": false,
         "batch": null, "routes": [], "memorySize": null, "timeout": null,
         "triggers": [{"type": "alb", "listener": "Listener", "path": "/hello*", "priority": 6}]},
        {"name": "uploads.events", "eventType": "EventBridgeEvent", "returnType": "()", "streaming": false,
         "batch": null, "routes": [], "memorySize": null, "timeout": null, "reservedConcurrency": 2,
         "triggers": [{"type": "eventbridge", "pattern": {"source": ["aws.s3"], "detail": {"object": {"key": [{"prefix": "a/"}]}}}, "bus": null},
                      {"type": "eventbridge", "pattern": {"source": ["orders"]}, "bus": "orders"},
                      {"type": "schedule", "expression": "cron(0 6 * * ? *)"}]},
        {"name": "orders.sqs", "eventType": "SqsRecord<Order>", "returnType": "()", "streaming": false,
         "batch": {"reportBatchItemFailures": true}, "routes": [], "memorySize": null, "timeout": 20,
         "triggers": [{"type": "sqs", "queue": "OrdersQueue", "batchSize": 100, "windowSeconds": 5},
                      {"type": "sqs", "queue": "arn:aws:sqs:eu-west-3:123456789012:existing", "batchSize": null, "windowSeconds": null}]},
        {"name": "orders.kinesis", "eventType": "KinesisRecord<Order>", "returnType": "()", "streaming": false,
         "batch": {"reportBatchItemFailures": true}, "routes": [], "memorySize": null, "timeout": null,
         "triggers": [{"type": "kinesis", "stream": "Orders"}]},
        {"name": "files.new", "eventType": "Value", "returnType": "()", "streaming": true, "batch": null,
         "routes": [], "memorySize": null, "timeout": null,
         "triggers": [{"type": "s3", "bucket": "Uploads"}, {"type": "sns", "topic": "Alerts"},
                      {"type": "url", "invokeMode": "RESPONSE_STREAM"}]},
    ]});
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
