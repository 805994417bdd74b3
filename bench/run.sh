#!/usr/bin/env bash
# lambda-rt against the official Rust runtime (lambda_runtime on crates.io): builds both bootstraps and the
# load server in release mode, runs them alternately, prints a Markdown table of medians and ratios.
#
#   bench/run.sh                 timings: start-up, throughput, CPU, peak RSS, binary size, 6 MB event
#   bench/run.sh --callgrind     instructions per invocation under valgrind --tool=callgrind (or INSTR=1)
#   bench/run.sh --concurrency   invocations/s of work.cpu and sleep.ms at AWS_LAMBDA_MAX_CONCURRENCY 1 and 8
#   bench/run.sh --durable       durable functions against AWS's durable execution SDK: replay instructions,
#                                exec -> first checkpoint, stripped size, clean release build (~30 minutes)
#
# Settings (environment): RUNS (5) alternate runs per figure, N (20000) invocations per run, WARMUP (1000),
# STARTS (20) cold starts for the exec-to-first-next figures, BIG_BYTES (6000000) size of the big event,
# BIG_N (20) invocations of it, CG_N1/CG_N2 (200/1200) invocation counts of the two callgrind runs,
# CASES ("echo apigw orders routes axum") the handlers the callgrind runs measure; `echo-otel` is echo on a
# lambda-rt bootstrap built with the `otel` feature and a no-op exporter (flushed after every invocation).
# --durable: DURABLE_PARTS ("size start callgrind build") what it measures, DURABLE_STEPS ("10 100 1000")
# the history lengths replayed, DURABLE_HTTPS_STEPS ("10") those replayed again with an https endpoint,
# DCG_N1/DCG_N2 (20/120) invocation counts of their two callgrind runs, BUILD_RUNS (1) clean release builds.
# Everything it writes goes to bench/target/bench-results/. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")"

RUNS=${RUNS:-5}
N=${N:-20000}
WARMUP=${WARMUP:-1000}
STARTS=${STARTS:-20}
BIG_BYTES=${BIG_BYTES:-6000000}
BIG_N=${BIG_N:-20}
CG_N1=${CG_N1:-200}
CG_N2=${CG_N2:-1200}
INSTR=${INSTR:-0}
CASES=${CASES:-echo apigw orders routes axum}
CONC=${CONC:-0}
CONC_N=${CONC_N:-200}
DURABLE=${DURABLE:-0}
DURABLE_PARTS=${DURABLE_PARTS:-size start callgrind build}
DURABLE_STEPS=${DURABLE_STEPS:-10 100 1000}
DURABLE_HTTPS_STEPS=${DURABLE_HTTPS_STEPS:-10}
DCG_N1=${DCG_N1:-20}
DCG_N2=${DCG_N2:-120}
BUILD_RUNS=${BUILD_RUNS:-1}
for arg in "$@"; do
  case "$arg" in
    --callgrind) INSTR=1 ;;
    --concurrency) CONC=1 ;;
    --durable) DURABLE=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
  esac
done

EVENT=events/apigw-1k3.json
APIGW_RESULT=144 # the event's body is {"number": 12}
OUT=target/bench-results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT/logs" "$OUT/bin/lambda-rt" "$OUT/bin/official"

say() { printf '\n=== %s\n' "$*" >&2; }

LOADSERVER=target/release/loadserver
bin() { echo "$OUT/bin/$1/bootstrap"; }

# What was measured, for whoever reads the table later.
describe() {
  local rev lr
  rev=$(git -C .. rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git -C .. status --porcelain -- lambda-rt lambda-events lambda-fn-macros 2>/dev/null)" ]; then
    rev="$rev + uncommitted changes"
  fi
  lr=$(grep -A1 '^name = "lambda_runtime"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
  echo "lambda-rt at $rev; official: lambda_runtime $lr; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# One load-server run; its JSON line goes to $RESULTS. A failed run is recorded (ok=false), not fatal.
# BINARY names another bootstrap folder than the runtime's (lambda-rt-otel); BINARY_PREFIX goes before the
# runtime's (durable-).
load() {
  local runtime=$1 case=$2
  shift 2
  "$LOADSERVER" --bootstrap "$(bin "${BINARY:-${BINARY_PREFIX:-}$runtime}")" --runtime "$runtime" --case "$case" \
    --log "$OUT/logs/$STAMP-$runtime-$case.log" "$@" >>"$RESULTS" || true
}

# Alternate which runtime goes first, so that neither always runs on a machine warmed by the other.
pair() {
  local i=$1
  shift
  if [ $((i % 2)) = 1 ]; then
    load lambda-rt "$@"
    load official "$@"
  else
    load official "$@"
    load lambda-rt "$@"
  fi
}

# Durable functions: lambda-rt's durable workflows (durable-ours) against the same workflows on AWS's durable
# execution SDK for Rust (durable-peer, aws-durable-execution-sdk on lambda_runtime). The load server answers
# the checkpoint calls too (--durable points the bootstrap's Lambda API client at it).
if [ "$DURABLE" = 1 ]; then
  part() { [[ " $DURABLE_PARTS " == *" $1 "* ]]; }
  sdk=$(grep -A1 '^name = "aws-durable-execution-sdk"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
  RESULTS="$OUT/$STAMP-durable.jsonl"
  D="$OUT/durable"
  mkdir -p "$D" "$OUT/bin/durable-lambda-rt" "$OUT/bin/durable-official"
  say "building (profile release)"
  cargo build --release -p loadserver
  # Separately, so that cargo does not unify the two bootstraps' dependency features.
  cargo build --release -p durable-ours
  cp target/release/durable-ours "$(bin durable-lambda-rt)"
  cargo build --release -p durable-peer
  cp target/release/durable-peer "$(bin durable-official)"
  say "$(describe); durable: aws-durable-execution-sdk $sdk"

  # The envelopes: a first invocation (the execution's operation alone) and histories of done steps, under
  # the operation ids each runtime derives (lambda-rt: BLAKE2b, as AWS's Python SDK; the Rust SDK: SHA-256).
  "$LOADSERVER" gen-durable --steps 0 --ids blake2b --out "$D/one.json"
  for steps in $DURABLE_STEPS $DURABLE_HTTPS_STEPS; do
    "$LOADSERVER" gen-durable --steps "$steps" --ids blake2b --out "$D/lambda-rt-replay$steps.json"
    "$LOADSERVER" gen-durable --steps "$steps" --ids sha256 --out "$D/official-replay$steps.json"
  done

  if part size; then
    for runtime in lambda-rt official; do
      printf '{"case":"durable-size","runtime":"%s","bytes":%s}\n' "$runtime" \
        "$(stat -c %s "$(bin "durable-$runtime")")" >>"$RESULTS"
    done
  fi

  if part start; then
    say "durable cold starts: $STARTS of each runtime (the one-step workflow's first invocation)"
    for i in $(seq "$STARTS"); do
      BINARY_PREFIX=durable- pair "$i" durable-start --event "$D/one.json" --handler one -n 1 --check durable:1 \
        --durable
    done
  fi

  if part callgrind; then
    command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
    say "building (profile profiling, for callgrind)"
    mkdir -p "$OUT/bin/durable-lambda-rt-profiling" "$OUT/bin/durable-official-profiling"
    cargo build --profile profiling -p durable-ours
    cp target/profiling/durable-ours "$(bin durable-lambda-rt-profiling)"
    cargo build --profile profiling -p durable-peer
    cp target/profiling/durable-peer "$(bin durable-official-profiling)"
    CG="$OUT/callgrind"
    mkdir -p "$CG"
    say "callgrind: $DCG_N1 and $DCG_N2 invocations replaying $DURABLE_STEPS done steps on each runtime"
    # Each history on the plain-HTTP endpoint of the load server, then (DURABLE_HTTPS_STEPS) with the endpoint
    # given as https://, as on Lambda: a replay sends nothing, but a runtime may set TLS up for its client.
    cases=""
    for steps in $DURABLE_STEPS; do cases="$cases replay$steps"; done
    for steps in $DURABLE_HTTPS_STEPS; do cases="$cases replay$steps-https"; done
    for case in $cases; do
      steps=${case#replay}
      steps=${steps%-https}
      https=()
      [[ "$case" == *-https ]] && https=(--https-endpoint)
      for n in "$DCG_N1" "$DCG_N2"; do
        for runtime in lambda-rt official; do
          # durable-replay: the answer is SUCCEEDED with the count, and no checkpoint or state call was made
          # (a step that ran instead of replaying would have been checkpointed).
          BINARY="durable-$runtime-profiling" load "$runtime" "callgrind-$case" \
            --event "$D/$runtime-replay$steps.json" --handler "replay$steps" -n "$n" --warmup 1 \
            --check "durable-replay:$steps" --durable "${https[@]}" --callgrind "$CG/$runtime-$case-$n.out" \
            --timeout 3600
        done
      done
    done
    if command -v callgrind_annotate >/dev/null; then
      for runtime in lambda-rt official; do
        for case in $cases; do
          for mode in no yes; do
            for n in "$DCG_N1" "$DCG_N2"; do
              callgrind_annotate --inclusive=$mode --threshold=100 "$CG/$runtime-$case-$n.out" \
                >"$CG/$runtime-$case-$n.inclusive-$mode.txt" 2>/dev/null || true
            done
            name=self
            [ $mode = yes ] && name=inclusive
            "$LOADSERVER" profile "$CG/$runtime-$case-$DCG_N1.inclusive-$mode.txt" \
              "$CG/$runtime-$case-$DCG_N2.inclusive-$mode.txt" $((DCG_N2 - DCG_N1)) 150 \
              >"$CG/$runtime-$case.per-invocation.$name.txt" || true
          done
        done
      done
      say "instructions per invocation by function: $CG/<runtime>-replay<N>.per-invocation.{self,inclusive}.txt"
    fi
  fi

  if part build; then
    # A clean release build (the [profile.release] above) of each one-step function from an empty target
    # folder, alternately; the dependencies are downloaded first, so only compiling is timed.
    cargo fetch --quiet
    say "clean release builds: $BUILD_RUNS of each (several minutes each)"
    for i in $(seq "$BUILD_RUNS"); do
      order="lambda-rt official"
      [ $((i % 2)) = 0 ] && order="official lambda-rt"
      for runtime in $order; do
        package=durable-ours
        [ "$runtime" = official ] && package=durable-peer
        dir=target/durable-build/$runtime
        rm -rf "$dir"
        start=$(date +%s.%N)
        if nice -n 10 cargo build --quiet --offline --release -p "$package" --target-dir "$dir"; then
          end=$(date +%s.%N)
          printf '{"case":"durable-build","runtime":"%s","seconds":%s}\n' "$runtime" \
            "$(echo "$end - $start" | bc)" >>"$RESULTS"
        else
          printf '{"case":"durable-build","runtime":"%s","ok":false}\n' "$runtime" >>"$RESULTS"
        fi
        rm -rf "$dir"
      done
    done
  fi

  say "results: $RESULTS (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
  echo "$(describe); durable: aws-durable-execution-sdk $sdk"
  "$LOADSERVER" table "$RESULTS"
  exit $?
fi

# Each bootstrap in its own cargo invocation: cargo unifies dependency features across the packages of one
# build, and the peer's (tokio multi-thread, tracing/log ...) must not leak into lambda-rt's binary.
# Both are named `bootstrap` in their own folder, as on Lambda.
PROFILE=release
[ "$INSTR" = 1 ] && PROFILE=profiling # the same code with its symbol table, for callgrind_annotate
say "building (profile $PROFILE)"
cargo build --release -p loadserver
cargo build --profile "$PROFILE" -p ours
cp "target/$PROFILE/ours" "$OUT/bin/lambda-rt/bootstrap"
if [[ " $CASES " == *" echo-otel "* ]] && [ "$INSTR" = 1 ]; then
  mkdir -p "$OUT/bin/lambda-rt-otel"
  cargo build --profile "$PROFILE" -p ours --features otel
  cp "target/$PROFILE/ours" "$OUT/bin/lambda-rt-otel/bootstrap"
fi
cargo build --profile "$PROFILE" -p peer
cp "target/$PROFILE/peer" "$OUT/bin/official/bootstrap"

say "$(describe)"

if [ "$CONC" = 1 ]; then
  RESULTS="$OUT/$STAMP-concurrency.jsonl"
  say "concurrency: $RUNS runs of $CONC_N invocations of work.cpu and sleep.ms ({\"ms\": 20}) at AWS_LAMBDA_MAX_CONCURRENCY 1 and 8"
  for i in $(seq "$RUNS"); do
    for handler in work.cpu sleep.ms; do
      for c in 1 8; do
        pair "$i" "conc-$handler-$c" --event events/ms-20.json --handler "$handler" -n "$CONC_N" --warmup 8 \
          --check none --env "AWS_LAMBDA_MAX_CONCURRENCY=$c"
      done
    done
  done
  say "results: $RESULTS (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
  describe
  "$LOADSERVER" table "$RESULTS"
  exit $?
fi

if [ "$INSTR" = 1 ]; then
  command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
  RESULTS="$OUT/$STAMP-callgrind.jsonl"
  CG="$OUT/callgrind"
  mkdir -p "$CG"
  say "callgrind: $CG_N1 and $CG_N2 invocations of each handler on each runtime"
  for case in $CASES; do
    check=echo
    event="$EVENT"
    [ "$case" = apigw ] && check="apigw:$APIGW_RESULT"
    # The same GET route on an HTTP API event: lambda-rt's routes, and an axum Router on lambda-rt; the
    # official runtime serves both with the same axum Router on lambda_http.
    if [ "$case" = routes ] || [ "$case" = axum ]; then
      event=events/http-v2-get.json
      check='http:200:{"id":42,"title":"todo 42"}'
    fi
    # A 10-record SQS batch of order bodies, two of them failing: the batch form against the loop
    # written by hand on the official runtime.
    [ "$case" = orders ] && event=events/sqs-orders-10.json && check=expect:events/sqs-orders-10.expected.json
    handler=$case
    [ "$case" = echo-otel ] && handler=echo
    for n in "$CG_N1" "$CG_N2"; do
      for runtime in lambda-rt official; do
        binary=$runtime
        [ "$case" = echo-otel ] && [ "$runtime" = lambda-rt ] && binary=lambda-rt-otel
        BINARY=$binary load "$runtime" "callgrind-$case" --event "$event" --handler "$handler" -n "$n" --warmup 1 \
          --check "$check" --callgrind "$CG/$runtime-$case-$n.out" --timeout 1800
      done
    done
  done
  say "results: $RESULTS (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
  describe
  "$LOADSERVER" table "$RESULTS" || status=$?
  # Per-invocation profiles: callgrind_annotate of both runs, subtracted and divided by the extra invocations.
  if command -v callgrind_annotate >/dev/null; then
    for runtime in lambda-rt official; do
      for case in $CASES; do
        for mode in no yes; do
          for n in "$CG_N1" "$CG_N2"; do
            callgrind_annotate --inclusive=$mode --threshold=100 "$CG/$runtime-$case-$n.out" \
              >"$CG/$runtime-$case-$n.inclusive-$mode.txt" 2>/dev/null || true
          done
          name=self
          [ $mode = yes ] && name=inclusive
          "$LOADSERVER" profile "$CG/$runtime-$case-$CG_N1.inclusive-$mode.txt" \
            "$CG/$runtime-$case-$CG_N2.inclusive-$mode.txt" $((CG_N2 - CG_N1)) 150 \
            >"$CG/$runtime-$case.per-invocation.$name.txt" || true
        done
      done
    done
    say "instructions per invocation by function (self): $CG/<runtime>-<handler>.per-invocation.self.txt," \
      "(with callees): ...inclusive.txt; lambda-rt echo, top 25:"
    first=${CASES%% *}
    head -26 "$CG/lambda-rt-$first.per-invocation.self.txt" || true
  fi
  exit "${status:-0}"
fi

RESULTS="$OUT/$STAMP.jsonl"
for runtime in lambda-rt official; do
  printf '{"case":"size","runtime":"%s","bytes":%s}\n' "$runtime" "$(stat -c %s "$(bin "$runtime")")" >>"$RESULTS"
done

say "cold starts: $STARTS of each runtime (one invocation each)"
for i in $(seq "$STARTS"); do
  pair "$i" start --event "$EVENT" --handler echo -n 1 --check echo
done

say "throughput: $RUNS runs of $N invocations ($WARMUP warm-up) per handler and runtime"
for i in $(seq "$RUNS"); do
  pair "$i" echo --event "$EVENT" --handler echo -n "$N" --warmup "$WARMUP" --check echo
  pair "$i" apigw --event "$EVENT" --handler apigw -n "$N" --warmup "$WARMUP" --check "apigw:$APIGW_RESULT"
done

say "big event: $BIG_BYTES bytes echoed, $RUNS runs of $BIG_N invocations"
BIG="$OUT/big-event-$BIG_BYTES.json"
"$LOADSERVER" gen-event --template "$EVENT" --size "$BIG_BYTES" --out "$BIG"
for i in $(seq "$RUNS"); do
  pair "$i" big --event "$BIG" --handler echo -n "$BIG_N" --warmup 1 --check echo
done

say "results: $RESULTS (load average now $(cut -d' ' -f1-3 /proc/loadavg))"
describe
"$LOADSERVER" table "$RESULTS"
