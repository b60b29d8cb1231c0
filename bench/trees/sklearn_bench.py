#!/usr/bin/python3
"""scikit-learn side of the tree benchmark: HistGradientBoosting* (GBDT reference) or
RandomForest* (forest reference) on a data set from make_data.py, in its own process so that
its peak RSS is its own. Prints one JSON line like gbdt_bench / forest_bench.

  OMP_NUM_THREADS=1 /usr/bin/python3 bench/trees/sklearn_bench.py --data DIR/clf --model hgb \
      --threads 1 --iterations 100 --repeats 3 [--pred-out FILE]

hgb: max_iter=--iterations, learning_rate 0.1, max_leaf_nodes 31, min_samples_leaf 20,
     l2_regularization 0, max_bins 255, early_stopping False (the spec's matched settings; its
     default "auto" turns early stopping on above 10 000 rows). Threads come from
     OMP_NUM_THREADS, which the driver sets. bin_s times the estimator's own _BinMapper alone
     (as the estimator calls it: 255 bins + the missing bin, subsample 2e5); fit_s includes it.
rf:  n_estimators=--trees, n_jobs=--threads (-1 = all cores), every other parameter default
     (max_features "sqrt" / 1.0), random_state 0; --oob 1 sets oob_score=True.
"""
import argparse
import json
import os
import resource
import time

import numpy as np


def load(path):
    with open(os.path.join(path, "header.json")) as f:
        header = json.load(f)
    cols = header["cols"]

    def read(name, shape):
        return np.fromfile(os.path.join(path, name), dtype="<f4").reshape(shape)

    return (header, read("x_train.f32", (-1, cols)), read("y_train.f32", (-1,)),
            read("x_test.f32", (-1, cols)), read("y_test.f32", (-1,)))


def status_mib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return float(line.split()[1]) / 1024.0
    return float("nan")


class PhaseMemory:
    """Memory a phase adds over the RSS at its start (resets VmHWM, as bench_common.h)."""

    def __init__(self):
        self.process_peak = 0.0
        self.start = 0.0

    def begin(self):
        self.process_peak = max(self.process_peak, status_mib("VmHWM"))
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        self.start = status_mib("VmRSS")

    def added(self):
        return status_mib("VmHWM") - self.start

    def peak(self):
        return max(self.process_peak, status_mib("VmHWM"))


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--model", choices=["hgb", "rf"], required=True)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--oob", type=int, default=0)
    parser.add_argument("--pred-out", default="")
    args = parser.parse_args()

    header, x_train, y_train, x_test, y_test = load(args.data)
    clf = header["task"] == "clf"
    import sklearn  # after loading: the data's RSS is reported without the library's
    from sklearn import ensemble

    data_mib = status_mib("VmRSS")
    memory = PhaseMemory()
    fit_runs, bin_runs, predict_runs, added = [], [], [], 0.0
    oob = None
    for _ in range(args.repeats):
        if args.model == "hgb":
            from sklearn.ensemble._hist_gradient_boosting.binning import _BinMapper
            bin_s, _ = timed(lambda: _BinMapper(n_bins=256, subsample=int(2e5),
                                                random_state=0).fit_transform(x_train))
            bin_runs.append(bin_s)
            cls = (ensemble.HistGradientBoostingClassifier if clf
                   else ensemble.HistGradientBoostingRegressor)
            model = cls(max_iter=args.iterations, learning_rate=0.1, max_leaf_nodes=31,
                        min_samples_leaf=20, l2_regularization=0.0, max_bins=255,
                        early_stopping=False, random_state=0)
        else:
            cls = ensemble.RandomForestClassifier if clf else ensemble.RandomForestRegressor
            model = cls(n_estimators=args.trees, n_jobs=args.threads, random_state=0,
                        oob_score=bool(args.oob))
        memory.begin()
        fit_s, _ = timed(lambda: model.fit(x_train, y_train))
        added = max(added, memory.added())
        fit_runs.append(fit_s)
        if args.model == "rf" and args.oob:
            oob = float(model.oob_score_)
        if clf:
            predict_s, pred = timed(lambda: model.predict_proba(x_test)[:, 1])
        else:
            predict_s, pred = timed(lambda: model.predict(x_test))
        predict_runs.append(predict_s)
        del model

    name = "sklearn HistGradientBoosting" if args.model == "hgb" else "sklearn RandomForest"
    out = {"tool": name, "sklearn": sklearn.__version__, "task": header["task"],
           "threads": args.threads, "repeats": args.repeats,
           "fit_s": float(np.median(fit_runs)), "fit_runs_s": fit_runs,
           "predict_s": float(np.median(predict_runs)), "data_loaded_mib": data_mib,
           "fit_added_mib": added, "peak_rss_mib": memory.peak(),
           "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
           "omp_num_threads": os.environ.get("OMP_NUM_THREADS")}
    if bin_runs:
        out["bin_s"] = float(np.median(bin_runs))
        out["train_s"] = out["fit_s"] - out["bin_s"]
    if oob is not None:
        out["oob_score"] = oob
    if args.pred_out:
        np.asarray(pred, dtype="<f8").tofile(args.pred_out)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
