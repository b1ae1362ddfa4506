#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing, builds, and runs a
# golden model through `mote run` with a per-op profile, beside what `mote inspect` says of it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target mote

shared=${MOTE_SHARED_DIR:-../shared}
model=$shared/golden/models/hello_world_int8.tflite
input=$shared/golden/cases/hello_world_int8_q=-34/input_0.bin

./build/bin/mote inspect "$model" | tail -n 8
echo
./build/bin/mote run "$model" --input "$input" --repeat 100 --profile
