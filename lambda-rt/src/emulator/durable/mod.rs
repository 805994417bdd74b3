//! The emulator as a durable execution service (features `local` and `durable`): the Lambda API's
//! `/2025-12-01/...` routes that durable functions checkpoint to and that the AWS CLI manages executions
//! with, and the driver that invokes a workflow until its execution ends.
//!
//! - Invoking a durable handler through the Invoke API starts an execution (`X-Amz-Durable-Execution-Name`
//!   names it; the same name with the same input is the same execution) and answers as Lambda does:
//!   `RequestResponse` once the execution is over, with its result, `Event` at once with 202; both carry
//!   `X-Amz-Durable-Execution-Arn`.
//! - The driver invokes the handler through its ordinary Runtime API loop with the durable envelope, and
//!   again whenever what it waits on ends: a wait's timer, a retry delay, a callback completed with
//!   `SendDurableExecutionCallbackSuccess`/`Failure`, an invoked function's answer. A failed invocation is
//!   invoked again, [`store::INVOCATION_ATTEMPTS`] times in all.
//! - With time skipping (`LAMBDA_RT_SKIP_TIME=1`), a suspended execution's waits and retry delays end at
//!   once, in the order they were due; callback timeouts and the execution's timeout keep real time.
//! - A chained invoke of a handler of the same binary runs it (a durable one as an execution of its
//!   own); any other function name fails the invoke with `ResourceNotFoundException`.
//!
//! It is on unless `AWS_ENDPOINT_URL_LAMBDA` (or `AWS_ENDPOINT_URL`) names another durable execution
//! service, such as `dex-local-runner`; then the handlers checkpoint there, and an Invoke is an ordinary
//! invocation whose event the runner built.

pub(crate) mod api;
pub(crate) mod driver;
pub(crate) mod history;
pub(crate) mod service;
mod store;
