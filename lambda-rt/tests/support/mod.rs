//! What the integration tests share: HTTP calls to the in-process emulator, and a runtime for the
//! durable workflows' tests.
#![allow(clippy::expect_used, dead_code)]

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

/// One HTTP/1.1 POST with `Connection: close`; returns the status line's code, the headers and the body.
pub fn post(addr: std::net::SocketAddr, path: &str, body: &str) -> (u16, String, String) {
    post_with(addr, path, &[], body)
}

/// [`post`] with extra request `headers`.
pub fn post_with(
    addr: std::net::SocketAddr,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    let (head, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
    (status, head.to_ascii_lowercase(), body.to_owned())
}

/// Runs `future` to its end on a current-thread runtime, as a durable workflow's invocation runs.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}
