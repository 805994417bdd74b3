#!/usr/bin/env bash
# Clean release build time of a one-handler function: lambda-rt (default features, lambda-events' `alb`
# feature, the hello.ALB handler) against an echo function on the official runtime (lambda_runtime), both
# with thin LTO and one codegen unit, built alternately from an empty target folder (dependencies
# downloaded beforehand, so only compiling is timed). Prints a Markdown table of medians and the ratio.
#
#   bench/build-time/run.sh        RUNS=3 by default
set -euo pipefail
cd "$(dirname "$0")"
RUNS=${RUNS:-3}
OUT=../target/build-time
mkdir -p "$OUT"
ROOT=$(cd ../.. && pwd)

# The two projects, written fresh each time (outside any workspace).
write_projects() {
  rm -rf "$OUT/ours" "$OUT/official"
  mkdir -p "$OUT/ours/src" "$OUT/official/src"
  cat >"$OUT/ours/Cargo.toml" <<TOML
[package]
name = "hello-alb"
version = "0.1.0"
edition = "2024"

[dependencies]
lambda-fn = { path = "$ROOT/lambda-rt" }
lambda-fn-events = { path = "$ROOT/lambda-events", default-features = false, features = ["alb"] }

[profile.release]
lto = "thin"
codegen-units = 1

[workspace]
TOML
  cat >"$OUT/ours/src/main.rs" <<'RS'
use lambda_fn_events::alb::{AlbTargetGroupRequest, AlbTargetGroupResponse};
use lambda_fn::{Context, Error, handler};

#[handler("hello.ALB")]
async fn hello(_event: AlbTargetGroupRequest, ctx: Context) -> Result<AlbTargetGroupResponse, Error> {
    Ok(AlbTargetGroupResponse::html(200, format!("hello from {}", ctx.request_id)))
}

fn main() {
    lambda_fn::run()
}
RS
  cat >"$OUT/official/Cargo.toml" <<'TOML'
[package]
name = "echo"
version = "0.1.0"
edition = "2024"

[dependencies]
lambda_runtime = "1.5"
serde_json = "1"
tokio = { version = "1", features = ["macros"] }

[profile.release]
lto = "thin"
codegen-units = 1

[workspace]
TOML
  cat >"$OUT/official/src/main.rs" <<'RS'
use lambda_runtime::{Error, LambdaEvent, service_fn};
use serde_json::Value;

async fn echo(event: LambdaEvent<Value>) -> Result<Value, Error> {
    Ok(event.payload)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::tracing::init_default_subscriber();
    lambda_runtime::run(service_fn(echo)).await
}
RS
}

build() {
  local project=$1
  rm -rf "$OUT/$project/target"
  local start end
  start=$(date +%s.%N)
  cargo build --quiet --release --manifest-path "$OUT/$project/Cargo.toml"
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

write_projects
for project in ours official; do
  cargo fetch --quiet --manifest-path "$OUT/$project/Cargo.toml"
done
: >"$OUT/times.txt"
for i in $(seq "$RUNS"); do
  if [ $((i % 2)) = 1 ]; then order="ours official"; else order="official ours"; fi
  for project in $order; do
    t=$(build "$project")
    echo "$project $t" | tee -a "$OUT/times.txt" >&2
  done
done
python3 - "$OUT/times.txt" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    name, t = line.split()
    times.setdefault(name, []).append(float(t))
ours, official = statistics.median(times["ours"]), statistics.median(times["official"])
print("| figure | lambda-rt | official | ratio lambda-rt/official | target (ratio) |")
print("| --- | ---: | ---: | ---: | ---: |")
print(f"| clean release build, one handler (s, median of {len(times['ours'])}) | {ours:.1f} | {official:.1f} | {ours/official:.2f} | <= 1.0 |")
PY
