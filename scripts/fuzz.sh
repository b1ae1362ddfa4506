#!/usr/bin/env bash
# Runs the model fuzzer for a bounded time, starting from the golden models.
#   scripts/fuzz.sh FUZZER_BINARY SECONDS
# The corpus lives in a temporary folder: the golden models are not copied into the repository.
set -euo pipefail
fuzzer=$1
seconds=${2:-60}
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${MOTE_SHARED_DIR:-$here/../shared}
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
find "$shared/golden/models" -name '*.tflite' -size -64k -exec cp {} "$corpus" \;
# -rss_limit_mb and -timeout turn a runaway allocation or loop into a reported failure.
"$fuzzer" "$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -print_final_stats=1
