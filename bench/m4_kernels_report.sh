#!/usr/bin/env bash
# Instructions per invoke on the Cortex-M4 (QEMU mps2-an386, exact counter) with the reference
# kernels and with the optimized ones (runtime/kernels/optimized/), beside TFLM's figures from
# ../shared/golden/manifest.csv (reference kernels, CMSIS-NN), as ratios; and multiply-accumulates
# per instruction. Both kernel sets run from the same image (golden_device_test's last argument),
# and each run is judged byte for byte against TFLM's outputs as in the device golden tests.
#
#   bench/m4_kernels_report.sh [CASE...]      default: every case of the manifest whose model
#                                             has a CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED
#
# Needs the cortex-m4 build: cmake --preset cortex-m4 && cmake --build build-m4 --target
# golden_device_test. MOTE_SHARED_DIR overrides ../shared.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${MOTE_SHARED_DIR:-$root/../shared}"
golden="$shared/golden"
image="$root/build-m4/bin/golden_device_test.elf"
qemu="$root/targets/cortex-m/run-qemu.sh"
[[ -f "$image" ]] || { echo "no $image: build the cortex-m4 preset first" >&2; exit 1; }
[[ -f "$golden/manifest.csv" ]] || { echo "no $golden/manifest.csv" >&2; exit 1; }
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# The manifest's fields for a case: ops, tflm_m4_ref_insns, tflm_m4_cmsisnn_insns (quoted fields
# may hold commas, so parse with a real CSV reader).
manifest_field() {
  python3 - "$golden/manifest.csv" "$1" "$2" <<'EOF'
import csv, sys
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        if row["case"] == sys.argv[2]:
            print(row.get(sys.argv[3], ""))
            break
EOF
}

if [[ $# -gt 0 ]]; then
  cases=("$@")
else
  mapfile -t cases < <(python3 - "$golden/manifest.csv" <<'EOF'
import csv, sys
with open(sys.argv[1]) as f:
    for row in csv.DictReader(f):
        if row["status"] == "OK" and any(op in row["ops"] for op in
               ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")):
            print(row["case"])
EOF
  )
fi

# Runs one case with one kernel set; prints "instructions macs verdict".
run_case() {
  local name="$1" set="$2" out status=0
  out="$("$qemu" --machine mps2-an386 "$image" "$golden" "$name" "$results" "$set" 2>&1)" || status=$?
  local insns macs verdict
  insns="$(sed -n 's/.*B, \([0-9]*\) instructions per invoke.*/\1/p' <<<"$out" | head -1)"
  macs="$(sed -n 's/.* kernels, \([0-9]*\) multiply-accumulates.*/\1/p' <<<"$out" | head -1)"
  case "$status" in
    0) verdict=PASS ;;
    77) verdict=SKIP ;;
    *) verdict=FAIL ;;
  esac
  echo "${insns:--} ${macs:--} $verdict"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0 || a == "") print "-"; else printf "%.3f", a / b }'; }

printf '%-44s %10s %12s %12s %8s %12s %12s %9s %9s %9s %6s\n' case MACs reference optimized \
  speedup tflm_ref tflm_cmsisnn opt/tflm opt/cmsis MAC/insn check
failures=0
for name in "${cases[@]}"; do
  read -r ref_insns macs ref_verdict < <(run_case "$name" reference)
  read -r opt_insns _ opt_verdict < <(run_case "$name" optimized)
  tflm_ref="$(manifest_field "$name" tflm_m4_ref_insns)"
  tflm_cmsis="$(manifest_field "$name" tflm_m4_cmsisnn_insns)"
  check="$ref_verdict/$opt_verdict"
  [[ "$ref_verdict" == FAIL || "$opt_verdict" == FAIL ]] && failures=$((failures + 1))
  printf '%-44s %10s %12s %12s %8s %12s %12s %9s %9s %9s %s\n' "$name" "$macs" "$ref_insns" \
    "$opt_insns" "$(ratio "$ref_insns" "$opt_insns")" "${tflm_ref:--}" "${tflm_cmsis:--}" \
    "$(ratio "$opt_insns" "${tflm_ref:--}")" "$(ratio "$opt_insns" "${tflm_cmsis:--}")" \
    "$(ratio "$macs" "$opt_insns")" "$check"
done
echo "speedup = reference / optimized instructions (mote); opt/tflm, opt/cmsis = optimized / TFLM's"
echo "check = each kernel set's verdict against TFLM's outputs (PASS, SKIP, FAIL)"
exit $((failures > 0))
