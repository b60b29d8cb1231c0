#!/usr/bin/python3
"""Writes the tree benchmark's data sets: one seeded generator, identical float32 files for
every tool (our GBDT and forest, libxgboost, scikit-learn, ranger).

Two tasks, in the style of scikit-learn's make_classification / make_regression (our own numpy
code, so that the data do not depend on scikit-learn being installed):
  clf  binary classification: informative features drawn around hypercube vertices (two
       clusters per class, random covariance), redundant features = random linear
       combinations of the informative ones, the rest pure noise, 1 % of labels flipped;
       rows and columns shuffled.
  reg  regression: standard-normal features, a linear target on the informative ones plus
       Gaussian noise.
The last 20 % of the (shuffled) rows are the test part.

Layout of OUT/<task>/: header.json, x_train.f32, y_train.f32, x_test.f32, y_test.f32 —
little-endian float32, X row-major (row r, column c at r * cols + c).

  /usr/bin/python3 bench/trees/make_data.py --out /tmp/trees-data --rows 200000 --cols 40
"""
import argparse
import json
import os

import numpy as np

TEST_FRACTION = 0.2


def make_classification(rows, cols, seed, informative, redundant):
    rng = np.random.RandomState(seed)
    classes, clusters_per_class, class_sep, flip_y = 2, 2, 1.0, 0.01
    n_clusters = classes * clusters_per_class
    # Distinct hypercube vertices as cluster centres (as make_classification with hypercube).
    vertices = rng.choice(2**informative, size=n_clusters, replace=False)
    bits = (vertices[:, None] >> np.arange(informative)) & 1
    centroids = (bits * 2.0 - 1.0) * class_sep
    x = np.empty((rows, cols), dtype=np.float64)
    y = np.empty(rows, dtype=np.int64)
    sizes = np.full(n_clusters, rows // n_clusters)
    sizes[: rows % n_clusters] += 1
    start = 0
    for k in range(n_clusters):
        end = start + sizes[k]
        block = rng.standard_normal((sizes[k], informative))
        covariance = 2.0 * rng.random_sample((informative, informative)) - 1.0
        x[start:end, :informative] = block @ covariance + centroids[k]
        y[start:end] = k % classes
        start = end
    mix = 2.0 * rng.random_sample((informative, redundant)) - 1.0
    x[:, informative : informative + redundant] = x[:, :informative] @ mix
    x[:, informative + redundant :] = rng.standard_normal((rows, cols - informative - redundant))
    flip = rng.random_sample(rows) < flip_y
    y[flip] = rng.randint(classes, size=int(flip.sum()))
    order = rng.permutation(rows)
    x, y = x[order], y[order]
    x = x[:, rng.permutation(cols)]
    return x, y.astype(np.float64)


def make_regression(rows, cols, seed, informative, noise):
    rng = np.random.RandomState(seed)
    x = rng.standard_normal((rows, cols))
    coef = np.zeros(cols)
    coef[:informative] = 100.0 * rng.random_sample(informative)
    y = x @ coef + noise * rng.standard_normal(rows)
    order = rng.permutation(rows)
    x, y = x[order], y[order]
    columns = rng.permutation(cols)
    return x[:, columns], y


def write_task(out_dir, task, x, y, seed, details):
    os.makedirs(out_dir, exist_ok=True)
    rows, cols = x.shape
    n_test = int(round(rows * TEST_FRACTION))
    n_train = rows - n_test
    x32, y32 = x.astype("<f4"), y.astype("<f4")
    x32[:n_train].tofile(os.path.join(out_dir, "x_train.f32"))
    y32[:n_train].tofile(os.path.join(out_dir, "y_train.f32"))
    x32[n_train:].tofile(os.path.join(out_dir, "x_test.f32"))
    y32[n_train:].tofile(os.path.join(out_dir, "y_test.f32"))
    header = {"task": task, "rows": rows, "cols": cols, "n_train": n_train, "n_test": n_test,
              "seed": seed, "dtype": "float32-le", "layout": "row-major", **details}
    with open(os.path.join(out_dir, "header.json"), "w") as f:
        json.dump(header, f, indent=1)
        f.write("\n")
    return header


def generate(out, rows, cols, seed):
    informative, redundant = 10, 10
    x, y = make_classification(rows, cols, seed, informative, redundant)
    clf = write_task(os.path.join(out, "clf"), "clf", x, y, seed,
                     {"informative": informative, "redundant": redundant,
                      "noise_features": cols - informative - redundant, "flip_y": 0.01})
    x, y = make_regression(rows, cols, seed + 1, informative, noise=10.0)
    reg = write_task(os.path.join(out, "reg"), "reg", x, y, seed + 1,
                     {"informative": informative, "noise": 10.0})
    return clf, reg


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--cols", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    for header in generate(args.out, args.rows, args.cols, args.seed):
        print(json.dumps(header))


if __name__ == "__main__":
    main()
