//! Amazon API Gateway events: REST API (v1) and HTTP API (v2) proxy integrations, WebSocket APIs,
//! and Lambda authorizers for REST and HTTP APIs.
//!
//! | API | Request | Response |
//! | --- | --- | --- |
//! | REST API proxy (payload 1.0) | [`ApiGatewayProxyRequest`] | [`ApiGatewayProxyResponse`] |
//! | HTTP API proxy (payload 2.0) | [`ApiGatewayV2HttpRequest`] | [`ApiGatewayV2HttpResponse`] |
//! | WebSocket API | [`ApiGatewayWebsocketProxyRequest`] | [`ApiGatewayProxyResponse`] |
//! | REST `TOKEN` authorizer | [`ApiGatewayCustomAuthorizerRequest`] | [`ApiGatewayCustomAuthorizerResponse`] |
//! | REST / WebSocket `REQUEST` authorizer | [`ApiGatewayCustomAuthorizerRequestTypeRequest`] | [`ApiGatewayCustomAuthorizerResponse`] |
//! | HTTP API authorizer, payload 1.0 | [`ApiGatewayV2CustomAuthorizerV1Request`] | [`ApiGatewayV2CustomAuthorizerIamPolicyResponse`] |
//! | HTTP API authorizer, payload 2.0 | [`ApiGatewayV2CustomAuthorizerV2Request`] | [`ApiGatewayV2CustomAuthorizerSimpleResponse`] or [`ApiGatewayV2CustomAuthorizerIamPolicyResponse`] |
//!
//! ```
//! use lambda_fn_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
//!
//! let event: ApiGatewayProxyRequest = serde_json::from_str(r#"{
//!     "resource": "/square",
//!     "path": "/square",
//!     "httpMethod": "POST",
//!     "headers": {"Content-Type": "application/json"},
//!     "multiValueHeaders": {"Content-Type": ["application/json"]},
//!     "queryStringParameters": null,
//!     "requestContext": {"stage": "prod", "requestId": "r-1", "identity": {"sourceIp": "203.0.113.7"}},
//!     "body": "{\"number\": 7}",
//!     "isBase64Encoded": false
//! }"#).unwrap();
//! assert_eq!(event.header("content-type"), Some("application/json"));
//! assert_eq!(event.request_context.identity.source_ip.as_deref(), Some("203.0.113.7"));
//! let input: serde_json::Value = serde_json::from_slice(&event.decoded_body().unwrap()).unwrap();
//! let n = input["number"].as_i64().unwrap();
//!
//! let response = ApiGatewayProxyResponse::json(200, &serde_json::json!({"result": n * n})).unwrap();
//! assert_eq!(response.body.as_deref(), Some(r#"{"result":49}"#));
//! ```

mod authorizer;
mod http_api;
mod rest;
mod websocket;

#[cfg(feature = "http")]
pub use crate::http_common::IntoHttpRequestError;
pub use authorizer::*;
pub use http_api::*;
pub use rest::*;
pub use websocket::*;
