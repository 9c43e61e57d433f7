#!/usr/bin/env bash
# Benchmark bench/chromatin_adaptive: which uniform mesh does a mesh adapted
# to the interfaces of the data replace? Runs bench/chromatin_interfaces.prm
# (card B3 with a sharp-edged nucleoplasm map, 1% noise, stage 2 at a fixed
# weight) on uniform meshes and on adapted ones, all fitted to the same data
# (made on the 256 x 256 mesh), and prints one Markdown row per mesh: state
# unknowns, parameters, how well the mesh resolves the data (RMS misfit /
# noise sigma of the true lambda; 1 is perfect), the recovered lambda
# against the truth, time and peak memory. See doc/benchmarks.md.
#
#   bench/chromatin_adaptive.sh [BUILD_DIR] [NP] [CASES]
#
# BUILD_DIR must hold a Release build (default build-release); CASES is a
# list of GLOBAL:ADAPTIVE (global refinements of the unit square, adaptive
# steps), default "4:0 5:0 6:0 4:1 4:2".
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-release}
NP=${2:-1}
CASES=${3:-"4:0 5:0 6:0 4:1 4:2"}
source bench/common.sh

echo "| mesh | state unknowns | parameters | truth's RMS misfit / noise | stage 2 corr. (interior) | stage 2 rel. L2 error | iterations | stage 2 [s] | total [s] | peak memory [MiB] |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for case in $CASES; do
  global=${case%%:*}
  adaptive=${case##*:}
  sed -e "s|set Directory = .*|set Directory = $work/out|" \
      -e "s|set Initial global refinement *= .*|set Initial global refinement = $global|" \
      -e "s|set Adaptive refinement steps *= .*|set Adaptive refinement steps = $adaptive|" \
      -e "s|set Additional refinement *= .*|set Additional refinement = $((8 - global - adaptive))|" \
      bench/chromatin_interfaces.prm >"$work/case.prm"
  run_case
  python3 - "$work/out/summary.json" "$global" "$adaptive" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
n, steps = 2 ** int(sys.argv[2]), int(sys.argv[3])
mesh = "%d x %d" % (n, n) + (", adapted %d times" % steps if steps else " uniform")
stages = s["stages"]
s2 = s["stage 2"]
print("| %s | %d | %d | %.2f | %.4f (%.4f) | %.4f | %d | %.1f | %.1f | %.0f |" % (
    mesh, s["mesh"]["state unknowns"], s2["unknowns"],
    s["forward"]["misfit over noise"],
    s2["correlation"], s2["correlation interior"], s2["relative L2 error"],
    s2["iterations"], stages["stage 2"]["wall time [s]"],
    sum(v["wall time [s]"] for v in stages.values()),
    max(v["peak memory per rank [MiB]"] for v in stages.values())))
PY
done
