#!/usr/bin/python3
"""Data for bench/nn, generated from a fixed seed and written once; every tool reads the files.

  tabular/  120,000 x 40 float32 (100,000 train + 20,000 test), 4 classes: a random
            two-layer tanh network of 20 of the features plus noise picks the class, so an
            MLP has something non-linear to learn; the other 20 features are noise. Columns
            are standardised with the training rows' mean and deviation (what traind's
            preprocessing hands the network). Files as bench/trees: header.json,
            x_train.f32, y_train.f32, x_test.f32, y_test.f32 (row-major little-endian).
  text/     60,000 short texts (50,000 train + 10,000 test), 5 classes, one "label<TAB>text"
            per line in train.tsv and test.tsv. Words are made of syllables (so subwords
            matter); each text mixes 6-40 words of a shared vocabulary with a few words of its
            class's own vocabulary, and 15 % of the class words come from a wrong class.

  /usr/bin/python3 bench/nn/make_data.py --out build/bench-nn-data
"""
import argparse
import json
import os

import numpy as np

SEED = 20261123



def read_tabular(data):
    """The tabular set as written here: x_train, y_train, x_test, y_test (labels int64) and
    the number of classes."""
    with open(os.path.join(data, "tabular", "header.json")) as f:
        header = json.load(f)
    cols = header["cols"]

    def read(name, shape):
        return np.fromfile(os.path.join(data, "tabular", name), dtype="<f4").reshape(shape)

    return (read("x_train.f32", (header["n_train"], cols)),
            read("y_train.f32", (header["n_train"],)).astype(np.int64),
            read("x_test.f32", (header["n_test"], cols)),
            read("y_test.f32", (header["n_test"],)).astype(np.int64), header["num_classes"])

def make_tabular(rows, cols, classes, seed):
    rng = np.random.RandomState(seed)
    x = rng.standard_normal((rows, cols))
    informative = cols // 2
    w1 = rng.standard_normal((informative, 32)) / np.sqrt(informative)
    w2 = rng.standard_normal((32, classes))
    logits = np.tanh(x[:, :informative] @ w1 * 1.5) @ w2
    logits += 0.8 * rng.standard_normal(logits.shape)
    y = np.argmax(logits, axis=1).astype(np.float64)
    columns = rng.permutation(cols)
    return x[:, columns], y


def write_tabular(out_dir, rows, cols, classes, n_test, seed):
    os.makedirs(out_dir, exist_ok=True)
    x, y = make_tabular(rows, cols, classes, seed)
    n_train = rows - n_test
    mean = x[:n_train].mean(axis=0)
    std = x[:n_train].std(axis=0)
    x = (x - mean) / std
    x32, y32 = x.astype("<f4"), y.astype("<f4")
    x32[:n_train].tofile(os.path.join(out_dir, "x_train.f32"))
    y32[:n_train].tofile(os.path.join(out_dir, "y_train.f32"))
    x32[n_train:].tofile(os.path.join(out_dir, "x_test.f32"))
    y32[n_train:].tofile(os.path.join(out_dir, "y_test.f32"))
    counts = np.bincount(y.astype(int), minlength=classes).tolist()
    header = {"task": "classification", "rows": rows, "cols": cols, "n_train": n_train,
              "n_test": n_test, "num_classes": classes, "class_counts": counts, "seed": seed,
              "dtype": "float32-le", "layout": "row-major"}
    with open(os.path.join(out_dir, "header.json"), "w") as f:
        json.dump(header, f, indent=1)
        f.write("\n")
    return header


SYLLABLES = ["ka", "lo", "mi", "ne", "tor", "sa", "pe", "ri", "dun", "ba", "vel", "os", "tra",
             "gi", "mon", "ul", "che", "fa", "zer", "in", "qua", "por", "lis", "em", "dra"]


def make_words(rng, count, min_syl, max_syl, taken):
    words = []
    while len(words) < count:
        n = rng.randint(min_syl, max_syl + 1)
        word = "".join(rng.choice(SYLLABLES, n))
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def make_texts(rows, classes, seed):
    rng = np.random.RandomState(seed)
    taken = set()
    common = make_words(rng, 2000, 1, 3, taken)
    own = [make_words(rng, 60, 2, 4, taken) for _ in range(classes)]
    # Zipf-like frequencies for the shared words.
    weights = 1.0 / np.arange(1, len(common) + 1) ** 1.1
    weights /= weights.sum()
    labels = rng.randint(0, classes, rows)
    texts = []
    for label in labels:
        length = rng.randint(6, 41)
        words = list(rng.choice(common, length, p=weights))
        for _ in range(rng.randint(1, 4)):
            source = label if rng.random_sample() >= 0.15 else rng.randint(0, classes)
            words.insert(rng.randint(0, len(words) + 1), rng.choice(own[source]))
        texts.append(" ".join(words))
    return labels, texts


def write_text(out_dir, rows, classes, n_test, seed):
    os.makedirs(out_dir, exist_ok=True)
    labels, texts = make_texts(rows, classes, seed)
    n_train = rows - n_test
    for name, part in (("train.tsv", slice(0, n_train)), ("test.tsv", slice(n_train, rows))):
        with open(os.path.join(out_dir, name), "w") as f:
            for label, text in zip(labels[part], texts[part]):
                f.write(f"{label}\t{text}\n")
    header = {"task": "classification", "rows": rows, "n_train": n_train, "n_test": n_test,
              "num_classes": classes, "seed": seed, "format": "label<TAB>text per line",
              "mean_words": float(np.mean([t.count(" ") + 1 for t in texts]))}
    with open(os.path.join(out_dir, "header.json"), "w") as f:
        json.dump(header, f, indent=1)
        f.write("\n")
    return header


def generate(out, seed=SEED):
    """Writes both data sets unless their header already says they were made from `seed`."""
    headers = []
    for name, write in (("tabular", lambda d: write_tabular(d, 120000, 40, 4, 20000, seed)),
                        ("text", lambda d: write_text(d, 60000, 5, 10000, seed + 1))):
        directory = os.path.join(out, name)
        header_path = os.path.join(directory, "header.json")
        if os.path.exists(header_path):
            with open(header_path) as f:
                header = json.load(f)
            if header.get("seed") in (seed, seed + 1):
                headers.append(header)
                continue
        headers.append(write(directory))
    return headers


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    for header in generate(args.out, args.seed):
        print(json.dumps(header))


if __name__ == "__main__":
    main()
