#!/usr/bin/env bash
# Runs every benchmark; each measures traind and its reference in the same run.
# The tree and neural-network benchmarks need the references installed (python3-sklearn,
# r-cran-ranger, python3-torch, python3-sentencepiece); they are benchmark-only and not
# installed by scripts/install-deps.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 bench/service_overhead.py --build "${BUILD_DIR:-build}" "$@"
/usr/bin/python3 bench/trees/run_trees_bench.py --build "${BUILD_DIR:-build}"
/usr/bin/python3 bench/timeseries/run_timeseries_bench.py --build "${BUILD_DIR:-build}"
/usr/bin/python3 bench/nn/run_nn_bench.py --build "${BUILD_DIR:-build}"
node bench/web/page_load.mjs --build "${BUILD_DIR:-build}"
