#!/usr/bin/python3
"""statsmodels 0.13.5 baseline of the time-series benchmark (spec A.10 "Speed").

For each ARIMA/SARIMA case of ts_bench (same CSV files): model construction +
`.fit(disp=False)`, data already in memory, one warm-up fit, then the median of --repeats
timed fits. Prints one JSON line per case (llf and parameters of the fit, to check that the
tools reached the same optimum). Run with the Debian interpreter and one BLAS thread:

  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench/timeseries/statsmodels_bench.py \
      --root bench/timeseries --repeats 20

--budget-s stops repeating a case once its timed fits have taken that long (at least 3 are
kept); the line says how many ran.
"""
import argparse
import json
import os
import statistics
import time
import warnings

import numpy as np
import statsmodels
from statsmodels.tsa.statespace.sarimax import SARIMAX

S = "fixtures/sarimax/series/"
# name, file, order, seasonal_order, trend, exog columns (as ts_bench.cc's arima_cases()).
CASES = [
    ("1_log_air_airline", S + "log_air_passengers.csv", (0, 1, 1), (0, 1, 1, 12), "n", []),
    ("2_air_211_010", S + "air_passengers.csv", (2, 1, 1), (0, 1, 0, 12), "n", []),
    ("3_arma21_c", S + "simulated_arma21.csv", (2, 0, 1), (0, 0, 0, 0), "c", []),
    ("4_wwwusage_111", S + "wwwusage.csv", (1, 1, 1), (0, 0, 0, 0), "n", []),
    ("5_lake_huron_100_ct", S + "lake_huron.csv", (1, 0, 0), (0, 0, 0, 0), "ct", []),
    ("6_regression_sarma_c", S + "simulated_regression_sarma.csv", (1, 0, 1), (1, 0, 0, 4), "c",
     ["x1", "x2"]),
    ("sim_sarima_111_101_24_n5000", "data/sarima_111_101_24_n5000.csv", (1, 1, 1),
     (1, 0, 1, 24), "n", []),
]


def read_columns(path):
    with open(path) as f:
        names = [n.strip('"') for n in f.readline().strip().split(",")]
        rows = [line.strip().split(",") for line in f if line.strip()]
    return {n: np.array([float(r[j]) if r[j] not in ("", "NA") else np.nan for r in rows])
            for j, n in enumerate(names)}


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=os.path.dirname(os.path.abspath(__file__)))
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--budget-s", type=float, default=1e300)
    parser.add_argument("--cases", default="", help="comma list of case names (default: all)")
    args = parser.parse_args()
    wanted = set(args.cases.split(",")) if args.cases else None
    warnings.simplefilter("ignore")  # convergence chatter; convergence is reported below

    for name, path, order, seasonal, trend, exog_names in CASES:
        if wanted and name not in wanted:
            continue
        cols = read_columns(os.path.join(args.root, path))
        y = cols["y"]
        exog = np.column_stack([cols[x] for x in exog_names]) if exog_names else None

        def fit():
            return SARIMAX(y, exog=exog, order=order, seasonal_order=seasonal,
                           trend=trend).fit(disp=False)

        result = fit()  # warm-up; its optimum is the one reported
        seconds = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            fit()
            seconds.append(time.perf_counter() - start)
            if sum(seconds) > args.budget_s and len(seconds) >= 3:
                break
        print(json.dumps({
            "tool": "statsmodels", "version": statsmodels.__version__, "section": "arima",
            "case": name, "n": int(len(y)), "median_s": statistics.median(seconds),
            "min_s": min(seconds), "runs": len(seconds), "llf": float(result.llf),
            "params": [float(v) for v in result.params],
            "param_names": list(result.model.param_names),
            "converged": bool(result.mle_retvals["converged"])}), flush=True)


if __name__ == "__main__":
    main()
