//! How the value of an option is read: the literals it takes and the `key = value` settings inside its
//! parentheses (`sqs(queue = "Orders", window = 5)`), each checked against the keys the option knows.

use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ExprCall, Ident, Lit, LitStr};

use crate::common::push;

/// A setting an option takes inside its parentheses, and what it means (for the message that lists them).
pub(crate) struct Key {
    pub(crate) name: &'static str,
    pub(crate) about: &'static str,
}

/// The settings inside `option(...)`: only known keys, each given once.
pub(crate) struct Settings<'a> {
    call: &'a ExprCall,
    given: Vec<(&'a Ident, &'a Expr)>,
}

impl<'a> Settings<'a> {
    /// Reads `call`'s arguments as `key = value` with the `keys` that `option` knows; every argument that is
    /// not one is reported in `errors` at its span and left out.
    pub(crate) fn parse(
        option: &str,
        usage: &str,
        keys: &[Key],
        call: &'a ExprCall,
        errors: &mut Option<syn::Error>,
    ) -> Self {
        let mut given: Vec<(&Ident, &Expr)> = Vec::new();
        for arg in &call.args {
            let key = match arg {
                Expr::Assign(assign) => match &*assign.left {
                    Expr::Path(path) => path.path.get_ident().map(|key| (key, &*assign.right)),
                    _ => None,
                },
                _ => None,
            };
            let Some((key, value)) = key else {
                push(
                    errors,
                    syn::Error::new_spanned(arg, format!("expected `key = value` inside `{option}(...)`: {usage}")),
                );
                continue;
            };
            if !keys.iter().any(|known| key == known.name) {
                push(errors, syn::Error::new(key.span(), unknown_key(option, key, keys)));
            } else if given.iter().any(|(seen, _)| *seen == key) {
                push(
                    errors,
                    syn::Error::new_spanned(arg, format!("`{key}` is given twice: keep one")),
                );
            } else {
                given.push((key, value));
            }
        }
        Settings { call, given }
    }

    /// The value of `key`, if given.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Expr> {
        self.given
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, value)| *value)
    }

    /// Where an error about a missing setting goes: the option as written.
    pub(crate) fn span(&self) -> Span {
        self.call.span()
    }

    /// Where an error about `key` goes: its value if given, else the option.
    pub(crate) fn span_of(&self, key: &str) -> Span {
        self.get(key).map_or_else(|| self.span(), Spanned::span)
    }
}

/// "unknown `sqs` setting `size`: the settings are `queue` (...), ... and `window` (...)".
fn unknown_key(option: &str, key: &Ident, keys: &[Key]) -> String {
    let described: Vec<String> = keys.iter().map(|k| format!("`{}` ({})", k.name, k.about)).collect();
    let listed = match described.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    format!("unknown `{option}` setting `{key}`: the settings are {listed}")
}

/// The value of a whole number literal (`256`), or `None` for anything else.
pub(crate) fn int_literal(value: &Expr) -> Option<u64> {
    match value {
        Expr::Lit(syn::ExprLit { lit: Lit::Int(int), .. }) => int.base10_parse::<u64>().ok(),
        _ => None,
    }
}

/// A string literal (`"Orders"`, `r#"{...}"#`), or `None` for anything else.
pub(crate) fn string_literal(value: &Expr) -> Option<LitStr> {
    match value {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(lit), .. }) => Some(lit.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &[Key] = &[
        Key {
            name: "queue",
            about: "the queue",
        },
        Key {
            name: "window",
            about: "seconds",
        },
    ];

    fn settings(source: &str) -> (Vec<String>, Vec<String>) {
        let call: ExprCall = syn::parse_str(source).unwrap_or_else(|e| panic!("{source}: {e}"));
        let mut errors = None;
        let settings = Settings::parse("sqs", "`sqs(queue = \"Q\")`", KEYS, &call, &mut errors);
        let given = settings.given.iter().map(|(key, _)| key.to_string()).collect();
        let errors = errors
            .map(|e| e.into_iter().map(|e| e.to_string()).collect())
            .unwrap_or_default();
        (given, errors)
    }

    #[test]
    fn known_keys_are_taken_once() {
        assert_eq!(settings("sqs(queue = \"Q\", window = 5)").0, ["queue", "window"]);
        let (given, errors) = settings("sqs(queue = \"Q\", queue = \"R\", size = 3, 8)");
        assert_eq!(given, ["queue"]);
        assert_eq!(
            errors,
            [
                "`queue` is given twice: keep one",
                "unknown `sqs` setting `size`: the settings are `queue` (the queue) and `window` (seconds)",
                "expected `key = value` inside `sqs(...)`: `sqs(queue = \"Q\")`",
            ]
        );
    }
}
