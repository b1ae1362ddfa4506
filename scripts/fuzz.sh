#!/usr/bin/env bash
# Runs the model fuzzer for a bounded time, starting from the golden models.
#   scripts/fuzz.sh FUZZER_BINARY SECONDS
# The corpus lives in a temporary folder: the golden models are not copied into the repository.
# Fails on any crash, and also when the fuzzer sees almost no coverage (the runtime was built
# without -fsanitize=fuzzer-no-link, so libFuzzer would only be feeding bytes blindly).
set -euo pipefail
fuzzer=$1
seconds=${2:-60}
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${MOTE_SHARED_DIR:-$here/../shared}
corpus=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$corpus" "$log"' EXIT
find "$shared/golden/models" -name '*.tflite' -size -64k -exec cp {} "$corpus" \;
# -rss_limit_mb and -timeout turn a runaway allocation or loop into a reported failure.
"$fuzzer" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
echo "fuzz.sh: ${runs} executions, ${coverage} coverage points, exit ${status}"
if [ "$status" -ne 0 ]; then exit "$status"; fi
if [ "$coverage" -lt 500 ]; then
  echo "fuzz.sh: only ${coverage} coverage points: is the runtime built with -fsanitize=fuzzer-no-link?" >&2
  exit 1
fi
