//! Example handlers for lambda-rt, one module per handler, all served by the `bootstrap` binary.
//!
//! They live in a library (not in `main.rs`) on purpose: that is how larger projects are laid out,
//! and the end-to-end tests prove that handlers registered in a library reach the binary.
//!
//! | `_HANDLER` | event | what it does |
//! |---|---|---|
//! | `hello.ALB` | ALB request (the target of the listener rule `/hello*`) | 200 HTML page |
//! | `square.APIGW` | API Gateway REST request, body `{"number": n}` | 200 `{"result": n*n}`, 400 on a bad body |
//! | `echo.raw` | any JSON | the same JSON, byte for byte |
//! | `custom.Event` | `{"name", "count"}` | `{"greeting": "hello <name>", "count": count + 1}` |
//! | `fail.always` | any JSON | error of type `CustomFailure` |
//! | `panic.always` | any JSON | panics with `boom` |
//! | `context.info` | any JSON | the invocation's context, and a counter kept in shared state |
//! | `init.fail` | any JSON | never runs: its shared state fails to build (an init error) |
//! | `sqs.batch` | SQS batch of orders | partial batch response naming the invalid messages (the loop written by hand) |
//! | `orders.sqs` | SQS batch (standard or FIFO) of `{"id", "quantity"}` bodies | one call per order; `batchItemFailures` names the orders that failed (quantity <= 0, not an order, a panic) |
//! | `orders.kinesis` | Kinesis batch of the same orders (base64 JSON data) | the same, by sequence number; a shard stops at its first failure |
//! | `orders.ddb` | DynamoDB Streams batch of an orders table (`NewImage`) | the same |
//! | `metrics.demo` | `{"items": n, "channel": "web"}` (optional) | `{"total_cents": n*250}`; records `Orders`, `Items` and the `PricingTime` timer with a `channel` dimension, written as CloudWatch EMF lines on stdout |
//! | `shutdown.demo` | `{"ms": n}` | waits n ms, answers `{"served": count}`; its state's `#[shutdown]` hook logs "shutdown: closing connections after N invocations" when Lambda shuts the environment down |
//! | `sleep.ms` | `{"ms": n}` | waits n ms without blocking, then `{"slept": n}` (to try timeouts) |
//! | `stream.lines` | `{"count": n, "delay_ms": d, "fail_at": k, "panic_at": k, "content_type": t}` (all but `count` optional) | streams `line 1` … `line n`, one every d ms; fails (or panics) mid-stream at line k |
//! | `work.cpu` | `{"ms": n}` | burns n ms of CPU without awaiting, then `{"checksum", "rounds", "thread"}` (to see several invocations use every core) |
//! | `stream.http` | Function URL request | streams three server-sent events behind an HTTP prelude (status, headers, cookie) |
//! | `axum.app` | any HTTP event | an axum `Router` as the whole function: `/hello/{name}`, `/echo`, `/source`, `/cookies`, `/image` (see `axum_app.rs`) |
//! | `axum.stream` | function URL request (`RESPONSE_STREAM`) | an axum `Router` whose answers are streamed: `/events`, three server-sent events |
//! | `uploads.s3` | S3 object notifications | `bucket/key` of each object |
//! | `alerts.sns` | SNS messages | the subject of each (or the message) |
//! | `uploads.events` | EventBridge `Object Created` events of S3, keys under `reports/` | `bucket/key (size bytes)` |
//! | `reports.daily` | EventBridge schedule, 06:00 UTC | `report for <day>` |
//! | `status.rest` | `GET /status` on a REST API | `{"status": "ok", "version"}` |
//! | `orders.flow` | (feature `durable`) `{"id", "quantity"}`, a durable execution's input | a durable workflow: reserves in a step, waits 2 s without running, charges in another step; the receipt |
//! | `orders.approve` | (feature `durable`) an order | a durable workflow: reserves, waits for an approver's callback, then charges or releases |
//! | `orders.price` | (feature `durable`) an order | its price in cents; `EmptyOrder` for no items |
//! | `orders.total` | (feature `durable`) a list of orders | their total price: a typed call of `orders.price` per order, through the Invoke API |
//! | `orders.checkout` | (feature `durable`) an order | a durable workflow: typed calls of `orders.price` and `orders.flow` |
//! | `orders.ship` | (feature `durable`) an order | a durable workflow: a typed call, a 1 s wait, the courier's callback |
//! | `todos.api` | any HTTP event (REST or HTTP API, ALB, function URL, VPC Lattice) | an in-memory TODO list: `GET/POST /todos`, `GET/DELETE /todos/{id}` (see `todos.rs`) |

pub mod axum_app;
pub mod context_info;
pub mod custom;
#[cfg(feature = "durable")]
pub mod durable_flow;
pub mod echo;
pub mod fail;
pub mod hello;
pub mod metrics_demo;
pub mod notify;
pub mod orders;
pub mod shutdown_demo;
pub mod sleep;
pub mod sqs_batch;
pub mod square;
pub mod status;
pub mod stream;
pub mod todos;
pub mod work;
