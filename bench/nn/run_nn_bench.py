#!/usr/bin/python3
"""Neural-network benchmark driver (issue 6, `bench/nn`): one epoch of the same MLP and of the
same text models, on the same data, in the same run: traind's neural_network module
(nn_bench, libtorch C++ inside libtraind_nn.so) against the same networks written in
PyTorch's Python API (torch_bench.py, python3-torch 1.13) and scikit-learn's MLPClassifier
(sklearn_bench.py, python3-sklearn 1.2). Target: traind <= 1.0x PyTorch-Python's time per
epoch. Builds nothing:

  cmake --build BUILD --target nn_bench traind_nn
  /usr/bin/python3 bench/nn/run_nn_bench.py --build BUILD [--threads 1,2] [--repeats 3] \
      [--models mlp,bag_of_embeddings,transformer]

Data (make_data.py, seed 20261123, written once into BUILD/bench-nn-data):
  tabular  100,000 train + 20,000 test rows x 40 standardised float32 features, 4 classes;
  text     50,000 train + 10,000 test short texts (6-43 words), 5 classes.
Models (every tool: ReLU, Adam lr 1e-3, no weight decay, no dropout, batch size 200,
cross-entropy, PyTorch's default initialisation):
  mlp                40 -> 256 -> 128 -> 4 on the tabular set; scikit-learn MLPClassifier
                     (256, 128), alpha 0.
  bag_of_embeddings  mean of 64-wide token embeddings (pad excluded) -> 64 -> 5;
                     scikit-learn: the same token ids as normalised token counts into
                     MLPClassifier (64, 64) (see sklearn_bench.py).
  transformer        token + learnt position embeddings (64), 2 encoder layers, 4 heads,
                     feed-forward 256, max_length 64, masked mean pool -> 64 -> 5; no
                     scikit-learn counterpart. On the first --transformer-rows (5,000)
                     training rows only, with a tokenizer trained on those rows: with Debian's
                     reference BLAS one full epoch takes ~15 minutes per tool.
Text batches: traind cuts each batch's token matrix to its longest text; the PyTorch
reference does the same (--trim-batches; --no-trim keeps max_length).
Token ids: traind's module trains its sentencepiece tokenizer (unigram, vocab_size 8000 upper
bound, max_length 64) on the training texts; the driver trains traind once (1 epoch, --save),
takes the tokenizer model out of the saved TorchScript bundle (traind/tokenizer/text.model)
and encodes both parts with the `sentencepiece` Python module (python3-sentencepiece), as the
module does: ids truncated to max_length and right-padded with 0 (pad 0, unk 1, no BOS/EOS).
PyTorch and scikit-learn read those ids, so every tool trains on the same tokens.

Timing: each tool stamps the clock when its training loop starts and at the end of every
epoch (traind: the module's last on_iteration report of the epoch). The first epoch is
dropped everywhere (traind's also holds tokenizer training and setup); the figure is the
median over epochs 2..E of every repetition. Tools run one after the other, interleaved and
alternating who goes first, --repeats times per (model, threads). Thread count t is the same
everywhere: traind TrainOptions.threads = t, torch.set_num_threads(t), and
OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = t in every process's environment. The load average
is recorded around each process: the machine may be shared.

BLAS: libtorch and numpy call the libblas.so.3 that Debian's alternatives select; with only
libblas3 installed that is the unoptimised reference BLAS (88 % of an MLP epoch is its
sgemm_). --blas-dir DIR puts another libblas.so.3 first on LD_LIBRARY_PATH for every tool,
e.g. OpenBLAS unpacked without installing it:
  apt-get download libopenblas0-pthread && dpkg-deb -x libopenblas0-pthread_*.deb /tmp/ob
  ... --blas-dir /tmp/ob/usr/lib/x86_64-linux-gnu/openblas-pthread
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import time
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_data  # noqa: E402

SKLEARN_MODEL = {"mlp": "mlp", "bag_of_embeddings": "bag_of_tokens"}


BLAS_DIR = None  # --blas-dir: a directory holding another libblas.so.3, for every tool


def run_tool(label, command, threads, log, pin=None, preload=None):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    if BLAS_DIR:
        env["LD_LIBRARY_PATH"] = BLAS_DIR + (":" + env["LD_LIBRARY_PATH"]
                                             if env.get("LD_LIBRARY_PATH") else "")
    if preload:
        env["LD_PRELOAD"] = preload
    if pin:
        command = ["taskset", "-c", pin] + command
    load_before = os.getloadavg()[0]
    print(f"[{time.strftime('%H:%M:%S')}] {label}: {shlex.join(command)} "
          f"(load {load_before:.2f})", file=sys.stderr, flush=True)
    started = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    if proc.returncode != 0:
        print(f"    {label} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}",
              file=sys.stderr, flush=True)
        return None
    result = None
    for line in proc.stdout.splitlines():
        if line.strip().startswith("{"):
            result = json.loads(line)
    if result is None:
        print(f"    {label}: no result line", file=sys.stderr, flush=True)
        return None
    result["load"] = [load_before, load_after]
    if preload:
        result["ld_preload"] = preload
    result["blas_dir"] = BLAS_DIR
    result["wall_s"] = wall
    if log:
        log.write(json.dumps(result) + "\n")
        log.flush()
    timed = result["epoch_s"][1:]
    print(f"    epochs {', '.join(f'{t:.3f}' for t in result['epoch_s'])} s "
          f"(median of 2.. {statistics.median(timed) if timed else float('nan'):.3f}), "
          f"acc {result['test_accuracy']:.4f}, wall {wall:.1f} s, "
          f"load {load_before:.2f} -> {load_after:.2f}", file=sys.stderr, flush=True)
    return result


def tokens_dir(data_dir, train_rows):
    return os.path.join(data_dir, "text", f"tokens-{train_rows or 'all'}")


def prepare_tokens(args, data_dir, train_rows):
    """Trains traind once on the text set's first `train_rows` training texts (0: all), takes
    its tokenizer out of the saved bundle and writes the token ids every reference reads
    (tokens_{train,test}.i32 and tokens.json in tokens_dir())."""
    import sentencepiece as spm

    text_dir = os.path.join(data_dir, "text")
    out_dir = tokens_dir(data_dir, train_rows)
    meta_path = os.path.join(out_dir, "tokens.json")
    if os.path.exists(meta_path) and not args.retokenize:
        with open(meta_path) as f:
            meta = json.load(f)
        if meta.get("max_length") == args.max_length:
            return meta
    save_dir = os.path.join(out_dir, "traind-model")
    os.makedirs(save_dir, exist_ok=True)
    result = run_tool("traind (tokenizer)",
                      [os.path.join(args.build, "bench", "nn_bench"), "--data", data_dir,
                       "--model", "bag_of_embeddings", "--epochs", "1",
                       "--max-length", str(args.max_length), "--train-rows", str(train_rows),
                       "--save", save_dir], 1, None, preload=args.preload)
    if result is None:
        sys.exit("nn_bench could not train the text model; no token ids")
    candidates = sorted(f for f in os.listdir(save_dir) if f.endswith(".pt"))
    if not candidates:
        sys.exit(f"no TorchScript file in {save_dir}")
    artifact = os.path.join(save_dir, candidates[0])
    with zipfile.ZipFile(artifact) as bundle:
        names = [n for n in bundle.namelist() if n.endswith("traind/tokenizer/text.model")]
        if not names:
            sys.exit(f"{artifact} holds no traind/tokenizer/text.model: {bundle.namelist()}")
        proto = bundle.read(names[0])
        network = [n for n in bundle.namelist() if n.endswith("traind/network.json")]
        network_json = json.loads(bundle.read(network[0])) if network else {}
    processor = spm.SentencePieceProcessor(model_proto=proto)
    lengths = {}
    for part in ("train", "test"):
        with open(os.path.join(text_dir, f"{part}.tsv")) as f:
            texts = [line.rstrip("\n").split("\t", 1)[1] for line in f]
        ids = processor.encode(texts, out_type=int)
        tokens = np.zeros((len(texts), args.max_length), dtype="<i4")
        for row, piece_ids in enumerate(ids):
            piece_ids = piece_ids[:args.max_length]
            tokens[row, :len(piece_ids)] = piece_ids
        tokens.tofile(os.path.join(out_dir, f"tokens_{part}.i32"))
        lengths[part] = [int(len(p)) for p in ids]
    with open(os.path.join(text_dir, "header.json")) as f:
        classes = json.load(f)["num_classes"]
    all_lengths = np.array(lengths["train"])
    meta = {"max_length": args.max_length, "vocab_size": processor.get_piece_size(),
            "num_classes": classes, "train_rows_of_tokenizer": train_rows or "all",
            "pad_id": processor.pad_id(), "unk_id": processor.unk_id(),
            "bos_id": processor.bos_id(), "eos_id": processor.eos_id(),
            "tokens_per_text_train": {"mean": float(all_lengths.mean()),
                                      "p50": float(np.median(all_lengths)),
                                      "max": int(all_lengths.max()),
                                      "truncated_share": float(np.mean(all_lengths >
                                                                       args.max_length))},
            "source": artifact, "network_json": network_json}
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    print(f"    tokens ({train_rows or 'all'} rows): vocabulary {meta['vocab_size']}, pad "
          f"{meta['pad_id']}, unk {meta['unk_id']}, bos {meta['bos_id']}, eos {meta['eos_id']}, "
          f"per text {meta['tokens_per_text_train']}", file=sys.stderr, flush=True)
    return meta


def commands(args, data_dir, model, threads):
    rows = args.transformer_rows if model == "transformer" else 0
    common = ["--data", data_dir, "--model", model, "--threads", str(threads), "--epochs",
              str(args.epochs), "--batch-size", str(args.batch_size), "--train-rows", str(rows)]
    tokens = [] if model == "mlp" else ["--tokens", tokens_dir(data_dir, rows)]
    tools = {"traind": [os.path.join(args.build, "bench", "nn_bench"), *common,
                        "--max-length", str(args.max_length)],
             "pytorch": ["/usr/bin/python3", os.path.join(HERE, "torch_bench.py"), *common,
                         *tokens, "--ff", str(args.ff)] +
                        ([] if args.no_trim else ["--trim-batches"])}
    if model in SKLEARN_MODEL and not args.no_sklearn:
        tools["sklearn"] = ["/usr/bin/python3", os.path.join(HERE, "sklearn_bench.py"),
                            "--data", data_dir, "--model", SKLEARN_MODEL[model], "--threads",
                            str(threads), "--epochs", str(args.epochs), "--batch-size",
                            str(args.batch_size), "--train-rows", str(rows), *tokens]
    return tools


def seconds(value):
    if value is None:
        return "–"
    return f"{1000 * value:.0f} ms" if value < 1 else f"{value:.2f} s"


def summarise(results):
    """Median (and min-max) over epochs 2.. of every run, accuracies, loads."""
    if not results:
        return None
    epochs = [t for r in results for t in r["epoch_s"][1:]]
    return {"median": statistics.median(epochs), "min": min(epochs), "max": max(epochs),
            "accuracy": [r["test_accuracy"] for r in results],
            "loss": [r["train_loss"][-1] for r in results],
            "runs": len(results), "epochs": len(epochs),
            "load": (min(r["load"][0] for r in results), max(r["load"][1] for r in results))}


def table(summaries, args):
    lines = ["| model | threads | traind s/epoch | PyTorch-Python s/epoch | scikit-learn s/epoch "
             "| traind / PyTorch | ≤ 1.0× | test accuracy after "
             f"{args.epochs} epochs: traind / PyTorch / scikit-learn | timed epochs t/p/s "
             "| load |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for (model, threads), s in summaries.items():
        ours, torch_, sk = s.get("traind"), s.get("pytorch"), s.get("sklearn")
        ratio = ours["median"] / torch_["median"] if ours and torch_ else None

        def acc(x):
            return f"{statistics.median(x['accuracy']):.4f}" if x else "–"

        def cell(x):
            if not x:
                return "–"
            return f"{seconds(x['median'])} ({seconds(x['min'])}–{seconds(x['max'])})"

        loads = [x["load"] for x in (ours, torch_, sk) if x]
        load = (f"{min(lo for lo, _ in loads):.1f}–{max(hi for _, hi in loads):.1f}"
                if loads else "–")
        label = (f"{model} ({args.transformer_rows:,} train rows)"
                 if model == "transformer" and args.transformer_rows else model)
        lines.append(
            f"| {label} | {threads} | {cell(ours)} | {cell(torch_)} | {cell(sk)} | "
            f"{f'{ratio:.2f}×' if ratio else '–'} | "
            f"{'yes' if ratio and ratio <= 1.0 else ('no' if ratio else '–')} | "
            f"{acc(ours)} / {acc(torch_)} / {acc(sk)} | "
            f"{ours['epochs'] if ours else 0}/{torch_['epochs'] if torch_ else 0}/"
            f"{sk['epochs'] if sk else 0} | {load} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    parser.add_argument("--data-dir", default=None, help="default BUILD/bench-nn-data")
    parser.add_argument("--models", default="mlp,bag_of_embeddings",
                        help="add transformer for the Transformer text model (slow without an "
                             "optimised BLAS: see above)")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--max-length", type=int, default=64)
    parser.add_argument("--ff", type=int, default=256,
                        help="transformer feed-forward width of the PyTorch reference")
    parser.add_argument("--no-trim", action="store_true",
                        help="PyTorch reference keeps text batches at max_length (traind, and "
                             "by default the reference, cut each batch to its longest text)")
    parser.add_argument("--transformer-rows", type=int, default=5000,
                        help="training rows of the transformer runs (0: all 50,000)")
    parser.add_argument("--no-sklearn", action="store_true")
    parser.add_argument("--preload", default=None,
                        help="LD_PRELOAD for nn_bench (a workaround, recorded in the results)")
    parser.add_argument("--pin", default=None, help="taskset CPU list for every process")
    parser.add_argument("--retokenize", action="store_true")
    parser.add_argument("--blas-dir", default=None,
                        help="run every tool with this directory first on LD_LIBRARY_PATH, to "
                             "swap the libblas.so.3 that libtorch and numpy use (e.g. "
                             "OpenBLAS's instead of Debian's default reference BLAS)")
    parser.add_argument("--json-out", default=None)
    args = parser.parse_args()
    global BLAS_DIR
    BLAS_DIR = args.blas_dir

    data_dir = os.path.abspath(args.data_dir or os.path.join(args.build, "bench-nn-data"))
    nn_bench = os.path.join(args.build, "bench", "nn_bench")
    if not os.path.exists(nn_bench):
        sys.exit(f"{nn_bench} is missing: cmake --build {args.build} --target nn_bench traind_nn")
    for header in make_data.generate(data_dir):
        print(f"data: {json.dumps(header)}", file=sys.stderr, flush=True)
    models = [m for m in args.models.split(",") if m]
    for rows in sorted({args.transformer_rows if m == "transformer" else 0
                        for m in models if m != "mlp"}):
        prepare_tokens(args, data_dir, rows)

    log = open(args.json_out, "a") if args.json_out else None
    summaries = {}
    for model in models:
        for threads in [int(t) for t in args.threads.split(",")]:
            tools = commands(args, data_dir, model, threads)
            results = {name: [] for name in tools}
            names = list(tools)
            for repeat in range(args.repeats):
                # Alternate who goes first so a drifting machine load hits every tool alike.
                order = names[repeat % len(names):] + names[:repeat % len(names)]
                for name in order:
                    r = run_tool(f"{name} {model} t={threads} #{repeat + 1}", tools[name],
                                 threads, log, args.pin,
                                 args.preload if name == "traind" else None)
                    if r is not None:
                        results[name].append(r)
            summaries[(model, threads)] = {name: summarise(rs) for name, rs in results.items()}
    if log:
        log.close()
    print(f"Command: /usr/bin/python3 bench/nn/run_nn_bench.py {shlex.join(sys.argv[1:])}")
    print(f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
          f"BLAS: {BLAS_DIR or 'the system libblas.so.3'}\n")
    print(table(summaries, args))


if __name__ == "__main__":
    main()
