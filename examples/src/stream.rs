//! Response streaming: `stream.lines` writes its body piece by piece through a channel, and
//! `stream.http` answers a Function URL request with server-sent events behind an HTTP prelude.

use std::time::Duration;

use lambda_fn::{Error, HttpPrelude, StreamingResponse, handler};
use lambda_fn_events::function_url::LambdaFunctionUrlRequest;
use serde::Deserialize;

/// What `stream.lines` writes.
#[derive(Debug, Deserialize)]
pub struct Lines {
    /// How many lines.
    pub count: u32,
    /// Pause before each line, in milliseconds.
    #[serde(default)]
    pub delay_ms: u64,
    /// Fail (after the lines before it were sent) instead of writing this line.
    #[serde(default)]
    pub fail_at: Option<u32>,
    /// Panic in the writing task instead of writing this line.
    #[serde(default)]
    pub panic_at: Option<u32>,
    /// The body's content type (`text/plain` when absent).
    #[serde(default)]
    pub content_type: Option<String>,
}

/// Writes `line 1` … `line <count>`, one line per piece, from a task of its own; with `fail_at`, ends
/// the body with a `StreamBroke` error there (reported in the response's trailers); with `panic_at`,
/// the writing task panics there (a `Runtime.Panic` in the trailers). A count of 0 is refused before
/// anything is sent.
#[handler("stream.lines")]
pub async fn lines(request: Lines) -> Result<StreamingResponse, Error> {
    if request.count == 0 {
        return Err(Error::new("NothingToStream", "`count` must be at least 1"));
    }
    let (response, mut body) = StreamingResponse::channel(4);
    let (count, delay_ms, fail_at, panic_at) = (request.count, request.delay_ms, request.fail_at, request.panic_at);
    tokio::spawn(async move {
        for line in 1..=count {
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            assert_ne!(panic_at, Some(line), "asked to panic at line {line}");
            if fail_at == Some(line) {
                body.fail(Error::new("StreamBroke", format!("stopped before line {line}")))
                    .await;
                return;
            }
            if body.send(format!("line {line}\n")).await.is_err() {
                return;
            }
        }
    });
    let content_type = request.content_type.unwrap_or_else(|| "text/plain".to_owned());
    Ok(response.content_type(content_type))
}

/// Answers a Function URL request with three server-sent events naming its path.
#[handler("stream.http", url(streaming))]
pub async fn events(request: LambdaFunctionUrlRequest) -> StreamingResponse {
    let path = request.raw_path.unwrap_or_else(|| "/".to_owned());
    let events = (1..=3).map(move |n| Ok::<_, Error>(format!("data: {{\"n\":{n},\"path\":\"{path}\"}}\n\n")));
    StreamingResponse::http(
        HttpPrelude::new(200)
            .header("content-type", "text/event-stream")
            .header("cache-control", "no-cache")
            .cookie("visited=1; Path=/"),
        futures_util::stream::iter(events),
    )
}
