#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing, builds, and runs a
# golden model through `mote run` with a per-op profile, beside what `mote inspect` says of it.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target mote

shared=${MOTE_SHARED_DIR:-../shared}
model=$shared/golden/models/person_detect.tflite
cases=$shared/golden/cases

echo "== mote inspect (totals) =="
./build/bin/mote inspect "$model" | sed -n '/^totals/,$p'
echo
echo "== mote run: person image, 20 invokes, per-op profile =="
./build/bin/mote run "$model" --input "$cases/person_detect_person/input_0.bin" --repeat 20 --profile
echo
echo "== mote run: no-person image (scores are [no person, person]) =="
./build/bin/mote run "$model" --input "$cases/person_detect_no_person/input_0.bin"
