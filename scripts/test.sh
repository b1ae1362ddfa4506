#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine: installs what is missing, builds, and runs
# the unit, golden and mutation tests (release build); the same tests under AddressSanitizer and
# UndefinedBehaviorSanitizer with a bounded libFuzzer run (clang build); then the device tests in
# QEMU: the runtime's unit tests and every golden case that fits the board on Cortex-M4
# (mps2-an386), the golden cases on Cortex-M3 (mps2-an385), and the Cortex-M0+ build on the
# micro:bit (Cortex-M0). Each stage prints its time.
#
# Every stage runs even when an earlier one fails; the script fails if any did, naming them.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh

jobs=$(nproc)
failed=()

# run_preset NAME [CTEST ARGS...]: configure, build and test one CMake preset.
run_preset() {
  local preset=$1
  shift
  cmake --preset "$preset" && cmake --build --preset "$preset" -j "$jobs" &&
    ctest --preset "$preset" -j "$jobs" "$@"
}

for preset in release asan cortex-m4 cortex-m3 cortex-m0plus; do
  echo "== $preset"
  start=$SECONDS
  extra=()
  # The sanitizer build checks the host code; the firmware tests it would add build and run
  # Cortex-M images with the same cross compiler as the release build's, so they run there only.
  if [ "$preset" = asan ]; then extra=(-LE device); fi
  if run_preset "$preset" "${extra[@]}"; then
    echo "== $preset: passed in $((SECONDS - start)) s"
  else
    echo "== $preset: FAILED after $((SECONDS - start)) s"
    failed+=("$preset")
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "test.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "test.sh: all passed"
