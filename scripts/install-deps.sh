#!/usr/bin/env bash
# Installs every dependency of mote from Debian 12 packages. Idempotent: packages already present
# are skipped, so running it before every build costs a dpkg query, not an apt run.
set -euo pipefail

# Grouped by the part of mote that needs them, so a missing package is easy to trace.
packages=(
  # build
  build-essential cmake ninja-build pkg-config git clang-format
  # runtime: model format
  flatbuffers-compiler libflatbuffers-dev
  # host tools and CLI
  libcli11-dev nlohmann-json3-dev libfmt-dev libsqlite3-dev
  # tests and benchmarks; clang for libFuzzer and sanitizers
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  # Cortex-M firmware and its emulator
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-dev qemu-system-arm
  # training and import
  libtorch-dev libonnx-dev libprotobuf-dev protobuf-compiler
  # seismic node radio and gateway
  mosquitto libmosquitto-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
