#!/usr/bin/env bash
# Benchmark bench/hybrid: FE, neural and hybrid (FE + neural) coefficient
# fields on cards B2 (bench/hybrid_heat.prm: a truth with a smooth trend and
# a sharp local feature) and B3 (bench/hybrid_chromatin.prm: the random
# field), at 1% and 5% noise: stage 2 from a constant, the weight by the
# discrepancy principle. The FE field takes the prm's regularization, the
# hybrid also weight decay of its network ('Neural decay factor' 1). The
# network alone cannot always reach the noise level (its capacity, and
# 100 iterations per trial, stop it short), which sends the discrepancy
# search to ever smaller weights: it runs with a fixed weight decay 1e-6
# and 300 iterations instead (gradient tolerance 1e-9: the network's
# gradient drops by 1e-4 long before it has learned the field).
# Prints one Markdown row per case from summary.json; see
# doc/benchmarks.md.
#
#   bench/hybrid.sh [BUILD_DIR] [NP] [CASES]
#
# BUILD_DIR must hold a Release build (default build-release); CASES is a
# list of MODEL:REPRESENTATION:NOISE with MODEL heat or chromatin and
# REPRESENTATION fe, neural or hybrid (default: all twelve).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build-release}
NP=${2:-1}
CASES=${3:-}
if [ -z "$CASES" ]; then
  for model in heat chromatin; do
    for noise in 0.01 0.05; do
      for representation in fe neural hybrid; do
        CASES="$CASES $model:$representation:$noise"
      done
    done
  done
fi
source bench/common.sh

echo "| card | field | noise | parameters | correlation (interior) | rel. L2 error | stage 2 [s] | peak memory [MiB] | iterations | weight |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for case in $CASES; do
  IFS=: read -r model representation noise <<<"$case"
  case $representation in
    fe) rep="FE field"; regularization="" ;;
    neural) rep="neural"; regularization="L2" ;;
    hybrid) rep="hybrid"; regularization="" ;;
    *) echo "unknown representation '$representation'" >&2; exit 1 ;;
  esac
  sed -e "s|set Directory = .*|set Directory = $work/out|" \
      -e "s|set Noise level *= .*|set Noise level = $noise|" \
      -e "s|set Representation *= .*|set Representation = $rep|" \
      "bench/hybrid_$model.prm" >"$work/case.prm"
  if [ -n "$regularization" ]; then
    sed -i -e "s|set Regularization  *= .*|set Regularization = $regularization|" \
      -e "s|set Regularization weight *= .*|set Regularization weight = 1e-6|" \
      -e "s|set Discrepancy principle *= .*|set Discrepancy principle = false|" \
      -e "s|set Maximum iterations *= .*|set Maximum iterations = 300|" \
      -e "s|set Gradient tolerance *= .*|set Gradient tolerance = 1e-9|" \
      "$work/case.prm"
  fi
  run_case
  python3 - "$work/out/summary.json" "$model" "$representation" "$noise" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
s2 = s["stage 2"]
stage = s["stages"]["stage 2"]
print("| %s | %s | %s | %d | %.4f (%.4f) | %.4f | %.1f | %.0f | %d | %.3g |" % (
    sys.argv[2], sys.argv[3], sys.argv[4], s2["unknowns"], s2["correlation"],
    s2["correlation interior"], s2["relative L2 error"], stage["wall time [s]"],
    stage["peak memory per rank [MiB]"], s2["iterations"],
    s2["regularization weight"]))
PY
done
