#!/usr/bin/python3
"""Time-series benchmark driver (issue 5, spec A.10 / B.8 "Speed"): in the same run, on the same
stored series, times our engines (ts_bench) against statsmodels 0.13.5 (statsmodels_bench.py)
and R 4.2 (r_bench.R: stats::arima, forecast::auto.arima, prophet), checks that every tool
reached the same answer (llf / coefficients, chosen order, yhat) and prints a Markdown table
with the ratios and the targets. Builds nothing:

  cmake --build BUILD --target ts_bench
  /usr/bin/python3 bench/timeseries/run_timeseries_bench.py --build BUILD

Cases (the same in all three tools):
  arima    A.10 estimation cases #1-#6 (fixtures/sarimax/series) and a simulated
           SARIMA(1,1,1)(1,0,1,24), n = 5000 (data/sarima_111_101_24_n5000.csv, written once by
           --write-data from a fixed seed). Targets: #1, #3, #6 and n = 5000 >= 10x statsmodels
           (must); every case at least as fast as R's stats::arima (issue 5).
  auto     auto.arima with defaults on the twelve series of A.10's order-selection table.
           Target: at least as fast as R (must, issue 5), 10x (should, A.10).
  prophet  fit on the six Prophet fixtures (B.8). Target: >= 10x R prophet's fit (must).
  predict  predict with 1000 uncertainty samples on history + future. Target 10x R (should).
Timings: one warm-up, then the median of --repeats runs (statsmodels and traind 20, R 10, as
the spec says); --budget-s caps each case's timed runs (at least 3 are kept) so that R's
slowest auto.arima fits do not take minutes. Every tool runs with OPENBLAS_NUM_THREADS =
OMP_NUM_THREADS = 1, one process per tool and section, sections one after the other. The load
average is recorded around each process: the machine may be shared.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_FILE = os.path.join(HERE, "data", "sarima_111_101_24_n5000.csv")
MUST_10X_STATSMODELS = {"1_log_air_airline", "3_arma21_c", "6_regression_sarma_c",
                        "sim_sarima_111_101_24_n5000"}


def write_sarima_data(path=DATA_FILE, seed=20261123, n=5000, burn=500):
    """y = 100 + cumsum(w), (1 - 0.6B)(1 - 0.5B^24) w = (1 + 0.3B)(1 - 0.4B^24) e, e ~ N(0, 1);
    stored with 6 decimals (every tool reads the stored file, never regenerates it)."""
    rng = np.random.RandomState(seed)
    total = n + burn
    e = rng.standard_normal(total)
    w = np.zeros(total)
    phi, theta, sphi, stheta, s = 0.6, 0.3, 0.5, -0.4, 24
    for t in range(total):
        v = e[t]
        if t >= 1:
            v += phi * w[t - 1] + theta * e[t - 1]
        if t >= s:
            v += sphi * w[t - s] + stheta * e[t - s]
        if t >= s + 1:
            v += -phi * sphi * w[t - s - 1] + theta * stheta * e[t - s - 1]
        w[t] = v
    y = 100.0 + np.cumsum(w[burn:])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savetxt(path, np.round(y, 6), fmt="%.6f", header="y", comments="")


def run_tool(args, label, command, log):
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if args.pin_cpu:
        command = ["taskset", "-c", args.pin_cpu] + command
    load_before = os.getloadavg()[0]
    print(f"[{time.strftime('%H:%M:%S')}] {label}: {shlex.join(command)} (load {load_before:.2f})",
          file=sys.stderr, flush=True)
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    lines = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            r["load"] = (load_before, load_after)
            lines.append(r)
            if log:
                log.write(json.dumps(r) + "\n")
    if proc.returncode != 0:
        print(f"    {label} failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}",
              file=sys.stderr, flush=True)
    print(f"    {len(lines)} cases in {wall:.1f} s, load {load_before:.2f} -> {load_after:.2f}",
          file=sys.stderr, flush=True)
    return lines, (load_before, load_after)


# --- answer checks --------------------------------------------------------------------------

def r_name(name):
    """statsmodels' parameter name as R's arima names it (None: no R counterpart)."""
    for prefix, r_prefix in (("ar.S.L", "sar"), ("ma.S.L", "sma"), ("ar.L", "ar"),
                             ("ma.L", "ma")):
        if name.startswith(prefix):
            return prefix, r_prefix, int(name[len(prefix):])
    return None


def arma_coefficients(r, period):
    """AR/MA/seasonal coefficients and regressors by R's names."""
    out = {}
    for name, value in zip(r["param_names"], r["params"]):
        mapped = r_name(name)
        if mapped:
            prefix, r_prefix, lag = mapped
            out[f"{r_prefix}{lag // period if prefix.startswith(('ar.S', 'ma.S')) else lag}"] = \
                value
        elif name.startswith("x"):
            out[name] = value
    return out


def arima_period(case):
    return {"1_log_air_airline": 12, "2_air_211_010": 12, "6_regression_sarma_c": 4,
            "sim_sarima_111_101_24_n5000": 24}.get(case, 1)


def arima_check(ours, ref):
    if ref["tool"] == "statsmodels":
        # Same likelihood: ours must not be lower; higher means statsmodels' L-BFGS stopped
        # short of the optimum (spec A.6, LakeHuron 'ct').
        rel = (ours["llf"] - ref["llf"]) / abs(ref["llf"])
        note = " (ours higher: statsmodels stopped short)" if rel > 1e-6 else ""
        return f"llf Δ {rel:+.1e} rel{note}", rel >= -1e-4
    period = arima_period(ours["case"])
    mine = arma_coefficients(ours, period)
    theirs = dict(zip(ref["param_names"], ref["params"]))
    common = [k for k in mine if k in theirs]
    worst = max((abs(mine[k] - theirs[k]) for k in common), default=float("nan"))
    return f"coef Δ {worst:.1e}", worst <= 1e-3


def auto_check(ours, ref):
    same = ours["order"] == ref["order"] and ours["constant"] == ref["constant"]
    order = ours["order"]
    text = f"({order[0]},{order[1]},{order[2]})"
    if order[6] > 1:
        text += f"({order[3]},{order[4]},{order[5]})[{order[6]}]"
    text += " const" if ours["constant"] else ""
    text += ", same" if same else f", R chose {ref['order']} const={ref['constant']}"
    return f"{text}, AICc Δ {abs(ours['aicc'] - ref['aicc']):.1e}", same


def prophet_check(ours, ref):
    a = np.asarray(ours["yhat"], dtype=float)
    b = np.asarray(ref["yhat"], dtype=float)
    if a.shape != b.shape:
        return f"yhat rows {a.size} vs {b.size}", False
    worst = float(np.max(np.abs(a - b) / np.abs(b)))
    # R's L-BFGS optimum moves from run to run (its objective over the timed fits is shown).
    spread = ""
    if "stan_values" in ref:
        spread = f" [R {min(ref['stan_values']):.4f}…{max(ref['stan_values']):.4f}]"
    objective = (f", log p ours − R {ours['objective'] - ref['stan_value']:+.2e}{spread}"
                 if "stan_value" in ref else "")
    return f"yhat max Δ {100 * worst:.2f} %{objective}", worst <= 0.01


def predict_check(ours, ref):
    w_ours = np.asarray(ours["yhat_upper"], float) - np.asarray(ours["yhat_lower"], float)
    w_ref = np.asarray(ref["yhat_upper"], float) - np.asarray(ref["yhat_lower"], float)
    within = float(np.mean(np.abs(w_ours / w_ref - 1) <= 0.05))
    # Both are 1000-sample Monte Carlo bounds (each ~2 % noisy): the fraction is indicative.
    return f"width within 5 %: {100 * within:.0f} % of rows", True


CHECKS = {"arima": arima_check, "auto": auto_check, "prophet": prophet_check,
          "predict": predict_check}


# --- table -----------------------------------------------------------------------------------

def seconds(value):
    if value is None:
        return "–"
    if value < 0.01:
        return f"{1000 * value:.2f} ms"
    if value < 1:
        return f"{1000 * value:.1f} ms"
    return f"{value:.2f} s"


def ratio_text(ref, ours):
    if ref is None or ours is None:
        return "–", None
    ratio = ref["median_s"] / ours["median_s"]
    return f"{ratio:.1f}×", ratio


def table(results, sections):
    by = {}
    for r in results:
        by[(r["section"], r["case"], r["tool"])] = r
    lines = ["| section | case | n | traind | statsmodels | R | ×statsmodels | ×R | target "
             "| met | same answer (traind vs reference) | runs t/s/R | load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    verdicts = []
    totals = {}
    for section in sections:
        cases = [r["case"] for r in results if r["section"] == section and r["tool"] == "traind"]
        for case in cases:
            ours = by[(section, case, "traind")]
            sm = by.get((section, case, "statsmodels"))
            rr = by.get((section, case, "R"))
            sm_text, sm_ratio = ratio_text(sm, ours)
            r_text, r_ratio = ratio_text(rr, ours)
            goals = []
            if section == "arima":
                if case in MUST_10X_STATSMODELS:
                    goals.append(("≥10× sm", sm_ratio, 10.0))
                goals.append(("≥1× R", r_ratio, 1.0))
            elif section == "auto":
                goals += [("≥1× R", r_ratio, 1.0), ("(should ≥10× R)", r_ratio, 10.0)]
            elif section == "prophet":
                goals.append(("≥10× R", r_ratio, 10.0))
            elif section == "predict":
                goals.append(("(should ≥10× R)", r_ratio, 10.0))
            met = []
            for name, ratio, limit in goals:
                ok = ratio is not None and ratio >= limit
                met.append("yes" if ok else ("no" if ratio is not None else "–"))
                verdicts.append((section, case, name, ratio, ok))
            checks = []
            all_same = True
            for ref in (sm, rr):
                if ref is None:
                    continue
                text, same = CHECKS[section](ours, ref)
                all_same &= same
                checks.append(f"{ref['tool']}: {text}")
            for tool, r in (("traind", ours), ("statsmodels", sm), ("R", rr)):
                if r is not None:
                    t = totals.setdefault((section, tool), [0.0, 0])
                    t[0] += r["median_s"]
                    t[1] += 1
            load = max(r["load"][1] for r in (ours, sm, rr) if r is not None)
            runs = "/".join(str(r["runs"]) if r else "–" for r in (ours, sm, rr))
            lines.append(
                f"| {section} | {case} | {ours['n']} | {seconds(ours['median_s'])} "
                f"| {seconds(sm['median_s'] if sm else None)} "
                f"| {seconds(rr['median_s'] if rr else None)} | {sm_text} | {r_text} "
                f"| {', '.join(g[0] for g in goals)} | {', '.join(met)} "
                f"| {'; '.join(checks)}{'' if all_same else ' **DIFFERS**'} | {runs} "
                f"| {load:.1f} |")
    return "\n".join(lines), verdicts, totals


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build", help="CMake build directory with ts_bench")
    parser.add_argument("--sections", default="arima,auto,prophet,predict")
    parser.add_argument("--cases", default="", help="comma list of case names (default: all)")
    parser.add_argument("--repeats", type=int, default=20, help="traind and statsmodels")
    parser.add_argument("--r-repeats", type=int, default=10)
    parser.add_argument("--budget-s", type=float, default=30.0,
                        help="per case: stop repeating after this many seconds (>= 3 runs)")
    parser.add_argument("--pin-cpu", default="", help="taskset every tool to this CPU")
    parser.add_argument("--skip-statsmodels", action="store_true")
    parser.add_argument("--skip-r", action="store_true")
    parser.add_argument("--json-out", default="", help="write every tool's JSON lines here")
    parser.add_argument("--write-data", action="store_true",
                        help="(re)write data/sarima_111_101_24_n5000.csv and exit")
    args = parser.parse_args()
    if args.write_data:
        write_sarima_data()
        print(DATA_FILE)
        return
    bench = os.path.join(args.build, "bench", "ts_bench")
    if not os.path.exists(bench):
        sys.exit(f"{bench} missing: cmake --build {args.build} --target ts_bench")
    sections = args.sections.split(",")
    log = open(args.json_out, "w") if args.json_out else None
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    load_start = os.getloadavg()
    results = []
    loads = []
    for section in sections:
        common_cases = ["--cases", args.cases] if args.cases else []
        lines, load = run_tool(args, f"traind {section}",
                               [bench, "--root", HERE, "--sections", section, "--repeats",
                                str(args.repeats), "--budget-s", str(args.budget_s)] +
                               common_cases, log)
        results += lines
        loads.append(load)
        if section == "arima" and not args.skip_statsmodels:
            lines, load = run_tool(args, "statsmodels arima",
                                   ["/usr/bin/python3", os.path.join(HERE, "statsmodels_bench.py"),
                                    "--root", HERE, "--repeats", str(args.repeats),
                                    "--budget-s", str(args.budget_s)] + common_cases, log)
            results += lines
            loads.append(load)
        if not args.skip_r:
            lines, load = run_tool(args, f"R {section}",
                                   ["Rscript", os.path.join(HERE, "r_bench.R"), HERE,
                                    str(args.r_repeats), section, str(args.budget_s), args.cases],
                                   log)
            results += lines
            loads.append(load)
    load_end = os.getloadavg()

    text, verdicts, totals = table(results, sections)
    print(f"Command: `/usr/bin/python3 bench/timeseries/run_timeseries_bench.py "
          f"{shlex.join(sys.argv[1:])}`")
    pinned = f", pinned to CPU {args.pin_cpu}" if args.pin_cpu else ""
    print(f"Started {started}, {os.cpu_count()} CPUs; load average (1/5/15 min) at start "
          f"{load_start[0]:.2f}/{load_start[1]:.2f}/{load_start[2]:.2f}, at end "
          f"{load_end[0]:.2f}/{load_end[1]:.2f}/{load_end[2]:.2f}, highest 1-min load seen "
          f"around a tool {max(max(pair) for pair in loads):.2f}. Median of {args.repeats} "
          f"(traind, statsmodels) / {args.r_repeats} (R) timed runs after one warm-up, capped at "
          f"{args.budget_s:g} s of timed runs per case (runs column: traind/statsmodels/R). One "
          f"thread (OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=1){pinned}. ×tool = tool's median / "
          f"traind's median.\n")
    print(text)
    print()
    for section in sections:
        ours = totals.get((section, "traind"))
        if not ours:
            continue
        parts = [f"traind {seconds(ours[0])}"]
        for tool in ("statsmodels", "R"):
            t = totals.get((section, tool))
            if t and t[1] == ours[1]:
                parts.append(f"{tool} {seconds(t[0])} ({t[0] / ours[0]:.1f}×)")
        print(f"- {section}, sum of medians over {ours[1]} cases: {', '.join(parts)}")
    missed = [v for v in verdicts if not v[4]]
    print()
    if missed:
        for section, case, goal, ratio, _ in missed:
            kind = "should not reached" if goal.startswith("(should") else "MISSED"
            print(f"- {kind}: {section} {case}: {goal.strip('()')} (got "
                  f"{'–' if ratio is None else f'{ratio:.2f}×'})")
    else:
        print("- every target met")


if __name__ == "__main__":
    main()
