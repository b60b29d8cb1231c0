#!/usr/bin/env bash
# Installs every Debian package traind needs to build, run and test, when missing.
# Idempotent and quiet when everything is present. Needs root (or sudo) to install.
set -euo pipefail

# python3-jsonschema: the integration tests check each Training BOM against its published
# schema. nodejs/npm build the web page (esbuild) and run its browser tests (Playwright
# driving Debian's chromium); libyaml-cpp-dev reads trainctl's YAML configurations. libopenblas0-openmp: libtorch calls BLAS through the libblas.so.3 alternative; Debian's
# reference BLAS makes a network epoch ~10x slower (docs/BENCHMARKS.md).
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev nlohmann-json3-dev libvalijson-dev libspdlog-dev libfmt-dev libcli11-dev
  libsqlite3-dev sqlite3 libssl-dev libeigen3-dev libnlopt-cxx-dev
  libxgboost-dev liblinear-dev libtorch-dev libsentencepiece-dev libopenblas0-openmp
  libgtest-dev libgmock-dev libbenchmark-dev clang-format libyaml-cpp-dev
  python3 python3-numpy python3-xgboost python3-torch python3-jsonschema curl procps
  chromium fonts-dejavu-core tmux
)
# Node.js may come from another repository (as on the CI image, whose nodejs carries npm):
# Debian's packages are installed only when the commands are missing.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The web page's npm packages (Chart.js; esbuild and playwright-core to build and test),
# exactly as web/package-lock.json pins them; again only when the lock file changed.
web_dir="$(cd "$(dirname "$0")/../web" && pwd)"
if [ ! -f "$web_dir/node_modules/.package-lock.json" ] ||
   [ "$web_dir/package-lock.json" -nt "$web_dir/node_modules/.package-lock.json" ]; then
  echo "install-deps: npm ci in web/" >&2
  (cd "$web_dir" && npm ci --no-audit --no-fund --loglevel=error)
  touch "$web_dir/node_modules/.package-lock.json"
fi
