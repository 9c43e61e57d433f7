#!/usr/bin/env bash
# mollifem quick start on Debian bookworm (as root, or with sudo):
#
#   ./quickstart.sh run    install the Debian packages, build (Release) and
#                          run the main example prm/heat.prm
#   ./quickstart.sh test   install the Debian packages, build (Release) and
#                          run the whole test suite
#
# Both are idempotent: packages already installed are not installed again,
# and a second call rebuilds only what changed. Environment: BUILD_DIR
# (default build-release), JOBS (default 2), NP (MPI ranks for 'run',
# default 1).
set -euo pipefail
cd "$(dirname "$0")"

command=${1:-}
BUILD_DIR=${BUILD_DIR:-build-release}
JOBS=${JOBS:-2}
NP=${NP:-1}

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}
[ "$command" = run ] || [ "$command" = test ] || usage

# OpenMPI refuses to run as root unless told otherwise, and needs
# oversubscription for tests with more ranks than cores.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1

install_packages() {
  local packages=(libdeal.ii-dev numdiff cmake g++ make mpi-default-bin gnuplot-nox doxygen)
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "Installing ${missing[*]} ..."
  $sudo apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y "${missing[@]}"
}

build() {
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

install_packages
build

case $command in
  run)
    if [ "$NP" -gt 1 ]; then
      mpirun -np "$NP" "$BUILD_DIR/mollifem" prm/heat.prm
    else
      "$BUILD_DIR/mollifem" prm/heat.prm
    fi
    echo "Open output-heat/solution.pvd in ParaView."
    ;;
  test)
    ctest --test-dir "$BUILD_DIR" -j "$JOBS" --output-on-failure
    ;;
esac
