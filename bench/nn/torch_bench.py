#!/usr/bin/python3
"""The PyTorch-Python reference of bench/nn: the same networks as traind's neural_network
module, written the way one writes them in PyTorch's Python API, trained on the same files.

  /usr/bin/python3 bench/nn/torch_bench.py --data DIR --model mlp|bag_of_embeddings|transformer \
      --threads 1 --epochs 4 --batch-size 200

Models (ReLU, PyTorch's default initialisation, Adam lr 1e-3, cross-entropy, no dropout):
  mlp                 Linear(40, 256) -> ReLU -> Linear(256, 128) -> ReLU -> Linear(128, k)
  bag_of_embeddings   EmbeddingBag(V, 64, mean, padding_idx 0) -> Linear(64, 64) -> ReLU ->
                      Linear(64, k)
  transformer         Embedding(V, 64, padding_idx 0) + learnt positions Embedding(L, 64) ->
                      TransformerEncoder(2 x (d_model 64, 4 heads, feed-forward --ff, dropout 0,
                      batch_first), key padding mask) -> mean over non-pad tokens -> Linear(64,
                      64) -> ReLU -> Linear(64, k)
Text models read the token ids the driver wrote (tokens_train.i32 / tokens_test.i32, [n, L]
int32, pad 0, made with traind's own tokenizer model) so both sides train on the same ids.

Timing, as nn_bench.cc: a timestamp when the training loop starts and one at the end of each
epoch (after the epoch's mean training loss is known, which is what traind reports then);
epoch e's time is the difference of consecutive stamps. Data loading, model construction and
the final test evaluation are outside. One JSON line on stdout.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn

from make_data import read_tabular


class Mlp(nn.Module):
    def __init__(self, inputs, hidden, outputs):
        super().__init__()
        layers = []
        width = inputs
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU()]
            width = h
        layers.append(nn.Linear(width, outputs))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x)


class BagOfEmbeddings(nn.Module):
    def __init__(self, vocab, dim, hidden, outputs):
        super().__init__()
        self.embedding = nn.EmbeddingBag(vocab, dim, mode="mean", padding_idx=0)
        self.head = Mlp(dim, hidden, outputs)

    def forward(self, tokens):
        return self.head(self.embedding(tokens))


class TransformerText(nn.Module):
    def __init__(self, vocab, dim, layers, heads, ff, max_length, hidden, outputs):
        super().__init__()
        self.embedding = nn.Embedding(vocab, dim, padding_idx=0)
        self.position = nn.Embedding(max_length, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, dim_feedforward=ff, dropout=0.0,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.head = Mlp(dim, hidden, outputs)

    def forward(self, tokens):
        pad = tokens == 0
        positions = torch.arange(tokens.shape[1], device=tokens.device)
        h = self.embedding(tokens) + self.position(positions)[None]
        h = self.encoder(h, src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).to(h.dtype)
        pooled = (h * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        return self.head(pooled)


def load_tabular(data):
    x_train, y_train, x_test, y_test, classes = read_tabular(data)
    return (torch.from_numpy(x_train), torch.from_numpy(y_train), torch.from_numpy(x_test),
            torch.from_numpy(y_test), classes, {})


def load_tokens(data, tokens):
    directory = os.path.join(data, "text")
    tokens = tokens or directory
    with open(os.path.join(tokens, "tokens.json")) as f:
        meta = json.load(f)
    length = meta["max_length"]

    def read(name):
        return torch.from_numpy(
            np.fromfile(os.path.join(tokens, name), dtype="<i4").reshape(-1, length)
            .astype(np.int64))

    def labels(name):
        with open(os.path.join(directory, name)) as f:
            return torch.tensor([int(line.split("\t", 1)[0]) for line in f], dtype=torch.long)

    return (read("tokens_train.i32"), labels("train.tsv"), read("tokens_test.i32"),
            labels("test.tsv"), meta["num_classes"], meta)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True)
    parser.add_argument("--model", required=True,
                        choices=["mlp", "bag_of_embeddings", "transformer"])
    parser.add_argument("--tokens", default=None,
                        help="directory of tokens.json and tokens_{train,test}.i32 (text models)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--hidden", default=None, help="default 256,128 (mlp), 64 (text)")
    parser.add_argument("--embedding-dim", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--ff", type=int, default=256, help="transformer feed-forward width")
    parser.add_argument("--trim-batches", action="store_true",
                        help="cut each text batch to its longest row (as traind does)")
    parser.add_argument("--train-rows", type=int, default=0,
                        help="train on the first N training rows only (0: all)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    torch.set_num_interop_threads(1)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    hidden = args.hidden or ("256,128" if args.model == "mlp" else "64")
    hidden = [int(h) for h in hidden.split(",") if h]
    if args.model == "mlp":
        x_train, y_train, x_test, y_test, classes, meta = load_tabular(args.data)
        model = Mlp(x_train.shape[1], hidden, classes)
    else:
        x_train, y_train, x_test, y_test, classes, meta = load_tokens(args.data, args.tokens)
        vocab = meta["vocab_size"]
        if args.model == "bag_of_embeddings":
            model = BagOfEmbeddings(vocab, args.embedding_dim, hidden, classes)
        else:
            model = TransformerText(vocab, args.embedding_dim, args.layers, args.heads, args.ff,
                                    meta["max_length"], hidden, classes)
    if args.train_rows > 0:
        x_train, y_train = x_train[:args.train_rows], y_train[:args.train_rows]
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    n = x_train.shape[0]
    batch = min(args.batch_size, n)
    trim = args.trim_batches and args.model != "mlp"
    lengths = (x_train != 0).sum(1) if trim else None

    stamps = [time.perf_counter()]
    losses = []
    for _ in range(args.epochs):
        model.train()
        order = torch.randperm(n)
        total = 0.0
        for start in range(0, n, batch):
            index = order[start:start + batch]
            xb, yb = x_train[index], y_train[index]
            if trim:
                xb = xb[:, :max(1, int(lengths[index].max()))]
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(index)
        losses.append(total / n)
        stamps.append(time.perf_counter())

    model.eval()
    with torch.no_grad():
        predicted = torch.cat([model(x_test[s:s + 4096]).argmax(1)
                               for s in range(0, x_test.shape[0], 4096)])
    accuracy = float((predicted == y_test).float().mean())
    parameters = sum(p.numel() for p in model.parameters())
    print(json.dumps({"tool": "pytorch", "model": args.model, "threads": args.threads,
                      "batch_size": batch, "epochs": args.epochs,
                      "epoch_s": list(np.diff(stamps)), "train_loss": losses,
                      "test_accuracy": accuracy, "parameters": parameters,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
