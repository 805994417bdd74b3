//! SigV4 with AWS's own signer (`aws-sigv4`): the headers that sign one attempt of a request.

use std::time::SystemTime;

use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use http::{HeaderMap, HeaderName, HeaderValue};

use super::credentials::Credentials;
use super::error::AwsError;

/// Signs for one service in one region with one set of credentials.
#[derive(Debug, Clone)]
pub(crate) struct Signer {
    /// The credentials, as aws-sigv4 takes them.
    identity: Identity,
    /// The region of the credential scope.
    region: String,
    /// The signing name of the service, e.g. `lambda`.
    name: String,
}

impl Signer {
    /// A signer of requests to `name` in `region`.
    pub(crate) fn new(credentials: Credentials, region: String, name: String) -> Self {
        let credentials = aws_credential_types::Credentials::new(
            credentials.access_key_id,
            credentials.secret_access_key,
            credentials.session_token,
            None,
            "environment",
        );
        Signer {
            identity: credentials.into(),
            region,
            name,
        }
    }

    /// Adds to `headers` what signs the request at `time`: `x-amz-date`, `x-amz-security-token`
    /// (with temporary credentials) and `authorization`. `url` is the full URL with its path already
    /// percent-encoded; every header in `headers` (`host`, `content-type`, ...) is signed, and so is
    /// the hash of `body`.
    pub(crate) fn sign(
        &self,
        method: &str,
        url: &str,
        headers: &mut HeaderMap,
        body: &[u8],
        time: SystemTime,
    ) -> Result<(), AwsError> {
        let failed = |e: &dyn std::fmt::Display| AwsError::Request {
            problem: format!("cannot sign {method} {url}: {e}"),
        };
        let params = v4::SigningParams::builder()
            .identity(&self.identity)
            .region(&self.region)
            .name(&self.name)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| failed(&e))?
            .into();
        let signed: Vec<(&str, &str)> = headers
            .iter()
            .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect();
        let request =
            SignableRequest::new(method, url, signed.into_iter(), SignableBody::Bytes(body)).map_err(|e| failed(&e))?;
        let (instructions, _signature) = sign(request, &params).map_err(|e| failed(&e))?.into_parts();
        // What `apply_to_request_http1x` does, without its `unwrap` on the values.
        let (new_headers, _query) = instructions.into_parts();
        for header in new_headers {
            let mut value = HeaderValue::from_str(header.value()).map_err(|e| failed(&e))?;
            // The signature too: a logged request must not show what replays it.
            value.set_sensitive(header.sensitive() || header.name() == "authorization");
            headers.insert(HeaderName::from_static(header.name()), value);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use super::*;

    /// The botocore side of both tests: `botocore.auth.SigV4Auth(...).add_auth(AWSRequest(...))` on the
    /// same method, URL, headers and body, its clock fixed at 2025-12-02T10:20:30Z (botocore 1.43):
    ///
    /// ```python
    /// import datetime; from unittest import mock; import botocore.auth
    /// from botocore.awsrequest import AWSRequest; from botocore.credentials import Credentials
    /// req = AWSRequest(method="POST", url=URL, data=b'{"CheckpointToken":"tok-1","Updates":[]}',
    ///                  headers={"Content-Type": "application/json"})
    /// with mock.patch.object(botocore.auth, "get_current_datetime",
    ///                        return_value=datetime.datetime(2025, 12, 2, 10, 20, 30)):
    ///     botocore.auth.SigV4Auth(Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    ///                                         "SESSIONTOKEN"), "lambda", "us-east-1").add_auth(req)
    /// print(req.headers["Authorization"])
    /// ```
    const BOTOCORE_POST: &str = "AWS4-HMAC-SHA256 \
        Credential=AKIDEXAMPLE/20251202/us-east-1/lambda/aws4_request, \
        SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, \
        Signature=71838c0b5fde20bc05be110e0c1c8d63e2b9d97c5dde5797fa78a0cb127c59db";

    /// The same for `GET` of [`GET_URL`] without a body, with `Credentials("AKID", "SECRET", None)` in
    /// `eu-west-1`: no session token, a query to sort, a path prefix, a port.
    const BOTOCORE_GET: &str = "AWS4-HMAC-SHA256 \
        Credential=AKID/20251202/eu-west-1/lambda/aws4_request, \
        SignedHeaders=host;x-amz-date, \
        Signature=071d561212c66be52c3d12219ccc4b63f063947883c9127d9b37adc0003a1ec5";

    /// The URL of the `GET` test.
    const GET_URL: &str = "http://127.0.0.1:9001/prefix/2025-12-01/durable-executions/\
        arn%3Aaws%3Alambda%3Aeu-west-1%3A1%3Afunction%3Af/state?MaxItems=100&CheckpointToken=tok%2F1%3D&Marker=m";

    /// 2025-12-02T10:20:30Z.
    fn fixed_time() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_764_670_830)
    }

    #[test]
    fn the_signature_matches_botocore() {
        let signer = Signer::new(
            Credentials {
                access_key_id: "AKIDEXAMPLE".to_owned(),
                secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
                session_token: Some("SESSIONTOKEN".to_owned()),
            },
            "us-east-1".to_owned(),
            "lambda".to_owned(),
        );
        let url = "https://lambda.us-east-1.amazonaws.com/2025-12-01/durable-executions/\
                   arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn%3A%24LATEST%2Fdurable-execution%2Fexec-1%2Fabc/checkpoint";
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("lambda.us-east-1.amazonaws.com"));
        headers.insert("content-type", HeaderValue::from_static("application/json"));
        let time = fixed_time();
        let body = br#"{"CheckpointToken":"tok-1","Updates":[]}"#;
        signer.sign("POST", url, &mut headers, body, time).unwrap();

        assert_eq!(headers["x-amz-date"], "20251202T102030Z");
        assert_eq!(headers["x-amz-security-token"], "SESSIONTOKEN");
        assert_eq!(headers["authorization"], BOTOCORE_POST);
        assert!(headers["authorization"].is_sensitive() && headers["x-amz-security-token"].is_sensitive());
    }

    #[test]
    fn a_get_without_token_matches_botocore() {
        let credentials = Credentials {
            access_key_id: "AKID".to_owned(),
            secret_access_key: "SECRET".to_owned(),
            session_token: None,
        };
        let signer = Signer::new(credentials, "eu-west-1".to_owned(), "lambda".to_owned());
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("127.0.0.1:9001"));
        signer.sign("GET", GET_URL, &mut headers, b"", fixed_time()).unwrap();
        assert_eq!(headers["authorization"], BOTOCORE_GET);
        assert!(!headers.contains_key("x-amz-security-token"));
    }
}
