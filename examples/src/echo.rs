//! `echo.raw`: returns the event unchanged, byte for byte. A synchronous handler.

use lambda_fn::handler;
use serde_json::value::RawValue;

/// Any JSON in, the same JSON out. `RawValue` keeps the text exactly (key order, spacing, numbers).
#[handler("echo.raw")]
pub fn echo(event: Box<RawValue>) -> Box<RawValue> {
    event
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_same_text() {
        let text = r#"{"b": 1, "a": [true, null, 1.50]}"#;
        let event: Box<RawValue> = serde_json::from_str(text).expect("valid JSON");
        assert_eq!(serde_json::to_string(&echo(event)).expect("encodes"), text);
    }
}
