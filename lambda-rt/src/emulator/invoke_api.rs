//! What the Invoke API and InvokeWithResponseStream share: finding the function, reading the payload,
//! checking the invocation type.

use bytes::Bytes;
use http_body_util::{BodyExt as _, Limited};
use hyper::body::Incoming;
use hyper::{Request, StatusCode};

use super::reply::{Reply, aws_error, empty};
use super::state::{MAX_PAYLOAD, Shared};

/// An Invoke API call that passed the checks common to Invoke and InvokeWithResponseStream.
pub(super) struct Accepted {
    pub(super) index: usize,
    pub(super) invocation_type: String,
    pub(super) tail_log: bool,
    /// `X-Amz-Tenant-Id`: the tenant of a function with tenant isolation.
    pub(super) tenant_id: Option<String>,
    /// `X-Amz-Durable-Execution-Name`: the name of the durable execution an Invoke starts.
    #[cfg(feature = "durable")]
    pub(super) durable_execution_name: Option<String>,
    pub(super) body: Bytes,
}

/// Resolves the function, reads the payload and checks `X-Amz-Invocation-Type` against `types`; the
/// error reply (shaped like AWS's) when one of those fails, or the 204 of a `DryRun`.
pub(super) async fn accept_invocation(
    shared: &Shared,
    name: &str,
    request: Request<Incoming>,
    types: &[&str],
) -> Result<Accepted, Reply> {
    let Some(index) = shared.resolve(name) else {
        let known = shared.functions.iter().map(|f| f.name).collect::<Vec<_>>().join(", ");
        return Err(aws_error(
            StatusCode::NOT_FOUND,
            "ResourceNotFoundException",
            &format!(
                "Function not found: arn:aws:lambda:{}:123456789012:function:{name} (handlers: {known}; `function` needs _HANDLER when there are several)",
                shared.env.region
            ),
        ));
    };
    let header = |h: &str| {
        request
            .headers()
            .get(h)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let invocation_type = header("x-amz-invocation-type");
    let tail_log = header("x-amz-log-type").eq_ignore_ascii_case("tail");
    let tenant_id = Some(header("x-amz-tenant-id")).filter(|t| !t.is_empty());
    #[cfg(feature = "durable")]
    let durable_execution_name = Some(header("x-amz-durable-execution-name")).filter(|n| !n.is_empty());
    let body = match Limited::new(request.into_body(), MAX_PAYLOAD).collect().await {
        Ok(body) => body.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return Err(aws_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "RequestEntityTooLargeException",
                &format!("Request must be smaller than {MAX_PAYLOAD} bytes for the InvokeFunction operation"),
            ));
        }
        Err(e) => {
            return Err(aws_error(
                StatusCode::BAD_REQUEST,
                "InvalidRequestContentException",
                &e.to_string(),
            ));
        }
    };
    if !invocation_type.is_empty() && !types.contains(&invocation_type.as_str()) {
        return Err(aws_error(
            StatusCode::BAD_REQUEST,
            "InvalidParameterValueException",
            &format!(
                "X-Amz-Invocation-Type {invocation_type:?}: expected {}",
                types.join(", ")
            ),
        ));
    }
    if invocation_type == "DryRun" {
        return Err(empty(StatusCode::NO_CONTENT));
    }
    Ok(Accepted {
        index,
        invocation_type,
        tail_log,
        tenant_id,
        #[cfg(feature = "durable")]
        durable_execution_name,
        body,
    })
}
