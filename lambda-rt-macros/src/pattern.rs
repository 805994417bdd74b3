//! EventBridge event patterns (`eventbridge = r#"{"source": ["aws.s3"]}"#`), checked when the handler
//! compiles instead of when CloudFormation creates the rule.
//!
//! A pattern is a JSON object. Each member is a field of the event to match: either an object (the
//! fields inside it, as for `detail`) or a non-empty array of the values it may have. A value is a
//! string, a number, `true`, `false`, `null`, or an object with one comparison (`{"prefix": "img/"}`,
//! `{"numeric": [">", 0]}`, `{"exists": true}`, ...). `"$or": [{...}, {...}]`, at any level, matches
//! when one of its patterns does.
//!
//! The parser is a small one of ours: the macros would otherwise build `serde_json` a second time for the
//! host in every release build (ARCHITECTURE.md, "Dependencies").

/// A JSON value, as far as a pattern needs it.
#[derive(Debug, PartialEq)]
enum Json {
    Null,
    Bool(bool),
    Number,
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// The comparisons an array of a pattern may hold besides plain values.
const COMPARISONS: &[&str] = &[
    "prefix",
    "suffix",
    "anything-but",
    "numeric",
    "exists",
    "cidr",
    "equals-ignore-case",
    "wildcard",
];

/// Checks `pattern`; the error says what is wrong and where, in the user's words.
pub(crate) fn check(pattern: &str) -> Result<(), String> {
    let mut parser = Parser {
        source: pattern,
        text: pattern.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.space();
    if parser.at < parser.text.len() {
        return Err(format!(
            "the event pattern has text after its end, at {}",
            parser.position()
        ));
    }
    let Json::Object(members) = value else {
        return Err(
            "an event pattern is a JSON object, e.g. `{\"source\": [\"aws.s3\"], \"detail-type\": [\"Object Created\"]}`"
                .to_owned(),
        );
    };
    if members.is_empty() {
        return Err(
            "EventBridge refuses an empty event pattern: name a field to match, e.g. `{\"source\": [\"aws.s3\"]}`"
                .to_owned(),
        );
    }
    check_fields(&members, "")
}

fn check_fields(members: &[(String, Json)], prefix: &str) -> Result<(), String> {
    for (name, value) in members {
        let field = format!("{prefix}{name}");
        if name == "$or" {
            let Json::Array(alternatives) = value else {
                return Err(format!(
                    "`{field}` takes a list of patterns, e.g. `\"$or\": [{{\"source\": [\"a\"]}}, {{\"detail-type\": [\"b\"]}}]`"
                ));
            };
            if alternatives.len() < 2 {
                return Err(format!("`{field}` needs two patterns or more to choose from"));
            }
            for alternative in alternatives {
                match alternative {
                    Json::Object(inner) if !inner.is_empty() => check_fields(inner, prefix)?,
                    _ => return Err(format!("`{field}`: each alternative is a pattern, a non-empty object")),
                }
            }
            continue;
        }
        match value {
            Json::Object(inner) if inner.is_empty() => {
                return Err(format!(
                    "`{field}` is an empty object: name the fields to match inside it"
                ));
            }
            Json::Object(inner) => check_fields(inner, &format!("{field}."))?,
            Json::Array(values) if values.is_empty() => {
                return Err(format!(
                    "`{field}` is an empty list, which matches no event: give the values to match"
                ));
            }
            Json::Array(values) => {
                for value in values {
                    check_value(&field, value)?;
                }
            }
            _ => {
                return Err(format!(
                    "`{field}`: the values to match go in a list, e.g. `\"{name}\": [\"value\"]`"
                ));
            }
        }
    }
    Ok(())
}

fn check_value(field: &str, value: &Json) -> Result<(), String> {
    match value {
        Json::Object(members) => match members.as_slice() {
            [(comparison, _)] if COMPARISONS.contains(&comparison.as_str()) => Ok(()),
            [(comparison, _)] => Err(format!(
                "`{field}`: `{comparison}` is not an EventBridge comparison; these are {}",
                COMPARISONS.join(", ")
            )),
            _ => Err(format!(
                "`{field}`: a comparison is an object with one member, e.g. `{{\"prefix\": \"img/\"}}`"
            )),
        },
        Json::Array(_) => Err(format!("`{field}`: a list inside the list of values; flatten it")),
        _ => Ok(()),
    }
}

/// What a backslash may be followed by in a string, for errors.
const ESCAPES: &str = "an escape (`\\\"`, `\\\\`, `\\n`, `\\u00e9`, ...)";

/// Patterns nest a few levels (`detail.object.key`); deeper than this is refused rather than recursed into.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    source: &'a str,
    text: &'a [u8],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn space(&mut self) {
        // JSON's whitespace: not form feed or vertical tab.
        while matches!(self.text.get(self.at), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Line and column of the current byte, counted from 1, for a pattern written over several lines.
    fn position(&self) -> String {
        let before = &self.text[..self.at.min(self.text.len())];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
        format!("line {line}, column {column}")
    }

    fn error(&self, expected: &str) -> String {
        match self.source.get(self.at..).and_then(|rest| rest.chars().next()) {
            Some(found) => format!(
                "the event pattern is not JSON: expected {expected} at {}, found `{found}`",
                self.position()
            ),
            None if self.at < self.text.len() => {
                format!(
                    "the event pattern is not JSON: expected {expected} at {}",
                    self.position()
                )
            }
            None => format!("the event pattern is not JSON: it ends where {expected} was expected"),
        }
    }

    fn eat(&mut self, byte: u8) -> bool {
        self.space();
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Result<Json, String> {
        self.space();
        if self.depth >= MAX_DEPTH {
            return Err(format!("the event pattern nests deeper than {MAX_DEPTH} levels"));
        }
        self.depth += 1;
        let value = self.value_inner();
        self.depth -= 1;
        value
    }

    fn value_inner(&mut self) -> Result<Json, String> {
        match self.text.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                if self.eat(b'}') {
                    return Ok(Json::Object(members));
                }
                loop {
                    self.space();
                    let name = self.string()?;
                    if !self.eat(b':') {
                        return Err(self.error("`:`"));
                    }
                    let value = self.value()?;
                    if members.iter().any(|(n, _): &(String, Json)| *n == name) {
                        return Err(format!("the event pattern names `{name}` twice in one object"));
                    }
                    members.push((name, value));
                    if self.eat(b'}') {
                        return Ok(Json::Object(members));
                    }
                    if !self.eat(b',') {
                        return Err(self.error("`,` or `}`"));
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(b']') {
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    if self.eat(b']') {
                        return Ok(Json::Array(items));
                    }
                    if !self.eat(b',') {
                        return Err(self.error("`,` or `]`"));
                    }
                }
            }
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(b'n') => self.word("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.error("a value")),
        }
    }

    fn word(&mut self, word: &str, value: Json) -> Result<Json, String> {
        if self.text[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error(&format!("`{word}`")))
        }
    }

    fn number(&mut self) -> Result<Json, String> {
        let start = self.at;
        if self.text.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        let digits = |p: &mut Self| {
            let from = p.at;
            while p.text.get(p.at).is_some_and(u8::is_ascii_digit) {
                p.at += 1;
            }
            p.at > from
        };
        let first = self.at;
        if !digits(self) {
            return Err(self.error("a digit"));
        }
        if self.text[first] == b'0' && self.at > first + 1 {
            self.at = first;
            return Err(format!(
                "the event pattern is not JSON: a number starts with `0` at {}",
                self.position()
            ));
        }
        if self.text.get(self.at) == Some(&b'.') {
            self.at += 1;
            if !digits(self) {
                return Err(self.error("a digit after `.`"));
            }
        }
        if matches!(self.text.get(self.at), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.text.get(self.at), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !digits(self) {
                return Err(self.error("an exponent"));
            }
        }
        debug_assert!(self.at > start);
        Ok(Json::Number)
    }

    /// The four hex digits at `at`, as a UTF-16 unit.
    fn hex4(&self, at: usize) -> Option<u32> {
        let hex = self.text.get(at..at + 4)?;
        // `from_str_radix` would take a sign too.
        hex.iter()
            .try_fold(0, |code, &digit| Some(code * 16 + char::from(digit).to_digit(16)?))
    }

    /// The character of the `\uXXXX` escape at `at` (a surrogate pair: two escapes), `at` moved past it.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let unpaired = |p: &Self| {
            format!(
                "the event pattern is not JSON: an unpaired surrogate escape at {}",
                p.position()
            )
        };
        let Some(unit) = self.hex4(self.at + 2) else {
            self.at += 1;
            return Err(self.error(ESCAPES));
        };
        let code = match unit {
            0xD800..=0xDBFF => match (self.text.get(self.at + 6..self.at + 8), self.hex4(self.at + 8)) {
                (Some(b"\\u"), Some(low @ 0xDC00..=0xDFFF)) => {
                    let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    self.at += 6;
                    code
                }
                _ => return Err(unpaired(self)),
            },
            0xDC00..=0xDFFF => return Err(unpaired(self)),
            _ => unit,
        };
        self.at += 6;
        char::from_u32(code).ok_or_else(|| unpaired(self))
    }

    fn string(&mut self) -> Result<String, String> {
        if self.text.get(self.at) != Some(&b'"') {
            return Err(self.error("a string in `\"`"));
        }
        self.at += 1;
        let mut out = Vec::new();
        loop {
            match self.text.get(self.at) {
                None => return Err(self.error("the string's closing `\"`")),
                Some(b'"') => {
                    self.at += 1;
                    // The input is a Rust string literal's value, so UTF-8, and only whole
                    // characters were copied.
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                Some(b'\\') => {
                    let escaped = self.text.get(self.at + 1).copied();
                    match escaped {
                        Some(b'"') => out.push(b'"'),
                        Some(b'\\') => out.push(b'\\'),
                        Some(b'/') => out.push(b'/'),
                        Some(b'n') => out.push(b'\n'),
                        Some(b't') => out.push(b'\t'),
                        Some(b'r') => out.push(b'\r'),
                        Some(b'b') => out.push(8),
                        Some(b'f') => out.push(12),
                        Some(b'u') => {
                            let c = self.unicode_escape()?;
                            let mut utf8 = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                            continue;
                        }
                        _ => {
                            self.at += 1;
                            return Err(self.error(ESCAPES));
                        }
                    }
                    self.at += 2;
                }
                Some(&byte) if byte < 0x20 => return Err(self.error("no control character inside a string")),
                Some(&byte) => {
                    out.push(byte);
                    self.at += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn patterns_eventbridge_accepts() {
        for ok in [
            r#"{"source": ["aws.s3"]}"#,
            r#"{"source": ["aws.s3"], "detail-type": ["Object Created"], "detail": {"bucket": {"name": ["uploads"]}}}"#,
            r#"{"detail": {"size": [{"numeric": [">", 0, "<=", 1.5e3]}], "key": [{"prefix": "img/"}, "exact"]}}"#,
            r#"{"detail": {"state": [{"anything-but": ["stopped"]}], "gone": [null, true, false, -1]}}"#,
            "{\"source\":[\"a\\\"b\\u00e9\"]}",
            r#"{"detail": {"key": [{"\u0070refix": "\ud83d\ude00/"}]}}"#,
            r#"{"\u0041": ["x"], "\u0042": ["y"]}"#,
            r#"{"$or": [{"source": ["aws.s3"]}, {"detail-type": ["Object Created"], "detail": {"n": [0, 10]}}]}"#,
            r#"{"detail": {"$or": [{"a": ["x"]}, {"b": [{"exists": true}]}]}}"#,
            "{\n  \"source\": [\"é\"],\r\n\t\"n\": [0.5]\n}",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn patterns_eventbridge_refuses_say_why() {
        for (bad, says) in [
            (r#"["aws.s3"]"#, "is a JSON object"),
            ("{}", "refuses an empty event pattern"),
            (r#"{"source": "aws.s3"}"#, "go in a list"),
            (r#"{"source": []}"#, "empty list"),
            (r#"{"detail": {}}"#, "`detail` is an empty object"),
            (
                r#"{"detail": {"key": [{"starts": "a"}]}}"#,
                "`detail.key`: `starts` is not an EventBridge comparison",
            ),
            (r#"{"detail": {"key": [{"prefix": "a", "suffix": "b"}]}}"#, "one member"),
            (r#"{"source": [["a"]]}"#, "flatten"),
            (r#"{"source": ["a"],}"#, "expected a string"),
            (r#"{"source": ["a"]"#, "ends where"),
            (r#"{"source": ["a"]} x"#, "after its end"),
            (r#"{'source': ['a']}"#, "not JSON"),
            (r#"{"source": ["a"], "source": ["b"]}"#, "twice"),
            (r#"{"$or": [{"source": ["a"]}]}"#, "two patterns or more"),
            (r#"{"$or": {"source": ["a"]}}"#, "takes a list of patterns"),
            (r#"{"$or": [{"source": ["a"]}, {}]}"#, "non-empty object"),
            (
                r#"{"$or": [{"source": "a"}, {"b": ["c"]}]}"#,
                "`source`: the values to match go in a list",
            ),
            (r#"{"n": [01]}"#, "starts with `0`"),
            ("{\"n\":\u{c}[1]}", "expected a value"),
            ("{\n  \"source\": [\"a\"]\n  \"x\": [1]}", "at line 3, column 3"),
            ("{\"s\": [é]}", "found `é`"),
            (r#"{"\u0041": ["x"], "A": ["y"]}"#, "names `A` twice"),
            (r#"{"s": ["\ud800"]}"#, "unpaired surrogate"),
            (r#"{"s": ["\udc00x"]}"#, "unpaired surrogate"),
            (r#"{"s": ["\u12"]}"#, "expected an escape"),
            (r#"{"s": ["\u+123"]}"#, "expected an escape"),
        ] {
            let error = check(bad).unwrap_err();
            assert!(error.contains(says), "{bad}: {error}");
        }
    }

    #[test]
    fn a_pattern_nested_too_deep_is_refused_without_recursing_further() {
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(
            check(&format!("{{\"a\": {deep}}}"))
                .unwrap_err()
                .contains("deeper than 64")
        );
    }
}
