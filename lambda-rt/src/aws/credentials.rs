//! The credentials calls are signed with: Lambda's execution role, which Lambda puts in the
//! environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`).

use std::fmt;

use super::Env;
use super::error::AwsError;

/// An access key, its secret and, for temporary credentials (an execution role's always are), the
/// session token. `Debug` shows the key id only.
#[derive(Clone)]
pub(crate) struct Credentials {
    /// `AWS_ACCESS_KEY_ID`.
    pub(crate) access_key_id: String,
    /// `AWS_SECRET_ACCESS_KEY`.
    pub(crate) secret_access_key: String,
    /// `AWS_SESSION_TOKEN`, sent as `x-amz-security-token`.
    pub(crate) session_token: Option<String>,
}

impl Credentials {
    /// Reads the credentials from `env`: the key id and the secret are required, the session token
    /// is optional. A missing or empty variable, or one that cannot be sent in a header, is an
    /// [`AwsError::Credentials`] naming it.
    pub(crate) fn from_lookup(env: Env<'_>) -> Result<Self, AwsError> {
        let required = |variable: &'static str| match env(variable) {
            Some(value) if !value.is_empty() => header_safe(variable, value),
            _ => Err(AwsError::Credentials {
                variable,
                problem: "is not set",
            }),
        };
        let access_key_id = required("AWS_ACCESS_KEY_ID")?;
        let secret_access_key = required("AWS_SECRET_ACCESS_KEY")?;
        let session_token = match env("AWS_SESSION_TOKEN") {
            Some(token) if !token.is_empty() => Some(header_safe("AWS_SESSION_TOKEN", token)?),
            _ => None,
        };
        Ok(Credentials {
            access_key_id,
            secret_access_key,
            session_token,
        })
    }
}

/// The value itself if it is visible ASCII (what an HTTP header value and a credential scope take).
fn header_safe(variable: &'static str, value: String) -> Result<String, AwsError> {
    if value.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(value)
    } else {
        Err(AwsError::Credentials {
            variable,
            problem: "holds spaces, control or non-ASCII characters",
        })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    fn missing(vars: &'static [(&'static str, &'static str)]) -> &'static str {
        match Credentials::from_lookup(&lookup(vars)) {
            Err(AwsError::Credentials { variable, .. }) => variable,
            other => panic!("expected a credentials error, got {other:?}"),
        }
    }

    #[test]
    fn all_three_are_read() {
        let env = lookup(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "TOKEN"),
        ]);
        let credentials = Credentials::from_lookup(&env).unwrap();
        assert_eq!(credentials.access_key_id, "AKID");
        assert_eq!(credentials.secret_access_key, "SECRET");
        assert_eq!(credentials.session_token.as_deref(), Some("TOKEN"));
        let shown = format!("{credentials:?}");
        assert!(!shown.contains("SECRET") && !shown.contains("TOKEN"), "{shown}");
    }

    #[test]
    fn the_session_token_is_optional() {
        let env = lookup(&[("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "SECRET")]);
        assert_eq!(Credentials::from_lookup(&env).unwrap().session_token, None);
    }

    #[test]
    fn a_missing_or_empty_variable_is_named() {
        assert_eq!(missing(&[("AWS_SECRET_ACCESS_KEY", "SECRET")]), "AWS_ACCESS_KEY_ID");
        assert_eq!(missing(&[("AWS_ACCESS_KEY_ID", "AKID")]), "AWS_SECRET_ACCESS_KEY");
        assert_eq!(
            missing(&[("AWS_ACCESS_KEY_ID", ""), ("AWS_SECRET_ACCESS_KEY", "SECRET")]),
            "AWS_ACCESS_KEY_ID"
        );
        let error = Credentials::from_lookup(&lookup(&[])).unwrap_err();
        assert!(error.to_string().contains("AWS_ACCESS_KEY_ID is not set"), "{error}");
        assert!(!error.is_retryable());
    }

    #[test]
    fn a_token_that_cannot_be_a_header_is_refused() {
        let env = lookup(&[
            ("AWS_ACCESS_KEY_ID", "AKID"),
            ("AWS_SECRET_ACCESS_KEY", "SECRET"),
            ("AWS_SESSION_TOKEN", "line\nbreak"),
        ]);
        assert_eq!(missing_of(&env), "AWS_SESSION_TOKEN");
    }

    fn missing_of(env: &dyn Fn(&str) -> Option<String>) -> &'static str {
        match Credentials::from_lookup(env) {
            Err(AwsError::Credentials { variable, .. }) => variable,
            other => panic!("expected a credentials error, got {other:?}"),
        }
    }
}
