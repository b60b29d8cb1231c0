#!/usr/bin/python3
"""Loads a traind model.pt with torch.jit.load and compares its output with C++'s.

  jit_load_check.py DIR

DIR holds model.pt, inputs.json ({"rows", "cols", "text_columns", "max_length"}), x.f32
(rows x cols float32), tokens.i64 (rows x text_columns x max_length int64, when the model
reads text) and expected.f64 (the C++ predictions). Exits 0 when every prediction agrees
within 1e-6, 1 otherwise. Run by nn_test (network_model_test.cc).
"""
import json
import os
import sys

import numpy as np
import torch


def main(directory):
    extra = {"traind/network.json": "", "traind/preprocess.json": ""}
    model = torch.jit.load(os.path.join(directory, "model.pt"), _extra_files=extra)
    network = json.loads(extra["traind/network.json"])
    json.loads(extra["traind/preprocess.json"])
    with open(os.path.join(directory, "inputs.json")) as f:
        inputs = json.load(f)
    rows, cols = inputs["rows"], inputs["cols"]
    x = np.fromfile(os.path.join(directory, "x.f32"), dtype="<f4").reshape(rows, cols)
    args = [torch.from_numpy(x)]
    if network["text_columns"]:
        tokens = np.fromfile(os.path.join(directory, "tokens.i64"), dtype="<i8")
        args.append(torch.from_numpy(tokens.reshape(rows, len(network["text_columns"]),
                                                    network["max_length"])))
    with torch.no_grad():
        out = model(*args).numpy().astype(np.float64).reshape(-1)
    expected = np.fromfile(os.path.join(directory, "expected.f64"), dtype="<f8")
    if out.shape != expected.shape:
        print(f"shape {out.shape} != expected {expected.shape}")
        return 1
    diff = float(np.max(np.abs(out - expected)))
    print(f"torch.jit.load: {rows} rows, max |python - c++| = {diff:.3g}")
    return 0 if diff <= 1e-6 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
