#!/usr/bin/python3
"""Tree-engine benchmark driver (issue 4, spec §A.8 / §B.7): on the same generated data, in the
same run, times our GBDT against XGBoost hist (libxgboost C API, via gbdt_bench) and
scikit-learn's HistGradientBoosting*, and our random forest against scikit-learn's
RandomForest* and R's ranger. Every tool runs in its own process (honest peak RSS); every
tool's test predictions are scored here by the same code. Prints a Markdown table for
docs/BENCHMARKS.md, the target checks and the command that produced them.

  /usr/bin/python3 bench/trees/run_trees_bench.py --build build --rows 200000 --cols 40 \
      --repeats 3 --threads 1,2

Needs the bench binaries (`cmake --build BUILD --target gbdt_bench forest_bench`) and, as
benchmark-only references (never runtime dependencies): python3-sklearn, r-cran-ranger.
With --threads 1 each process is pinned to one CPU (taskset) so that every tool, prediction
included, really uses one core. OMP_NUM_THREADS is set to the thread count for every tool.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_data  # noqa: E402


def auc(score, label):
    """Tie-aware ROC AUC (Mann-Whitney), as bench_common.h."""
    score = np.asarray(score, dtype=np.float64)
    positive = np.asarray(label) > 0.5
    order = np.argsort(score, kind="mergesort")
    sorted_scores = score[order]
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    mid = first + (counts + 1) / 2.0  # 1-based mid rank of each group of ties
    ranks = np.empty(len(score))
    ranks[order] = np.repeat(mid, counts)
    n_pos = positive.sum()
    n_neg = len(score) - n_pos
    return float((ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def quality(task, pred, y):
    if task == "clf":
        return {"auc": auc(pred, y), "accuracy": float(np.mean((pred > 0.5) == (y > 0.5)))}
    rmse = float(np.sqrt(np.mean((pred - y) ** 2)))
    r2 = float(1.0 - np.sum((pred - y) ** 2) / np.sum((y - y.mean()) ** 2))
    return {"rmse": rmse, "r2": r2}


def quality_text(task, q):
    if task == "clf":
        return f"AUC {q['auc']:.4f}, acc {q['accuracy']:.4f}"
    return f"RMSE {q['rmse']:.3f}, R² {q['r2']:.4f}"


class Runner:
    def __init__(self, args, data_dir):
        self.args = args
        self.data_dir = data_dir
        self.results = []
        self.pred_dir = tempfile.mkdtemp(prefix="trees-bench-pred-")
        self.log = open(args.json_out, "w") if args.json_out else None

    def run(self, section, name, task, threads, command, extra_env=None):
        pred_path = os.path.join(self.pred_dir, f"{section}-{task}-{threads}-{len(self.results)}")
        command = command + (["--pred-out", pred_path] if command[0] != "Rscript" else [pred_path])
        env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS="1",
                   MKL_NUM_THREADS="1")
        if self.args.omp_wait_policy:
            env["OMP_WAIT_POLICY"] = self.args.omp_wait_policy
        env.update(extra_env or {})
        if threads == 1 and not self.args.no_pin:
            command = ["taskset", "-c", self.args.pin_cpu] + command
        print(f"[{time.strftime('%H:%M:%S')}] {name} {task} threads={threads}: "
              f"{shlex.join(command)}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        proc = subprocess.run(command, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            result = {"tool": name, "task": task, "threads": threads, "error": proc.stderr[-400:]}
        else:
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            y_test = np.fromfile(os.path.join(self.data_dir, task, "y_test.f32"), dtype="<f4")
            pred = np.fromfile(pred_path, dtype="<f8")
            result["tool_quality"] = result.get("quality")
            result["quality"] = quality(task, pred, y_test.astype(np.float64))
        result.update({"section": section, "tool": name, "task": task, "threads": threads,
                       "process_wall_s": wall, "loadavg": os.getloadavg()})
        print(f"    fit {result.get('fit_s', float('nan')):.3f} s, "
              f"{json.dumps(result.get('quality'))}", file=sys.stderr, flush=True)
        self.results.append(result)
        if self.log:
            self.log.write(json.dumps(result) + "\n")
            self.log.flush()
        return result


def gbdt_section(runner, args, tasks, threads_list):
    bench = os.path.join(args.build, "bench", "gbdt_bench")
    for task in tasks:
        data = os.path.join(runner.data_dir, task)
        for threads in threads_list:
            common = ["--data", data, "--threads", str(threads), "--iterations",
                      str(args.iterations), "--repeats", str(args.repeats)]
            if args.predict_rows:
                common += ["--predict-rows", str(args.predict_rows)]
            hgb = [sys.executable, os.path.join(HERE, "sklearn_bench.py"), "--data", data,
                   "--model", "hgb", "--threads", str(threads), "--iterations",
                   str(args.iterations), "--repeats", str(args.repeats)]
            runner.run("gbdt", "traind GBDT", task, threads, [bench, "--tool", "traind"] + common)
            runner.run("gbdt", "XGBoost hist", task, threads, [bench, "--tool", "xgboost"] + common)
            if not args.skip_sklearn:
                runner.run("gbdt", "sklearn HistGradientBoosting", task, threads, hgb)
            if threads > 1 and args.omp_passive_too:
                # libgomp spins at barriers by default; on a machine shared with other work
                # that starves the working threads, so the OpenMP references also run with
                # passive waiting and the faster variant counts.
                passive = {"OMP_WAIT_POLICY": "passive"}
                runner.run("gbdt", "XGBoost hist (OMP passive)", task, threads,
                           [bench, "--tool", "xgboost"] + common, passive)
                if not args.skip_sklearn:
                    runner.run("gbdt", "sklearn HistGradientBoosting (OMP passive)", task,
                               threads, hgb, passive)


def forest_section(runner, args, tasks, threads_list):
    bench = os.path.join(args.build, "bench", "forest_bench")
    repeats = str(args.forest_repeats or args.repeats)
    for task in tasks:
        trees = str(args.forest_trees_reg if task == "reg" and args.forest_trees_reg
                    else args.forest_trees)
        data = os.path.join(runner.data_dir, task)
        for threads in threads_list:
            runner.run("forest", "traind forest", task, threads,
                       [bench, "--data", data, "--threads", str(threads), "--trees", trees,
                        "--repeats", repeats, "--oob", str(args.oob)])
            if not args.skip_sklearn:
                runner.run("forest", "sklearn RandomForest", task, threads,
                           [sys.executable, os.path.join(HERE, "sklearn_bench.py"), "--data", data,
                            "--model", "rf", "--threads", str(threads), "--trees", trees,
                            "--repeats", repeats, "--oob", str(args.oob)])
            if not args.skip_ranger:
                runner.run("forest", "ranger", task, threads,
                           ["Rscript", os.path.join(HERE, "ranger_bench.R"), data, str(threads),
                            trees, repeats, str(args.oob)])


def fmt(value, digits=3):
    return "–" if value is None or (isinstance(value, float) and np.isnan(value)) else \
        f"{value:.{digits}f}"


def markdown(results):
    lines = ["| section | task | tool | threads | bin / DMatrix s | fit s | predict s (test) "
             "| peak RSS MiB | fit adds MiB | test quality | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['section']} | {r['task']} | {r['tool']} | {r['threads']} "
                         f"| failed | | | | | | |")
            continue
        lines.append(
            f"| {r['section']} | {r['task']} | {r['tool']} | {r['threads']} "
            f"| {fmt(r.get('bin_s'))} | {fmt(r['fit_s'])} | {fmt(r['predict_s'])} "
            f"| {fmt(r.get('peak_rss_mib'), 0)} | {fmt(r.get('fit_added_mib'), 0)} "
            f"| {quality_text(r['task'], r['quality'])} | {r['loadavg'][0]:.1f} |")
    return "\n".join(lines)


def find(results, section, tool, task, threads):
    """The run of `tool` (or of its "(OMP passive)" variant, whichever fitted faster)."""
    best = None
    for r in results:
        if (r["section"], r["task"], r["threads"]) == (section, task, threads) \
                and r["tool"] in (tool, tool + " (OMP passive)") and "error" not in r:
            if best is None or r["fit_s"] < best["fit_s"]:
                best = r
    return best


def quality_delta(task, ours, ref):
    if task == "clf":
        return f"ΔAUC {ours['quality']['auc'] - ref['quality']['auc']:+.4f}"
    return f"RMSE {100 * (ours['quality']['rmse'] / ref['quality']['rmse'] - 1):+.2f} %"


def targets(results, tasks, threads_list):
    lines = []
    for task in tasks:
        for threads in threads_list:
            ours = find(results, "gbdt", "traind GBDT", task, threads)
            for ref_name, limit in (("XGBoost hist", 1.0), ("sklearn HistGradientBoosting", 1.0)):
                ref = find(results, "gbdt", ref_name, task, threads)
                if ours and ref:
                    ratio = ours["fit_s"] / ref["fit_s"]
                    lines.append(
                        f"- GBDT {task}, {threads} thread(s): fit {ratio:.2f}× {ref['tool']} "
                        f"(target ≤ {limit}×: {'met' if ratio <= limit else 'MISSED'}), "
                        f"{quality_delta(task, ours, ref)}")
            if ours and ours.get("binned_mib"):
                ratio = ours["fit_added_mib"] / ours["binned_mib"]
                lines.append(
                    f"- GBDT {task}, {threads} thread(s): training adds {ours['fit_added_mib']:.1f}"
                    f" MiB = {ratio:.2f}× the binned data ({ours['binned_mib']:.1f} MiB) "
                    f"(target ≤ 2×: {'met' if ratio <= 2 else 'MISSED'}); whole process peak "
                    f"{ours['peak_rss_mib']:.0f} MiB with the float32 input and its double copy")
            forest = find(results, "forest", "traind forest", task, threads)
            for ref_name, limit in (("sklearn RandomForest", 0.5), ("ranger", 1.0)):
                ref = find(results, "forest", ref_name, task, threads)
                if forest and ref:
                    ratio = forest["fit_s"] / ref["fit_s"]
                    lines.append(
                        f"- forest {task}, {threads} thread(s): fit {ratio:.2f}× {ref['tool']} "
                        f"(target ≤ {limit}×: {'met' if ratio <= limit else 'MISSED'}), "
                        f"{quality_delta(task, forest, ref)}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="CMake build directory")
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--cols", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--data-dir", default="", help="default: /tmp/traind-trees-bench-R-C-S")
    parser.add_argument("--repeats", type=int, default=3, help="runs per tool; the median counts")
    parser.add_argument("--threads", default="1,2", help="comma list; 2 = all cores here")
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--predict-rows", type=int, default=0,
                        help="also time GBDT prediction on this many (tiled test) rows")
    parser.add_argument("--sections", default="gbdt,forest")
    parser.add_argument("--tasks", default="clf,reg")
    parser.add_argument("--forest-trees", type=int, default=100)
    parser.add_argument("--forest-trees-reg", type=int, default=0,
                        help="trees for the regression forest (default: --forest-trees)")
    parser.add_argument("--forest-repeats", type=int, default=0, help="default: --repeats")
    parser.add_argument("--forest-threads", default="", help="default: --threads")
    parser.add_argument("--oob", type=int, default=0, help="forest: also compute the OOB score")
    parser.add_argument("--skip-sklearn", action="store_true")
    parser.add_argument("--skip-ranger", action="store_true")
    parser.add_argument("--no-pin", action="store_true", help="do not taskset 1-thread runs")
    parser.add_argument("--pin-cpu", default="0")
    parser.add_argument("--omp-wait-policy", default="",
                        help="set OMP_WAIT_POLICY (e.g. passive) for every tool")
    parser.add_argument("--omp-passive-too", action="store_true",
                        help="with >1 thread, also run XGBoost and HGB with "
                        "OMP_WAIT_POLICY=passive")
    parser.add_argument("--json-out", default="", help="append one JSON line per run here")
    args = parser.parse_args()

    data_dir = args.data_dir or f"/tmp/traind-trees-bench-{args.rows}-{args.cols}-{args.seed}"
    if not os.path.exists(os.path.join(data_dir, "reg", "header.json")):
        make_data.generate(data_dir, args.rows, args.cols, args.seed)
    threads_list = [int(t) for t in args.threads.split(",")]
    forest_threads = [int(t) for t in (args.forest_threads or args.threads).split(",")]
    tasks = args.tasks.split(",")
    runner = Runner(args, data_dir)
    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    if "gbdt" in args.sections:
        gbdt_section(runner, args, tasks, threads_list)
    if "forest" in args.sections:
        forest_section(runner, args, tasks, forest_threads)

    print(f"Command: `/usr/bin/python3 bench/trees/run_trees_bench.py {shlex.join(sys.argv[1:])}`")
    print(f"Started {started}; data {args.rows} × {args.cols} (test 20 %), seed {args.seed}; "
          f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}; "
          f"median of {args.repeats} (forest {args.forest_repeats or args.repeats}); "
          f"GBDT {args.iterations} iterations; forest {args.forest_trees} trees"
          f"{f' (regression {args.forest_trees_reg})' if args.forest_trees_reg else ''}.\n")
    print(markdown(runner.results))
    print()
    print(targets(runner.results, tasks, sorted(set(threads_list) | set(forest_threads))))


if __name__ == "__main__":
    main()
