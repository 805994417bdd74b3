//! What the tests of `cargo lambda-rt` share.

use std::path::Path;
use std::process::Command;

/// Runs cfn-lint on the template at `path` and fails the test on any finding. Without cfn-lint the
/// template is not linted (said on stderr), unless LAMBDA_RT_REQUIRE_CFN_LINT is set, as in CI.
pub fn cfn_lint(path: &Path) {
    match Command::new("cfn-lint").arg(path).output() {
        Ok(output) => assert!(
            output.status.success(),
            "cfn-lint:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
        Err(_) if std::env::var_os("LAMBDA_RT_REQUIRE_CFN_LINT").is_none() => {
            eprintln!("cfn-lint is not installed: the template was not linted");
        }
        Err(e) => panic!("cfn-lint is required (LAMBDA_RT_REQUIRE_CFN_LINT) but cannot run: {e}"),
    }
}
