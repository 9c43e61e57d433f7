#!/usr/bin/env bash
# Benchmark bench/scaling: MPI scaling on this machine.
#
# Strong scaling: the stage 2 inversion of card B2 (prm/heat.prm: steady
# heat, 1% noise on a 41 x 41 grid, log k, H1) on a mesh of LEVEL global
# refinements (with its local refinement), at a fixed weight 0.01 (no
# discrepancy search, so that every run does the same work), on 1, 2 and 4
# ranks: wall time of stage 2 and of the whole run, peak memory per rank,
# iterations and the recovered k's correlation (the same to 3 digits on any
# number of ranks). 4 ranks on 2 cores oversubscribe them: that row shows
# the rank count does not change the result, not speed.
#
# Weak scaling: the mollifier operator (bench_derivatives scaling: Laplacian
# and bi-Laplacian of a Q1 field, delta = 4 h) on 1, 2 and 4 ranks; with the
# cells per rank fixed, compare the row of 2^(2L) cells on 1 rank with that
# of 2^(2L+2) cells on 4 ranks.
#
#   bench/scaling.sh [BUILD_DIR] [LEVEL] [RANKS]
#
# BUILD_DIR must hold a Release build (default build-release); LEVEL
# defaults to 8 (66049 state unknowns), RANKS to "1 2 4".
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-release}
LEVEL=${2:-8}
RANKS=${3:-"1 2 4"}
NP=1
source bench/common.sh

echo "Strong scaling, B2 stage 2 on level $LEVEL:"
echo
echo "| ranks | state unknowns | stage 2 [s] | total [s] | peak memory per rank [MiB] | iterations | correlation |"
echo "|---|---|---|---|---|---|---|"
for NP in $RANKS; do
  sed -e "s|set Directory = .*|set Directory = $work/out|" \
      -e "s|set Initial global refinement = .*|set Initial global refinement = $LEVEL|" \
      -e "s|set Discrepancy principle = true|set Discrepancy principle = false|" \
      -e "s|set Regularization weight = .*|set Regularization weight = 0.01|" \
      prm/heat.prm >"$work/case.prm"
  printf 'subsection Output\n  set Write VTU = false\nend\n' >>"$work/case.prm"
  run_case
  python3 - "$work/out/summary.json" "$NP" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
stages = s["stages"]
total = sum(v["wall time [s]"] for v in stages.values())
memory = max(v["peak memory per rank [MiB]"] for v in stages.values())
print("| %s | %d | %.1f | %.1f | %.0f | %d | %.4f |" % (
    sys.argv[2], s["mesh"]["state unknowns"], stages["stage 2"]["wall time [s]"],
    total, memory, s["stage 2"]["iterations"], s["stage 2"]["correlation"]))
PY
done

echo
echo "Weak scaling of the mollifier operator:"
for NP in $RANKS; do
  echo
  echo "$NP ranks:"
  echo
  if [ "$NP" -gt 1 ]; then
    mpirun -np "$NP" "$BUILD_DIR/bench/bench_derivatives" scaling
  else
    "$BUILD_DIR/bench/bench_derivatives" scaling
  fi
done
