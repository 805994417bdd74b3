//! `hello.ALB`: the classic first Lambda function behind an Application Load Balancer.

use lambda_fn::{Context, Error, handler};
use lambda_fn_events::alb::{AlbTargetGroupRequest, AlbTargetGroupResponse};

/// The page every request gets.
pub const PAGE: &str = "<html><body><h1>Success! I created my first Lambda function with lambda-rt.</h1></body></html>";

/// Answers any ALB request with a 200 HTML page.
#[handler("hello.ALB", alb(listener = "HelloListener", path = "/hello*", priority = 10))]
pub async fn hello(_event: AlbTargetGroupRequest, _ctx: Context) -> Result<AlbTargetGroupResponse, Error> {
    Ok(AlbTargetGroupResponse::html(200, PAGE))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn answers_with_the_html_page() {
        let event: AlbTargetGroupRequest =
            serde_json::from_str(include_str!("../events/alb.json")).expect("the example event decodes");
        let response = hello(event, Context::for_test()).await.expect("hello never fails");
        assert_eq!(response.status_code, 200);
        assert_eq!(response.header("content-type"), Some("text/html"));
        let body = response.body.expect("a body");
        assert!(body.contains("Success! I created my first Lambda function"), "{body}");
    }
}
