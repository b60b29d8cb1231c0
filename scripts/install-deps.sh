#!/usr/bin/env bash
# Installs every Debian package traind needs to build, run and test, when missing.
# Idempotent and quiet when everything is present. Needs root (or sudo) to install.
set -euo pipefail

# python3-jsonschema: the integration tests check each Training BOM against its published
# schema. libopenblas0-openmp: libtorch calls BLAS through the libblas.so.3 alternative; Debian's
# reference BLAS makes a network epoch ~10x slower (docs/BENCHMARKS.md).
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev nlohmann-json3-dev libvalijson-dev libspdlog-dev libfmt-dev libcli11-dev
  libsqlite3-dev sqlite3 libssl-dev libeigen3-dev libnlopt-cxx-dev
  libxgboost-dev liblinear-dev libtorch-dev libsentencepiece-dev libopenblas0-openmp
  libgtest-dev libgmock-dev libbenchmark-dev clang-format
  python3 python3-numpy python3-xgboost python3-torch python3-jsonschema curl procps
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
