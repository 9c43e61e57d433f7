#!/usr/bin/env bash
# Benchmark of an inversion (stage 1 + stage 2) through the driver: for each
# case NAME:NOISE it runs bench/NAME.prm once at that noise level and prints
# a Markdown table row from summary.json: correlation and relative L2 error
# of both stages against the truth, wall time (stage 1: its mollification,
# done before any output, and its solve) and peak memory per stage,
# and the cost of stage 2 in forward-solve equivalents: linear solves over
# those of one forward run (all experiments), and stage 2's optimization
# time over the time of one forward run (with grid sequencing: every level's
# solves weighted by its unknowns, every level's time, in forward runs on the
# given mesh). bench/heat.sh and bench/langevin.sh
# call it with their cases.
#
#   bench/inversion.sh BUILD_DIR NP CASES
#
# BUILD_DIR must hold a Release build; CASES is a list of NAME:NOISE.
# BENCH_EXTRA_PRM, if set, is appended to every case's parameter file (its
# settings override the case's), for example
#   BENCH_EXTRA_PRM=$'subsection Inverse problem\n subsection Stage 2\n
#     set Multilevel cycles = 10\n end\nend'
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=$1
NP=$2
CASES=$3
source bench/common.sh

echo "| case | noise | unknowns | stage 1 corr. | stage 2 corr. (interior) | stage 2 rel. L2 error | stage 1 [s] | stage 2 [s] | total [s] | peak memory [MiB] (above start) | stage 2 forward-solve equivalents: solves (time) | iterations |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for case in $CASES; do
  name=${case%%:*}
  noise=${case##*:}
  sed -e "s|set Directory = .*|set Directory = $work/out|" \
      -e "s|set Noise level *= .*|set Noise level = $noise|" \
      "bench/$name.prm" >"$work/case.prm"
  if [ -n "${BENCH_EXTRA_PRM:-}" ]; then
    printf '%s\n' "$BENCH_EXTRA_PRM" >>"$work/case.prm"
  fi
  run_case "${name}_$noise"
  python3 - "$work/out/summary.json" "$name" "$noise" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
stages = s["stages"]
def t(name):
    return stages.get(name, {}).get("wall time [s]", 0.0)
total = sum(v["wall time [s]"] for v in stages.values())
peak = max(v["peak memory per rank [MiB]"] for v in stages.values())
above = s["resources"].get("peak memory above start per rank [MiB]", float("nan"))
s1, s2 = s.get("stage 1", {}), s["stage 2"]
print("| %s | %s | %d | %s | %.4f (%.4f) | %.4f | %.1f | %.1f | %.1f | %.0f (%.0f) | %.0f (%.0f) | %d |" % (
    sys.argv[2], sys.argv[3], s["mesh"]["state unknowns"],
    "%.4f" % s1["correlation"] if s1 else "-",
    s2["correlation"], s2["correlation interior"], s2["relative L2 error"],
    t("stage 1 mollification") + t("stage 1"),
    sum(v["wall time [s]"] for k, v in stages.items() if k.startswith("stage 2")),
    total, peak, above,
    s2["forward-solve equivalents"], s2["forward-solve equivalents in time"],
    s2["iterations"]))
PY
done
