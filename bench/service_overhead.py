#!/usr/bin/env python3
"""Service overhead of an XGBoost job against bare libxgboost on the same rows, and the
submit -> running latency of the scheduler. Starts its own traind on 127.0.0.1.

  bench/service_overhead.py [--build build] [--repeats 5] [--workloads 100x6,1000x8] [--latency-jobs 40]

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
    ap.add_argument("--workloads", default="100x6,1000x8",
                    help="comma-separated TREESxDEPTH XGBoost workloads")
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
        rows_out = []
        for workload in args.workloads.split(","):
            trees, depth = (int(v) for v in workload.split("x"))
            config = {
                "name": "bench-overhead", "algorithm": "xgboost", "task_type": "classification",
                "dataset": {"source": "sql", "query": f"SELECT {columns} FROM ml_features.customer_churn"},
                "target_column": "churned", "feature_columns": FEATURES,
                "split": {"strategy": "stratified", "test_size": 0.2, "random_state": 42},
                "hyperparameters": {"n_estimators": trees, "max_depth": depth,
                                    "learning_rate": 0.1, "tree_method": "hist"},
            }
            bare_cmd = [os.path.join(args.build, "bench", "bare_xgboost"), db,
                        f"SELECT {columns} FROM customer_churn", "churned", str(trees),
                        str(depth), "0.1", threads]
            bare, bare_train, service, service_train = [], [], [], []
            for _ in range(args.repeats):
                t = time.perf_counter()
                out = subprocess.run(bare_cmd, check=True, capture_output=True, text=True).stdout
                bare.append(time.perf_counter() - t)
                bare_train.append(json.loads(out)["train_eval_seconds"])

                t = time.perf_counter()
                r = server.submit(config, key)
                assert r.status == 202, r
                job_id = r.json()["job_id"]
                wait_terminal_event(server, job_id, key)
                service.append(time.perf_counter() - t)
                job = server.job(job_id, key)
                assert job["status"] == "completed", job
                service_train.append(job["training_duration_seconds"])
            rows_out.append((trees, depth, bare, bare_train, service, service_train))

        latencies, post_ms = [], []
        quick = dict(config, hyperparameters={"n_estimators": 1, "max_depth": 2})
        quick["name"] = "bench-latency"
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

    med = statistics.median
    print("| workload | bare libxgboost: process wall / train+eval | traind: submit -> terminal event / "
          "training_duration_seconds | overhead, end to end |")
    print("|---|---|---|---|")
    for trees, depth, bare, bare_train, service, service_train in rows_out:
        b, sv = med(bare), med(service)
        print(f"| {trees} trees, depth {depth}, {len(FEATURES)} features, 6000 rows "
              f"| {b:.3f} s / {med(bare_train):.3f} s | {sv:.3f} s / {med(service_train):.3f} s "
              f"| {1000 * (sv - b):+.0f} ms ({100 * (sv - b) / b:+.1f} %) |")
    lat = sorted(latencies)
    print(f"| submit -> running (server timestamps), {len(lat)} jobs | p50 {percentile(lat, 50):.1f} ms "
          f"| p90 {percentile(lat, 90):.1f} ms | max {lat[-1]:.1f} ms | POST /train p50 "
          f"{percentile(sorted(post_ms), 50):.1f} ms |")


def wait_terminal_event(server, job_id, key):
    """Follows the job's SSE stream to its terminal status event, as a client would."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    conn.request("GET", f"/api/v1/ml/train/{job_id}/events", headers={"Authorization": f"Bearer {key}"})
    r = conn.getresponse()
    last = None
    for raw in r:
        line = raw.decode().strip()
        if line.startswith("data:"):
            last = json.loads(line[5:])
    conn.close()
    return last


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
