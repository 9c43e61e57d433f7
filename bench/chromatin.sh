#!/usr/bin/env bash
# Benchmark bench/chromatin: the inversion of card B3 (the chromatin
# reaction-rate ratio, stage 1 + stage 2) at 1% and 5% noise, through
# bench/inversion.sh; see doc/benchmarks.md.
#
#   bench/chromatin.sh [BUILD_DIR] [NP]
#
# BUILD_DIR must hold a Release build (default build-release).
set -euo pipefail
cd "$(dirname "$0")/.."
exec bench/inversion.sh "${1:-build-release}" "${2:-1}" \
  "chromatin:0.01 chromatin:0.05"
