//! Settings and triggers that compile, and what the manifest's registration holds.

use lambda_fn::batch::SqsRecord;
use lambda_fn::handler;

#[handler("orders.sqs", batch, sqs = "OrdersQueue", memory = 256, timeout = 30)]
async fn orders(_order: SqsRecord<u32>) {}

#[handler("raw.sqs", sqs = "arn:aws:sqs:eu-west-3:123456789012:existing")]
async fn raw(_event: lambda_fn::RawEvent) {}

#[handler("files", s3 = "Uploads", sns = "Events", env = "TABLE=files", env = "MODE=a=b", reserved_concurrency = 0)]
async fn files(_event: serde_json::Value) {}

// More than the default account quota (1000): accounts may have it raised, and the deploy checks it.
#[handler("busy", reserved_concurrency = 5000)]
async fn busy(_event: serde_json::Value) {}

#[handler("tick", schedule = "cron(0/15 * ? * MON-FRI *)", url)]
async fn tick(_event: serde_json::Value) {}

fn main() {
    lambda_fn::check_registrations().unwrap();
    let durable = |name: &str| {
        lambda_fn::__private::inventory::iter::<lambda_fn::__private::HandlerRegistration>()
            .find(|h| h.name == name)
            .and_then(|h| h.deploy.durable)
            .map(|d| (d.timeout_s, d.retention_days))
    };
    assert_eq!(durable("flow.year"), Some((31_622_400, Some(90))));
    assert_eq!(durable("flow.plain"), Some((86_400, None)), "a day by default, Lambda's retention");
    assert_eq!(durable("files"), None);
}

mod durable_round {
    //! Durable workflows, with and without their settings.

    use lambda_fn::durable::DurableContext;
    use lambda_fn::handler;

    #[handler("flow.year", durable(timeout = 31622400, retention_days = 90))]
    async fn year(input: u32, _ctx: DurableContext) -> Result<u32, lambda_fn::Error> {
        Ok(input)
    }

    #[handler("flow.plain", durable, memory = 512)]
    async fn plain(input: String, _ctx: DurableContext) -> Result<String, std::io::Error> {
        Ok(input)
    }
}

mod second_round {
    //! The triggers and settings of the second round, each on the event type of its trigger.

    use lambda_fn_events::alb::AlbTargetGroupRequest;
    use lambda_fn_events::dynamodb::DynamoDbEvent;
    use lambda_fn_events::eventbridge::EventBridgeEvent;
    use lambda_fn_events::function_url::LambdaFunctionUrlRequest;
    use lambda_fn_events::s3::S3Event;
    use lambda_fn_events::sns::SnsEvent;
    use lambda_fn::batch::{DynamoDbRecord, KinesisRecord};
    use lambda_fn::handler;

    #[handler("typed.alb", alb(listener = "Listener", path = "/orders*", priority = 10), architecture = "x86_64")]
    fn alb(_event: AlbTargetGroupRequest) {}

    #[handler(
        "typed.alb.arn",
        alb(listener = "arn:aws:elasticloadbalancing:eu-west-3:123456789012:listener/app/a/1/2", path = "*.png", priority = 2)
    )]
    fn alb_arn(_event: AlbTargetGroupRequest) {}

    #[handler("typed.s3", s3 = "Uploads")]
    fn s3(_event: S3Event) {}

    #[handler("typed.sns", sns = "Alerts")]
    fn sns(_event: SnsEvent) {}

    #[handler(
        "typed.rule",
        eventbridge = r#"{"source": ["aws.s3"], "detail": {"size": [{"numeric": [">", 0]}]}}"#,
        eventbridge(pattern = r#"{"source": ["orders"]}"#, bus = "orders-bus"),
        schedule = "rate(1 day)"
    )]
    fn rule(_event: EventBridgeEvent) {}

    #[handler("typed.url", url)]
    fn url(_event: LambdaFunctionUrlRequest) {}

    #[handler("typed.ddb", dynamodb = "Orders")]
    fn ddb(_event: DynamoDbEvent) {}

    #[handler("records.kinesis", batch, kinesis = "Orders", timeout = 60)]
    async fn kinesis(_order: KinesisRecord<u32>) {}

    #[handler("records.ddb", batch, dynamodb = "Orders")]
    async fn ddb_records(_order: DynamoDbRecord<u32>) {}

    // Another partition's ARN; `$or` in a pattern; an event type that takes any event.
    #[handler("cn.sqs", sqs = "arn:aws-cn:sqs:cn-north-1:123456789012:orders")]
    fn cn(_event: Box<serde_json::value::RawValue>) {}

    #[handler("typed.or", eventbridge = r#"{"$or": [{"source": ["a"]}, {"detail-type": ["b"]}]}"#)]
    fn or(_event: serde::de::IgnoredAny) {}

    #[handler("records.sqs", sqs(queue = "Orders", batch_size = 100, window = 5))]
    fn sqs(_event: lambda_fn_events::sqs::SqsEvent) {}

    // A routed function's settings and HTTP triggers, on one of its routes; `api` picks a REST API.
    #[handler(
        "typed.api",
        route = "GET /a",
        route = "POST /a",
        memory = 512,
        api = "rest",
        url,
        alb(listener = "Listener", path = "/a", priority = 3)
    )]
    fn a() -> &'static str {
        "a"
    }

    #[handler("typed.api", route = "GET /b")]
    fn b() -> &'static str {
        "b"
    }
}
