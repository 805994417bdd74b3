//! (feature `tower`) A tower `Service` of `http::Request`, an axum `Router` say, as the HTTP function:
//! the same source detection and answer encoding as routes, and a streamed body for a function URL in
//! `RESPONSE_STREAM` mode.

use std::fmt;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use futures_util::{FutureExt as _, StreamExt as _};
use http::header::SET_COOKIE;
use http_body::{Frame, SizeHint};
use http_body_util::{BodyDataStream, BodyExt as _};
use tower_service::Service;

use super::respond::failure;
use super::serve::{answer, request_of};
use super::{Body, Request};
use crate::encode::Output;
use crate::error::{Error, kind};
use crate::extract::Invocation;
use crate::registry::HandlerFuture;
use crate::stream::{HttpPrelude, StreamingResponse};

/// The request body, for a service: one frame with all the bytes.
impl http_body::Body for Body {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let bytes = std::mem::take(&mut self.0);
        Poll::Ready((!bytes.is_empty()).then(|| Ok(Frame::data(bytes))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.len() as u64)
    }
}

/// The registered call of `#[handler("name", service)]`: the service built at init (in `T`, by
/// `service_of`) answers the request; its response is encoded for the source, or streamed behind an
/// HTTP prelude when `streaming`. A service error or panic is a 500, logged with the request id.
#[doc(hidden)]
pub fn serve_service<T, S, B>(mut invocation: Invocation, service_of: fn(&T) -> S, streaming: bool) -> HandlerFuture
where
    T: Send + Sync + 'static,
    S: Service<Request, Response = http::Response<B>> + 'static,
    S::Error: fmt::Display,
    S::Future: 'static,
    B: http_body::Body<Data = Bytes> + 'static,
    B::Error: fmt::Display,
{
    Box::pin(async move {
        let built = invocation
            .state::<T>()
            .ok_or_else(|| Error::new(kind::INIT_ERROR, "the service was not built at init"))?;
        let mut service = service_of(built);
        let (request, answering) = request_of(&mut invocation)?;
        let request_id = invocation.context().request_id.clone();
        let called = async move {
            futures_util::future::poll_fn(|cx| service.poll_ready(cx)).await?;
            service.call(request).await
        };
        // A failure is a 500 in the shape the function answers in: buffered, or a stream with its prelude.
        let failed = |why: String| match streaming {
            true => streamed_failure(&why, &request_id),
            false => answer(failure(why), answering, &request_id),
        };
        let response = match AssertUnwindSafe(called).catch_unwind().await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) => return Ok(failed(format!("the service failed: {e}"))),
            // The panic hook has logged the panic with the request id.
            Err(_) => return Ok(failed("the service panicked".to_owned())),
        };
        let (parts, body) = response.into_parts();
        if streaming {
            return Ok(Output::Streaming(streamed(&parts, body)));
        }
        match AssertUnwindSafe(body.collect()).catch_unwind().await {
            Ok(Ok(collected)) => {
                let response = http::Response::from_parts(parts, Body::from(collected.to_bytes()));
                Ok(answer(response, answering, &request_id))
            }
            Ok(Err(e)) => Ok(answer(
                failure(format!("the service's response body failed: {e}")),
                answering,
                &request_id,
            )),
            Err(_) => Ok(answer(
                failure("the service's response body panicked".to_owned()),
                answering,
                &request_id,
            )),
        }
    })
}

/// A failure's 500 as a streamed HTTP answer (prelude, then the JSON body naming the request id), logged.
fn streamed_failure(why: &str, request_id: &str) -> Output {
    tracing::error!(status = 500, "the request failed: {why}");
    let body = super::respond::failure_body(request_id).into_bytes();
    let prelude = HttpPrelude::new(500).header("content-type", "application/json");
    Output::Streaming(StreamingResponse::http(
        prelude,
        futures_util::stream::once(async move { Ok::<_, Error>(body) }),
    ))
}

/// A streamed HTTP response: the status, headers and cookies in the prelude, then the body's data as
/// it comes; a body error after the first byte goes in the trailers.
fn streamed<B>(parts: &http::response::Parts, body: B) -> StreamingResponse
where
    B: http_body::Body<Data = Bytes> + 'static,
    B::Error: fmt::Display,
{
    let mut prelude = HttpPrelude::new(parts.status.as_u16());
    for name in parts.headers.keys() {
        let values = parts
            .headers
            .get_all(name)
            .iter()
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        if name == SET_COOKIE {
            for cookie in values {
                prelude = prelude.cookie(cookie);
            }
        } else {
            prelude = prelude.header(name.as_str(), values.collect::<Vec<_>>().join(", "));
        }
    }
    let pieces = BodyDataStream::new(body)
        .map(|piece| piece.map_err(|e| Error::new(kind::SERVICE_BODY, format!("the response body failed: {e}"))));
    StreamingResponse::http(prelude, pieces)
}
