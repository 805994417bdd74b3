use lambda_fn::handler;

struct NotAnAnswer;

#[handler("a.api", route = "GET /a")]
async fn bad_answer() -> NotAnAnswer {
    NotAnAnswer
}

struct NotAnExtractor;

#[handler("b.api", route = "GET /b")]
async fn bad_parameter(_x: NotAnExtractor) -> &'static str {
    "b"
}

fn main() {}
