#!/usr/bin/env bash
# The main job, from a fresh Debian 12 machine: installs what is missing, builds, and runs the
# seismic system end to end — `mote demo seismic` trains the P/S phase model in C++ (or reuses the
# one cached for unchanged inputs), quantizes it, scores it against STA/LTA on stations training
# never saw, replays those stations through nodes, a Mosquitto broker that restarts mid-way and a
# gateway, and prints the report (also build/demo-seismic/report.{txt,json,html}).
# Arguments are passed to `mote demo seismic` (e.g. --retrain, --json).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)" --target mote

export MOTE_SHARED_DIR=${MOTE_SHARED_DIR:-../shared}
exec ./build/bin/mote demo seismic "$@"
