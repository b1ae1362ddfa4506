#!/usr/bin/env bash
# Runs a Cortex-M image in QEMU as if it were a host program: CTest's CMAKE_CROSSCOMPILING_EMULATOR.
#
#   run-qemu.sh --machine mps2-an386 IMAGE.elf [ARG...]
#
# Semihosting (target=native) gives the image this process's stdout, the host's files and its
# exit code; ARGs reach the image as its semihosting command line. -icount shift=10 runs exactly
# one instruction per 1024 ns of virtual time, which turns the board's 25 MHz counter into an
# instruction counter (25.6 ticks per instruction, see targets/README.md). A hung image (a fault
# inside a fault handler locks the core up) is killed after MOTE_QEMU_TIMEOUT seconds (default
# 600) with exit code 124.
set -euo pipefail

machine=mps2-an386
while [ $# -gt 0 ]; do
  case "$1" in
    --machine) machine="$2"; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
if [ $# -lt 1 ]; then
  echo "usage: run-qemu.sh [--machine NAME] IMAGE.elf [ARG...]" >&2
  exit 2
fi
image="$1"
shift

qemu=(qemu-system-arm -M "$machine" -nographic -monitor none
      -semihosting-config enable=on,target=native -icount shift=10 -kernel "$image")
if [ $# -gt 0 ]; then
  qemu+=(-append "$*")
fi
exec timeout -k 5 "${MOTE_QEMU_TIMEOUT:-600}" "${qemu[@]}" </dev/null
