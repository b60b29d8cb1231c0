#!/usr/bin/env python3
"""Service overhead of an XGBoost job against bare libxgboost on the same rows, and the
submit -> running latency of the scheduler. Starts its own traind on 127.0.0.1.

  bench/service_overhead.py [--build build] [--repeats 5] [--trees 500] [--latency-jobs 40]

Both sides run in this script, alternately, on the same machine and the same data.
Prints a Markdown table for docs/BENCHMARKS.md."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "integration"))

FEATURES = ["tenure", "monthly_charges", "total_charges", "senior_citizen", "num_support_tickets"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(HERE, "..", "build"))
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--trees", type=int, default=500)
    ap.add_argument("--depth", type=int, default=6)
    ap.add_argument("--latency-jobs", type=int, default=40)
    args = ap.parse_args()
    os.environ["TRAIND_BIN_DIR"] = os.path.join(args.build, "bin")
    import traind_harness as h

    server = h.Server().start()
    try:
        key = server.key("acme-corp")
        db = os.path.join(server.data_dir, "tenants", "acme-corp", "ml_features.db")
        threads = str(min(4, os.cpu_count()))
        columns = ", ".join(FEATURES + ["churned"])
        config = {
            "name": "bench-overhead", "algorithm": "xgboost", "task_type": "classification",
            "dataset": {"source": "sql", "query": f"SELECT {columns} FROM ml_features.customer_churn"},
            "target_column": "churned", "feature_columns": FEATURES,
            "split": {"strategy": "stratified", "test_size": 0.2, "random_state": 42},
            "hyperparameters": {"n_estimators": args.trees, "max_depth": args.depth,
                                "learning_rate": 0.1, "tree_method": "hist"},
        }
        bare_cmd = [os.path.join(args.build, "bench", "bare_xgboost"), db,
                    f"SELECT {columns} FROM customer_churn", "churned", str(args.trees),
                    str(args.depth), "0.1", threads]
        bare, service, service_train = [], [], []
        for _ in range(args.repeats):
            t = time.perf_counter()
            out = subprocess.run(bare_cmd, check=True, capture_output=True, text=True).stdout
            bare.append(time.perf_counter() - t)
            json.loads(out)

            t = time.perf_counter()
            r = server.submit(config, key)
            assert r.status == 202, r
            job = server.wait_status(r.json()["job_id"], key, timeout=600)
            service.append(time.perf_counter() - t)
            assert job["status"] == "completed", job
            service_train.append(job["training_duration_seconds"])

        latencies, post_ms = [], []
        quick = dict(config, hyperparameters={"n_estimators": 1, "max_depth": 2})
        for _ in range(args.latency_jobs):
            t = time.perf_counter()
            r = server.submit(quick, key)
            post_ms.append((time.perf_counter() - t) * 1000)
            job = server.wait_status(r.json()["job_id"], key)
            created = parse_ms(job["created_at"])
            started = parse_ms(job["started_at"])
            latencies.append(started - created)
    finally:
        server.cleanup()

    b, s = statistics.median(bare), statistics.median(service)
    print(f"| XGBoost job, {args.trees} trees depth {args.depth}, {len(FEATURES)} features, 6000 rows "
          f"| bare libxgboost (load+train+eval) median {b:.3f} s | traind submit->completed median {s:.3f} s "
          f"(training_duration_seconds median {statistics.median(service_train):.3f} s) "
          f"| overhead {100 * (s - b) / b:+.1f} % |")
    lat = sorted(latencies)
    print(f"| submit -> running (server timestamps), {len(lat)} jobs | p50 {percentile(lat, 50):.1f} ms "
          f"| p90 {percentile(lat, 90):.1f} ms | max {lat[-1]:.1f} ms | POST /train p50 "
          f"{percentile(sorted(post_ms), 50):.1f} ms |")


def percentile(sorted_values, p):
    k = (len(sorted_values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def parse_ms(rfc3339):
    from datetime import datetime
    return datetime.strptime(rfc3339, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp() * 1000


if __name__ == "__main__":
    main()
