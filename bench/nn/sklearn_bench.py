#!/usr/bin/python3
"""The scikit-learn reference of bench/nn: MLPClassifier on the same files.

  /usr/bin/python3 bench/nn/sklearn_bench.py --data DIR --model mlp|bag_of_tokens --epochs 4

  mlp            MLPClassifier(hidden_layer_sizes=(256, 128), relu, solver "adam",
                 learning_rate_init 1e-3, alpha 0 (no L2, as traind's weight_decay 0),
                 batch_size as given) on the tabular set.
  bag_of_tokens  the text set as scikit-learn can take it: each text's token ids (the same ids
                 as the other tools) as a sparse row of token frequencies summing to 1, i.e.
                 the input EmbeddingBag's mean multiplies by its table, into
                 MLPClassifier(hidden_layer_sizes=(64, 64)): the first layer plays the
                 64-wide embedding table (with a bias and a ReLU that the bag of embeddings
                 lacks), the second the head's hidden layer.
Each epoch is one partial_fit call over the training rows (scikit-learn's own epoch: shuffled
minibatches, its loss accumulated); timestamps as torch_bench.py. Threads: the driver sets
OPENBLAS_NUM_THREADS / OMP_NUM_THREADS (numpy's BLAS does the work). One JSON line on stdout.
"""
import argparse
import json
import os
import time
import warnings

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.neural_network import MLPClassifier

from make_data import read_tabular


def token_frequencies(tokens, vocab):
    rows, cols = np.nonzero(tokens)
    ids = tokens[rows, cols]
    counts = sp.csr_matrix((np.ones(len(ids), dtype=np.float32), (rows, ids)),
                           shape=(tokens.shape[0], vocab))
    counts.sum_duplicates()
    total = np.asarray(counts.sum(axis=1)).ravel()
    total[total == 0] = 1
    return sp.diags(1.0 / total).astype(np.float32) @ counts


def load_text(data, tokens):
    directory = os.path.join(data, "text")
    tokens = tokens or directory
    with open(os.path.join(tokens, "tokens.json")) as f:
        meta = json.load(f)
    length, vocab = meta["max_length"], meta["vocab_size"]

    def read(name):
        ids = np.fromfile(os.path.join(tokens, name), dtype="<i4").reshape(-1, length)
        return token_frequencies(ids, vocab).tocsr()

    def labels(name):
        with open(os.path.join(directory, name)) as f:
            return np.array([int(line.split("\t", 1)[0]) for line in f], dtype=np.int64)

    return (read("tokens_train.i32"), labels("train.tsv"), read("tokens_test.i32"),
            labels("test.tsv"), meta["num_classes"])


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--model", required=True, choices=["mlp", "bag_of_tokens"])
    parser.add_argument("--tokens", default=None,
                        help="directory of tokens.json and tokens_{train,test}.i32 (text)")
    parser.add_argument("--threads", type=int, default=1, help="recorded only (see above)")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--hidden", default=None)
    parser.add_argument("--train-rows", type=int, default=0,
                        help="train on the first N training rows only (0: all)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    if args.model == "mlp":
        x_train, y_train, x_test, y_test, classes = read_tabular(args.data)
        hidden = args.hidden or "256,128"
    else:
        x_train, y_train, x_test, y_test, classes = load_text(args.data, args.tokens)
        hidden = args.hidden or "64,64"
    hidden = tuple(int(h) for h in hidden.split(",") if h)
    if args.train_rows > 0:
        x_train, y_train = x_train[:args.train_rows], y_train[:args.train_rows]
    n = x_train.shape[0]
    batch = min(args.batch_size, n)
    model = MLPClassifier(hidden_layer_sizes=hidden, activation="relu", solver="adam",
                          alpha=0.0, batch_size=batch, learning_rate_init=1e-3, max_iter=1,
                          shuffle=True, random_state=args.seed)
    all_classes = np.arange(classes)
    stamps = [time.perf_counter()]
    losses = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(args.epochs):
            model.partial_fit(x_train, y_train, classes=all_classes)
            losses.append(float(model.loss_))
            stamps.append(time.perf_counter())
    accuracy = float(np.mean(model.predict(x_test) == y_test))
    parameters = int(sum(w.size for w in model.coefs_) + sum(b.size for b in model.intercepts_))
    print(json.dumps({"tool": "sklearn", "model": args.model, "threads": args.threads,
                      "batch_size": batch, "epochs": args.epochs,
                      "epoch_s": list(np.diff(stamps)), "train_loss": losses,
                      "test_accuracy": accuracy, "parameters": parameters,
                      "dtype": str(model.coefs_[0].dtype), "sklearn": sklearn.__version__}))


if __name__ == "__main__":
    main()
