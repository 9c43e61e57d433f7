#!/usr/bin/env bash
# Benchmark: the main example prm/heat.prm without stage 2 (benchmark card
# B2: mesh, synthetic data on the finer mesh, observations, forward solve,
# mollified data, stage 1, output; stage 2 is measured by bench/heat.sh), run REPEAT times; prints the median wall time and the
# peak memory from summary.json as a Markdown table row.
#
#   bench/heat_forward.sh [BUILD_DIR] [REPEAT] [NP]
#
# BUILD_DIR must hold a Release build (default build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-release}
REPEAT=${2:-5}
NP=${3:-1}
source bench/common.sh
# Everything but stage 2.
sed -e "s|set Directory = output-heat|set Directory = $work/out|" \
    -e "s|    set Run                   = true|    set Run = false|" \
    prm/heat.prm >"$work/heat.prm"

json_number() { # json_number FILE KEY: the last entry named KEY
  grep -F "\"$2\"" "$1" | tail -1 | sed 's/.*: *\([0-9.eE+-]*\).*/\1/'
}

times=()
for _ in $(seq "$REPEAT"); do
  if [ "$NP" -gt 1 ]; then
    mpirun -np "$NP" "$BUILD_DIR/mollifem" "$work/heat.prm" >/dev/null
  else
    "$BUILD_DIR/mollifem" "$work/heat.prm" >/dev/null
  fi
  times+=("$(json_number "$work/out/summary.json" "wall time [s]")")
done
median=$(printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
summary=$work/out/summary.json
printf '| prm/heat.prm | %s | %s | %s | %.3f | %.0f | %.0f |\n' \
  "$NP" "$(grep -m1 -F '"active cells"' "$summary" | sed 's/.*: *//; s/,//')" \
  "$(json_number "$summary" "state unknowns")" "$median" \
  "$(json_number "$summary" "peak memory per rank [MiB]")" \
  "$(json_number "$summary" "peak memory above start per rank [MiB]")"
