# Shared set-up of the benchmark scripts (sourced, with BUILD_DIR set):
# MPI as root, a Release build, and a work directory removed on exit.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1

grep -q 'CMAKE_BUILD_TYPE:STRING=Release' "$BUILD_DIR/CMakeCache.txt" || {
  echo "$(basename "$0"): $BUILD_DIR is not a Release build" >&2
  exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_case [NAME]: run the driver of BUILD_DIR on $work/case.prm with NP
# ranks, screen output to $work/screen.txt; with BENCH_LOG_DIR set, the
# screen output is also kept there as NAME.txt (default case.txt).
run_case() {
  if [ "$NP" -gt 1 ]; then
    mpirun -np "$NP" "$BUILD_DIR/mollifem" "$work/case.prm" >"$work/screen.txt"
  else
    "$BUILD_DIR/mollifem" "$work/case.prm" >"$work/screen.txt"
  fi
  if [ -n "${BENCH_LOG_DIR:-}" ]; then
    mkdir -p "$BENCH_LOG_DIR"
    cp "$work/screen.txt" "$BENCH_LOG_DIR/${1:-case}.txt"
  fi
}
