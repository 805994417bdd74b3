//! Where a service's API is: the region (`AWS_REGION`, else `AWS_DEFAULT_REGION`) and the endpoint
//! (`AWS_ENDPOINT_URL_<SERVICE>`, else `AWS_ENDPOINT_URL`, else `https://{service}.{region}.amazonaws.com`),
//! and [`encode_label`], how a value goes into a path.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::Env;
use super::error::AwsError;

/// The region calls are signed for and sent to: `AWS_REGION` (which Lambda sets), else
/// `AWS_DEFAULT_REGION`. An unset or empty pair, or a value that is not a region name, is an
/// [`AwsError::Region`].
pub(crate) fn region(env: Env<'_>) -> Result<String, AwsError> {
    let (variable, value) = ["AWS_REGION", "AWS_DEFAULT_REGION"]
        .into_iter()
        .find_map(|variable| {
            env(variable)
                .filter(|value| !value.is_empty())
                .map(|value| (variable, value))
        })
        .ok_or_else(|| AwsError::Region {
            problem: "neither AWS_REGION nor AWS_DEFAULT_REGION is set (Lambda sets AWS_REGION; locally, export \
                      one, e.g. AWS_REGION=us-east-1)"
                .to_owned(),
        })?;
    let is_name = value
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !is_name {
        return Err(AwsError::Region {
            problem: format!("{variable}={value:?} is not a region name such as us-east-1"),
        });
    }
    Ok(value)
}

/// A service's endpoint: the URL requests' paths are appended to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `scheme://authority` plus the URL's own path prefix, without a trailing `/`.
    pub(crate) base: String,
    /// Whether it is `https` (and so needs TLS).
    pub(crate) https: bool,
}

impl Endpoint {
    /// The endpoint of `service` (e.g. `lambda`): `AWS_ENDPOINT_URL_<SERVICE>` (the service id in
    /// upper case, spaces as `_`), else `AWS_ENDPOINT_URL`, else `https://{service}.{region}.amazonaws.com`
    /// (`.amazonaws.com.cn` in the China regions). Both variables are ignored when
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is `true`, as in the SDKs. `http://` URLs are taken (local
    /// runners), and a path in the URL is kept as a prefix of every request's path.
    pub(crate) fn resolve(service: &str, region: &str, env: Env<'_>) -> Result<Self, AwsError> {
        let ignore = env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS").is_some_and(|value| value.eq_ignore_ascii_case("true"));
        if !ignore {
            let specific = service_variable(service);
            for variable in [specific.as_str(), "AWS_ENDPOINT_URL"] {
                if let Some(url) = env(variable).filter(|url| !url.trim().is_empty()) {
                    return Self::parse(&url, variable);
                }
            }
        }
        let suffix = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        Self::parse(&format!("https://{service}.{region}.{suffix}"), "default")
    }

    /// Checks `url` (from `source`, for the error): `http` or `https`, a host, no query or fragment.
    fn parse(url: &str, source: &str) -> Result<Self, AwsError> {
        let error = |problem: &str| AwsError::Endpoint {
            source: source.to_owned(),
            url: url.to_owned(),
            problem: problem.to_owned(),
        };
        let parsed = reqwest::Url::parse(url.trim()).map_err(|e| error(&format!("not a URL ({e})")))?;
        let https = match parsed.scheme() {
            "https" => true,
            "http" => false,
            _ => return Err(error("the scheme must be http or https")),
        };
        let host = parsed
            .host_str()
            .filter(|host| !host.is_empty())
            .ok_or_else(|| error("no host"))?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(error("an endpoint URL takes no query or fragment"));
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(error("an endpoint URL takes no user name or password"));
        }
        let port = parsed.port().map(|port| format!(":{port}")).unwrap_or_default();
        let prefix = parsed.path().trim_end_matches('/');
        Ok(Endpoint {
            base: format!("{}://{host}{port}{prefix}", parsed.scheme()),
            https,
        })
    }
}

/// `AWS_ENDPOINT_URL_<SERVICE>`: the service id upper-cased, its spaces as `_`.
fn service_variable(service: &str) -> String {
    let id: String = service
        .chars()
        .map(|c| if c == ' ' { '_' } else { c.to_ascii_uppercase() })
        .collect();
    format!("AWS_ENDPOINT_URL_{id}")
}

/// Everything but the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - _ . ~`).
const LABEL: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// `value` percent-encoded as one path label (or query value), as botocore encodes a URI label: every
/// byte but the unreserved characters, `/` as `%2F` and `:` as `%3A` included, so that an ARN is one
/// segment of the path.
pub(crate) fn encode_label(value: &str) -> String {
    utf8_percent_encode(value, LABEL).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lookup<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
    }

    fn resolve(vars: &[(&str, &str)]) -> Result<Endpoint, AwsError> {
        Endpoint::resolve("lambda", "eu-west-1", &lookup(vars))
    }

    #[test]
    fn the_service_variable_comes_first_then_the_general_one_then_the_default() {
        let both = [
            ("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9001"),
            ("AWS_ENDPOINT_URL", "http://localhost:4566"),
        ];
        assert_eq!(resolve(&both).unwrap().base, "http://127.0.0.1:9001");
        assert_eq!(resolve(&both[1..]).unwrap().base, "http://localhost:4566");
        let default = resolve(&[]).unwrap();
        assert_eq!(
            default,
            Endpoint {
                base: "https://lambda.eu-west-1.amazonaws.com".to_owned(),
                https: true
            }
        );
        let empty = [
            ("AWS_ENDPOINT_URL_LAMBDA", ""),
            ("AWS_ENDPOINT_URL", "http://localhost:4566"),
        ];
        assert_eq!(resolve(&empty).unwrap().base, "http://localhost:4566");
    }

    #[test]
    fn configured_urls_can_be_ignored() {
        let vars = [
            ("AWS_ENDPOINT_URL", "http://localhost:4566"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ];
        assert_eq!(resolve(&vars).unwrap().base, "https://lambda.eu-west-1.amazonaws.com");
    }

    #[test]
    fn the_service_id_is_upper_cased_with_spaces_as_underscores() {
        assert_eq!(service_variable("lambda"), "AWS_ENDPOINT_URL_LAMBDA");
        assert_eq!(
            service_variable("Elastic Beanstalk"),
            "AWS_ENDPOINT_URL_ELASTIC_BEANSTALK"
        );
    }

    #[test]
    fn plain_http_and_path_prefixes_are_kept() {
        let vars = [("AWS_ENDPOINT_URL", "http://localhost:8080/runner/")];
        assert_eq!(
            resolve(&vars).unwrap(),
            Endpoint {
                base: "http://localhost:8080/runner".to_owned(),
                https: false
            }
        );
        let vars = [("AWS_ENDPOINT_URL", "https://example.test:443")];
        assert_eq!(resolve(&vars).unwrap().base, "https://example.test");
    }

    #[test]
    fn china_regions_have_their_own_suffix() {
        let endpoint = Endpoint::resolve("lambda", "cn-north-1", &lookup(&[])).unwrap();
        assert_eq!(endpoint.base, "https://lambda.cn-north-1.amazonaws.com.cn");
    }

    #[test]
    fn unusable_urls_are_errors_naming_the_variable() {
        for url in ["ftp://host", "not a url", "http://host/?x=1", "http://u:p@host"] {
            let vars = [("AWS_ENDPOINT_URL_LAMBDA", url)];
            match resolve(&vars) {
                Err(error @ AwsError::Endpoint { .. }) => {
                    assert!(error.to_string().contains("AWS_ENDPOINT_URL_LAMBDA"), "{error}")
                }
                other => panic!("{url}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_region_is_aws_region_else_the_default_region() {
        let env = [("AWS_REGION", "us-east-1"), ("AWS_DEFAULT_REGION", "eu-west-1")];
        assert_eq!(region(&lookup(&env)).unwrap(), "us-east-1");
        assert_eq!(region(&lookup(&env[1..])).unwrap(), "eu-west-1");
        let env = [("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "eu-west-1")];
        assert_eq!(region(&lookup(&env)).unwrap(), "eu-west-1");
    }

    #[test]
    fn no_region_names_both_variables() {
        let error = region(&lookup(&[])).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("AWS_REGION") && message.contains("AWS_DEFAULT_REGION"),
            "{message}"
        );
        let error = region(&lookup(&[("AWS_REGION", "us-east-1/evil")])).unwrap_err();
        assert!(matches!(error, AwsError::Region { .. }), "{error:?}");
    }

    #[test]
    fn labels_are_encoded_completely() {
        assert_eq!(
            encode_label("arn:aws:lambda:us-east-1:123456789012:function:my-fn:$LATEST/durable-execution/run 1"),
            "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn%3A%24LATEST%2Fdurable-execution%2Frun%201"
        );
        assert_eq!(encode_label("a-b_c.d~e"), "a-b_c.d~e");
        assert_eq!(encode_label("é+="), "%C3%A9%2B%3D");
    }
}
