//! The Extensions API, only as far as graceful shutdown needs it: Lambda sends the runtime SIGTERM
//! before it shuts an environment down only when an extension is registered. With `#[shutdown]` hooks
//! the runtime registers an internal extension for no events and keeps its `event/next` poll open (an
//! extension signals that its init is done by polling).

use super::api::Endpoint;
use super::connection::{Connection, Request};

/// The name the extension registers under.
pub(crate) const NAME: &str = "lambda-rt-shutdown";

/// Registers the extension; on success its `event/next` poll is kept open by a task of its own.
pub(crate) async fn register(endpoint: &Endpoint) -> Result<(), String> {
    let host = endpoint.authority();
    let mut connection = Connection::open(host)
        .await
        .map_err(|e| format!("cannot connect to the Extensions API: {e}"))?;
    let register = [endpoint.prefix(), "/2020-01-01/extension/register"];
    let request = Request {
        method: "POST",
        path: &register,
        headers: &[("Lambda-Extension-Name", NAME)],
        body: Some(br#"{"events":[]}"#),
    };
    let status = connection.send(host, &request).await.map_err(|e| e.to_string())?;
    if status != 200 {
        return Err(format!(
            "the Extensions API answered the registration with {status}: {}",
            String::from_utf8_lossy(connection.body())
        ));
    }
    let id = connection
        .header("lambda-extension-identifier")
        .ok_or("the Extensions API's answer has no Lambda-Extension-Identifier")?
        .to_owned();
    let host = host.to_owned();
    let next = [
        endpoint.prefix().to_owned(),
        "/2020-01-01/extension/event/next".to_owned(),
    ];
    tokio::spawn(async move {
        let mut connection = Some(connection);
        let mut pause = std::time::Duration::from_millis(50);
        loop {
            let open = match connection.take() {
                Some(open) if open.is_reusable() => open,
                _ => match Connection::open(&host).await {
                    Ok(open) => open,
                    Err(_) => {
                        tokio::time::sleep(pause).await;
                        pause = (pause * 2).min(std::time::Duration::from_secs(5));
                        continue;
                    }
                },
            };
            let mut open = open;
            let path = [next[0].as_str(), next[1].as_str()];
            let request = Request {
                method: "GET",
                path: &path,
                headers: &[("Lambda-Extension-Identifier", &id)],
                body: None,
            };
            // Registered for no events, the poll is answered only if Lambda changes its mind: poll again
            // at once after a 200, after a pause otherwise (an error answer must not make it spin).
            match open.send(&host, &request).await {
                Ok(200) => {
                    connection = Some(open);
                    pause = std::time::Duration::from_millis(50);
                }
                Ok(_) => {
                    connection = Some(open);
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(std::time::Duration::from_secs(5));
                }
                Err(_) => tokio::time::sleep(pause).await,
            }
        }
    });
    Ok(())
}
