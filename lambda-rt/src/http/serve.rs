//! The adapter the registration of a routed handler name calls: event -> request, route, call, the
//! response in the source's shape. The invocation loop knows nothing of it.

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt as _;
use http::header::{ALLOW, HeaderValue};
use http::{Method, StatusCode};

use super::event::decode;
use super::extract::RequestParts;
use super::respond::{Failure, HttpError, IntoResponse, failure, failure_body};
use super::router::{Match, Router};
use super::{HttpEvent, Request, Response, Source};
use crate::encode::{Output, spare_buffer};
use crate::error::{Error, kind};
use crate::extract::{Invocation, RawEvent};
use crate::registry::HandlerFuture;

/// Turns a route function's answer into a response (the generated code's last step).
pub fn respond<T: IntoResponse>(answer: T) -> Response {
    answer.into_response()
}

/// What the answer's encoding needs to know of the request.
#[derive(Clone, Copy)]
pub(crate) struct Answering {
    pub(crate) source: Source,
    pub(crate) multi_value: bool,
    pub(crate) head: bool,
}

/// Decodes the invocation's event as an HTTP request whose path is relative to the API (the base path
/// from `LAMBDA_RT_BASE_PATH` taken off).
pub(crate) fn request_of(invocation: &mut Invocation) -> Result<(Request, Answering), Error> {
    let RawEvent(event) = invocation.event::<RawEvent>()?;
    let request = decode(event, invocation.context().env.http_base_path.as_deref())?;
    let answering = match request.extensions().get::<HttpEvent>() {
        Some(info) => Answering {
            source: info.source(),
            multi_value: info.multi_value_headers(),
            head: request.method() == Method::HEAD,
        },
        None => {
            return Err(Error::new(
                kind::UNMARSHAL,
                "the HTTP event was decoded without its source",
            ));
        }
    };
    Ok((request, answering))
}

/// Encodes `response` in the source's shape; a failure's 500 is logged with the request id and gets a
/// body naming it.
pub(crate) fn answer(mut response: Response, answering: Answering, request_id: &str) -> Output {
    if let Some(Failure(why)) = response.extensions_mut().remove::<Failure>() {
        tracing::error!(status = response.status().as_u16(), "the request failed: {why}");
        response
            .headers_mut()
            .insert(http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        *response.body_mut() = failure_body(request_id);
    }
    let mut out = spare_buffer();
    super::encode::encode(
        &response,
        answering.source,
        answering.multi_value,
        answering.head,
        &mut out,
    );
    Output::Buffered(out)
}

/// The registered call of a handler name with routes: route the request and call the route's function.
#[doc(hidden)]
pub fn serve_routes(mut invocation: Invocation) -> HandlerFuture {
    Box::pin(async move {
        let router = invocation
            .state::<Router>()
            .ok_or_else(|| Error::new(kind::INIT_ERROR, "the routes of this handler were not set up at init"))?;
        let (request, answering) = request_of(&mut invocation)?;
        let request_id = invocation.context().request_id.clone();
        let response = match router.find(request.method(), request.uri().path()) {
            Match::Route(route, params) => {
                let (head, body) = request.into_parts();
                let call = (route.call)(RequestParts::new(head, params, invocation), body);
                match AssertUnwindSafe(call).catch_unwind().await {
                    Ok(response) => response,
                    // The panic hook has logged the panic with the request id.
                    Err(_) => failure(format!(
                        "`{} {}` ({}) panicked",
                        route.method, route.path, route.function
                    )),
                }
            }
            Match::MethodNotAllowed(allowed) => {
                let message = format!(
                    "`{} {}` is not served; this path takes {}",
                    request.method(),
                    request.uri().path(),
                    allowed.join(", ")
                );
                let mut response = HttpError::new(StatusCode::METHOD_NOT_ALLOWED, message).into_response();
                if let Ok(allow) = HeaderValue::from_str(&allowed.join(", ")) {
                    response.headers_mut().insert(ALLOW, allow);
                }
                response
            }
            Match::NotFound => {
                let message = format!("no route for `{} {}`", request.method(), request.uri().path());
                HttpError::not_found(message).into_response()
            }
        };
        Ok(answer(response, answering, &request_id))
    })
}
