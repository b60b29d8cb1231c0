#!/usr/bin/env bash
# Runs every benchmark; each measures traind and its reference in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 bench/service_overhead.py --build "${BUILD_DIR:-build}" "$@"
