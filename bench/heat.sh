#!/usr/bin/env bash
# Benchmark bench/heat: the inversion of card B2 (stage 1 + stage 2) at
# about 1e5 state unknowns with three experiments, steady and transient, at
# 1% and 5% noise, through bench/inversion.sh (one Markdown table row per
# case); see doc/benchmarks.md.
#
#   bench/heat.sh [BUILD_DIR] [NP] [CASES]
#
# BUILD_DIR must hold a Release build (default build-release); CASES is a
# list of steady|transient:NOISE (default "steady:0.01 steady:0.05
# transient:0.01 transient:0.05").
set -euo pipefail
cd "$(dirname "$0")/.."
list=${3:-"steady:0.01 steady:0.05 transient:0.01 transient:0.05"}
cases=""
for case in $list; do
  cases="$cases heat_$case"
done
exec bench/inversion.sh "${1:-build-release}" "${2:-1}" "$cases"
