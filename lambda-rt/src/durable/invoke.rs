//! [`DurableContext::invoke`]: another Lambda function called by the service on the workflow's behalf,
//! its result checkpointed; the workflow does not run while it does.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::context::{DurableContext, recorded_error};
use super::protocol::{Action, ChainedInvokeOptions, OperationStatus, OperationType, OperationUpdate, sub_type};
use super::serdes::{JsonSerdes, Serdes};
use crate::error::{Error, kind};

/// How [`invoke_with`](DurableContext::invoke_with) calls its function: the tenant it runs for (a
/// function with tenant isolation), how the input is written (`P`) and the result read (`R`), JSON by
/// default.
///
/// ```
/// use lambda_fn::durable::InvokeConfig;
///
/// let for_tenant = InvokeConfig::new().tenant_id("acme");
/// # let _ = for_tenant;
/// ```
#[derive(Debug, Clone, Default)]
pub struct InvokeConfig<P = JsonSerdes, R = JsonSerdes> {
    tenant_id: Option<String>,
    payload: P,
    result: R,
}

impl InvokeConfig {
    /// No tenant, JSON both ways.
    pub fn new() -> InvokeConfig {
        InvokeConfig::default()
    }
}

impl<P, R> InvokeConfig<P, R> {
    /// The tenant the invoked function runs for.
    pub fn tenant_id(self, tenant_id: impl Into<String>) -> InvokeConfig<P, R> {
        InvokeConfig {
            tenant_id: Some(tenant_id.into()),
            ..self
        }
    }

    /// How the input is written for the invoked function.
    pub fn payload_serdes<P2>(self, payload: P2) -> InvokeConfig<P2, R> {
        InvokeConfig {
            tenant_id: self.tenant_id,
            payload,
            result: self.result,
        }
    }

    /// How its result is read.
    pub fn result_serdes<R2>(self, result: R2) -> InvokeConfig<P, R2> {
        InvokeConfig {
            tenant_id: self.tenant_id,
            payload: self.payload,
            result,
        }
    }
}

impl DurableContext {
    /// Invokes the Lambda function `function` (a name, `name:qualifier` or an ARN) with `input` and returns
    /// its result, read as JSON. The durable execution service makes the call: the workflow answers
    /// `PENDING` meanwhile and is invoked again with the outcome, checkpointed (a replay does not call the
    /// function again). The function's failure (or timeout) is the `Err`, with its error type and message.
    ///
    /// ```
    /// use lambda_fn::durable::DurableContext;
    ///
    /// async fn flow(order: u64, ctx: DurableContext) -> Result<String, lambda_fn::Error> {
    ///     let price: u64 = ctx.invoke("price", "pricing-service", &order).await?;
    ///     Ok(format!("order {order} costs {price}"))
    /// }
    /// ```
    pub async fn invoke<I, O>(&self, name: &str, function: &str, input: &I) -> Result<O, Error>
    where
        I: Serialize,
        O: DeserializeOwned,
    {
        let payload = serde_json::to_string(input).map_err(|e| Error::new(kind::DURABLE_SERIALIZATION, e.to_string()));
        let read = |result: &str| {
            serde_json::from_str(result).map_err(|e| Error::new(kind::DURABLE_SERIALIZATION, e.to_string()))
        };
        self.chained_invoke(name, function, payload, None, read).await
    }

    /// Invokes handler `H` of this binary ([`call::Target`]): [`invoke`](Self::invoke) with the
    /// handler's event and result types, checked by the compiler, and its function's name from
    /// [`Target::function_name`](crate::call::Target::function_name).
    ///
    /// ```
    /// use lambda_fn::durable::DurableContext;
    /// use lambda_fn::{Error, handler};
    ///
    /// #[handler("stock.reserve", durable)]
    /// async fn reserve(quantity: u32, ctx: DurableContext) -> Result<String, Error> {
    ///     ctx.step("hold", || async move { Ok::<_, Error>(format!("{quantity} held")) }).await
    /// }
    ///
    /// #[handler("orders.place", durable)]
    /// async fn place(quantity: u32, ctx: DurableContext) -> Result<String, Error> {
    ///     let held: String = ctx.invoke_handler::<reserve>("reserve", &quantity).await?;
    ///     Ok(format!("placed: {held}"))
    /// }
    /// # fn main() {}
    /// ```
    ///
    /// [`call::Target`]: crate::call::Target
    pub async fn invoke_handler<H>(&self, name: &str, input: &H::Event) -> Result<H::Output, Error>
    where
        H: crate::call::Target,
        H::Event: Serialize,
        H::Output: DeserializeOwned,
    {
        self.invoke(name, &H::function_name(), input).await
    }

    /// [`invoke`](Self::invoke) with an [`InvokeConfig`].
    pub async fn invoke_with<I, O, P, R>(
        &self,
        name: &str,
        function: &str,
        input: &I,
        config: InvokeConfig<P, R>,
    ) -> Result<O, Error>
    where
        P: Serdes<I>,
        R: Serdes<O>,
    {
        let InvokeConfig {
            tenant_id,
            payload,
            result,
        } = config;
        let payload = payload.serialize(input);
        self.chained_invoke(name, function, payload, tenant_id, |r| result.deserialize(r))
            .await
    }

    /// The operation: `payload` is the input written (needed only when the call is new), `read` reads the
    /// result.
    async fn chained_invoke<O>(
        &self,
        name: &str,
        function: &str,
        payload: Result<String, Error>,
        tenant_id: Option<String>,
        read: impl FnOnce(&str) -> Result<O, Error>,
    ) -> Result<O, Error> {
        let id = self.next_id();
        let what = format!("invoke `{name}` of {function}");
        let op = match self.execution.recorded(&id) {
            Some(op) => {
                self.check(&op, OperationType::ChainedInvoke, sub_type::CHAINED_INVOKE, name)
                    .await;
                op
            }
            None => {
                // An input that cannot be written is the workflow's error, before anything is recorded.
                let payload = payload.map_err(|e| {
                    Error::new(
                        kind::DURABLE_SERIALIZATION,
                        format!("the input of {what}: {}", e.message()),
                    )
                })?;
                self.send(vec![OperationUpdate {
                    payload: Some(payload),
                    chained_invoke_options: Some(ChainedInvokeOptions {
                        function_name: function.to_owned(),
                        tenant_id,
                    }),
                    ..self.update(
                        &id,
                        OperationType::ChainedInvoke,
                        sub_type::CHAINED_INVOKE,
                        name,
                        Action::Start,
                    )
                }])
                .await;
                // The service may refuse the call at once (an unknown function): the answer says so.
                match self.execution.recorded(&id) {
                    Some(op) => op,
                    None => return self.suspend().await,
                }
            }
        };
        let details = op.chained_invoke_details.unwrap_or_default();
        match op.status {
            OperationStatus::Succeeded => {
                let result = details.result.as_deref().filter(|r| !r.is_empty()).unwrap_or("null");
                read(result).map_err(|e| {
                    Error::new(
                        kind::DURABLE_SERIALIZATION,
                        format!("the result of {what}: {}", e.message()),
                    )
                })
            }
            OperationStatus::Failed
            | OperationStatus::Cancelled
            | OperationStatus::TimedOut
            | OperationStatus::Stopped => Err(recorded_error(&what, details.error.as_ref())),
            OperationStatus::Started | OperationStatus::Pending | OperationStatus::Ready => self.suspend().await,
        }
    }
}
