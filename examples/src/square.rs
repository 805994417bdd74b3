//! `square.APIGW`: a JSON API behind API Gateway (REST, proxy integration).
//!
//! A bad request is the client's mistake, so it gets a 400 response with a JSON error body, not a
//! Lambda error (which API Gateway would turn into a 502).

use lambda_fn::{Error, handler};
use lambda_fn_events::apigw::{ApiGatewayProxyRequest, ApiGatewayProxyResponse};
use serde::Deserialize;
use serde_json::{Number, json};

#[derive(Deserialize)]
struct SquareRequest {
    number: Number,
}

/// `{"number": n}` -> 200 `{"result": n*n}`; anything else -> 400 `{"error": ...}`.
#[handler("square.APIGW")]
pub async fn square(event: ApiGatewayProxyRequest) -> Result<ApiGatewayProxyResponse, Error> {
    let parsed = event
        .decoded_body()
        .map_err(|e| e.to_string())
        .and_then(|body| serde_json::from_slice::<SquareRequest>(&body).map_err(|e| e.to_string()));
    let response = match parsed {
        Ok(request) => ApiGatewayProxyResponse::json(200, &json!({ "result": squared(&request.number) }))?,
        Err(why) => ApiGatewayProxyResponse::json(
            400,
            &json!({ "error": format!("expected a JSON body like {{\"number\": 4}}: {why}") }),
        )?,
    };
    Ok(response)
}

/// Integers stay integers while the square fits in an `i64`; everything else is squared as `f64`.
fn squared(n: &Number) -> Number {
    if let Some(square) = n.as_i64().and_then(|i| i.checked_mul(i)) {
        return square.into();
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    Number::from_f64(f * f).unwrap_or_else(|| Number::from(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(body: Option<&str>) -> ApiGatewayProxyRequest {
        let mut event: ApiGatewayProxyRequest =
            serde_json::from_str(include_str!("../events/apigw.json")).expect("the example event decodes");
        event.body = body.map(str::to_owned);
        event
    }

    async fn call(body: Option<&str>) -> (u16, serde_json::Value) {
        let response = square(request(body)).await.expect("square answers every request");
        let body = serde_json::from_str(response.body.as_deref().unwrap_or("null")).expect("a JSON body");
        (response.status_code, body)
    }

    #[tokio::test]
    async fn squares_integers_and_floats() {
        assert_eq!(call(Some(r#"{"number": 12}"#)).await, (200, json!({"result": 144})));
        assert_eq!(call(Some(r#"{"number": -3}"#)).await, (200, json!({"result": 9})));
        assert_eq!(call(Some(r#"{"number": 1.5}"#)).await, (200, json!({"result": 2.25})));
        assert_eq!(
            call(Some(r#"{"number": 4294967296}"#)).await.1["result"],
            json!(1.8446744073709552e19)
        );
    }

    #[tokio::test]
    async fn rejects_bad_bodies_with_400() {
        for body in [None, Some("not json"), Some(r#"{"number": "7"}"#), Some(r#"{"n": 7}"#)] {
            let (status, json) = call(body).await;
            assert_eq!(status, 400, "{body:?}");
            assert!(
                json["error"].as_str().is_some_and(|e| e.contains("number")),
                "{body:?}: {json}"
            );
        }
    }
}
