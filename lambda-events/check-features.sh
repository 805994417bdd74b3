#!/usr/bin/env bash
# Checks that lambda-fn-events builds without warnings with every cargo feature on its own, with no
# features, and with all of them:
#
#   cargo check -p lambda-fn-events --no-default-features --features <feature>   (each feature)
#   cargo check -p lambda-fn-events --no-default-features                        (none)
#   cargo check -p lambda-fn-events --all-features                               (all)
#
# each with `-D warnings` added to RUSTFLAGS. The features are read from the `[features]` table of
# lambda-events/Cargo.toml (`default` excluded), so a new feature is checked without editing this
# script. The pairs in `pairs` below are checked too: items that exist only when two features are on
# (the `http` conversions of the HTTP-shaped events, SNS inside SQS and CloudWatch alarms).
# Every build is checked even after a failure; the script lists the failures and exits with status 1
# when there is any.
#
# Usage: lambda-events/check-features.sh   (from any directory; honours CARGO and CARGO_TARGET_DIR)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
cargo="${CARGO:-cargo}"
export RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-D warnings"

# Feature names: the keys of the [features] table, one per line. Keys start at column 0; the
# continuation lines of a multi-line list (`default = [...]`) are indented and skipped.
features="$(awk '
    /^[[:space:]]*\[/ { in_features = ($0 ~ /^\[features\][[:space:]]*(#.*)?$/); next }
    in_features && /^[A-Za-z0-9_-]+[[:space:]]*=/ { sub(/[[:space:]]*=.*/, ""); print }
' Cargo.toml | grep -vx 'default' || true)"
if [[ -z "$features" ]]; then
    echo "check-features: no features found in $here/Cargo.toml" >&2
    exit 1
fi

failed=()
run() {
    local label="$1"
    shift
    echo "==> lambda-fn-events: $label" >&2
    if ! "$cargo" check --quiet -p lambda-fn-events "$@"; then
        failed+=("$label")
    fi
}

count=0
while IFS= read -r feature; do
    run "--features $feature" --no-default-features --features "$feature"
    count=$((count + 1))
done <<<"$features"
pairs=(http,alb http,apigw http,function_url http,vpc_lattice sqs,sns cloudwatch_alarms,sns)
for pair in "${pairs[@]}"; do
    run "--features $pair" --no-default-features --features "$pair"
done
run "no features" --no-default-features
run "all features" --all-features

total=$((count + ${#pairs[@]} + 2))
if ((${#failed[@]} > 0)); then
    echo "check-features: ${#failed[@]} of $total builds failed:" >&2
    printf '  %s\n' "${failed[@]}" >&2
    exit 1
fi
echo "check-features: all $total builds passed without warnings ($count features alone, ${#pairs[@]} pairs, none, all)" >&2
