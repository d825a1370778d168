#!/usr/bin/env python3
"""PyTorch reference for the training-step benchmark (issue 6): trains the same networks on the same shapes
as this project's training loop, on the CPU, and reports milliseconds per step.

Two ways to run it:

  python3 bench/torch_reference.py --cases cases.json [--steps 200] [--threads 1,2]
      prints a markdown table; cases.json is what `npm run bench:node -- --write-cases cases.json` writes
      (the models of every preset, read from src/core/presets.ts).

  python3 bench/torch_reference.py --serve
      what bench/node.bench.ts starts: reads one JSON request per line on stdin
      ({"case": {...}, "steps": N, "threads": T}) and answers "@@bench {"ms": ..., "steps": ...}" lines, so
      the Node benchmark can interleave PyTorch with its own measurements.

A step is what the Node loop does: gather a shuffled batch, forward, soft cross-entropy against one-hot targets,
backward, optimizer update (Adam, or SGD with momentum). Needs torch (Debian: python3-torch).

Debian's python3-torch does its matrix products in whatever libblas.so.3 the system provides. With only
libblas3 installed that is the unoptimised reference BLAS, about ten times slower than OpenBLAS here; the
report names the library. To measure against OpenBLAS without installing it system-wide:
  apt-get download libopenblas0-pthread && dpkg-deb -x libopenblas0-pthread_*.deb /tmp/openblas
  LD_LIBRARY_PATH=/tmp/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread python3 bench/torch_reference.py ...
(or `npm run bench:node -- --torch-lib-path /tmp/openblas/usr/lib/x86_64-linux-gnu/openblas-pthread`).
"""
import argparse
import json
import os
import platform
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the Node benchmark checks for torch before starting this script
    print("torch is not installed (Debian: apt install python3-torch)", file=sys.stderr)
    sys.exit(3)

DEFAULT_THREADS = torch.get_num_threads()


def blas():
    """The BLAS library torch's matrix products run on, and a way to set its thread count (OpenBLAS)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # make sure the library is loaded
    try:
        with open("/proc/self/maps") as maps:
            paths = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and ".so" in line})
    except OSError:
        return "unknown BLAS", None
    if not paths:
        return "no separate BLAS library (torch's own kernels)", None
    path = paths[0]
    set_threads = None
    core = None
    try:
        import ctypes
        library = ctypes.CDLL(path)
        set_threads = library.openblas_set_num_threads
        # The kernels OpenBLAS chose for this CPU: an unrecognised CPU falls back to old SSE3 ones ("Prescott"),
        # several times slower; OPENBLAS_CORETYPE (e.g. SkylakeX) overrides the choice.
        library.openblas_get_corename.restype = ctypes.c_char_p
        core = library.openblas_get_corename().decode()
    except (OSError, AttributeError):
        pass
    real = os.path.realpath(path)
    if set_threads is not None or "openblas" in real:
        kind = f"OpenBLAS ({core} kernels)" if core else "OpenBLAS"
    elif "/blas/libblas" in real:
        kind = "the reference BLAS (netlib, unoptimised)"
    else:
        kind = "BLAS"
    return f"{kind}: {real}", set_threads


BLAS, SET_BLAS_THREADS = blas()


class Step:
    """One case, built once: model, optimizer, data; `run(steps)` times that many steps."""

    def __init__(self, case):
        torch.manual_seed(0)
        self.batch = case["train"]["batchSize"]
        shape = case["inputShape"]
        features = 1
        for size in shape:
            features *= size
        layers = []
        channels = shape[2] if len(shape) == 3 else None
        width = features
        spatial = (shape[0], shape[1]) if len(shape) == 3 else None
        for layer in case["layers"]:
            kind = layer["type"]
            if kind == "dense":
                layers.append(torch.nn.Linear(width, layer["units"]))
                width = layer["units"]
                activation = layer["activation"]
                if activation == "relu":
                    layers.append(torch.nn.ReLU())
                elif activation == "tanh":
                    layers.append(torch.nn.Tanh())
                elif activation == "sigmoid":
                    layers.append(torch.nn.Sigmoid())
                elif activation == "elu":
                    layers.append(torch.nn.ELU())
            elif kind == "dropout":
                layers.append(torch.nn.Dropout(layer["rate"]))
            elif kind == "conv":
                layers.append(torch.nn.Conv2d(channels, layer["filters"], 3, padding=1))
                layers.append(torch.nn.ReLU())
                channels = layer["filters"]
            elif kind == "maxpool":
                layers.append(torch.nn.MaxPool2d(2, 2, ceil_mode=True))  # 'same' pooling
                spatial = ((spatial[0] + 1) // 2, (spatial[1] + 1) // 2)
            elif kind == "flatten":
                layers.append(torch.nn.Flatten())
                width = channels * spatial[0] * spatial[1]
        self.image_shape = (shape[2], shape[0], shape[1]) if len(shape) == 3 else None
        self.model = torch.nn.Sequential(*layers)
        self.model.train()
        train = case["train"]
        if train["optimizer"] == "adam":
            self.optimizer = torch.optim.Adam(self.model.parameters(), lr=train["learningRate"])
        else:
            self.optimizer = torch.optim.SGD(self.model.parameters(), lr=train["learningRate"], momentum=train["momentum"])
        self.rows = self.batch * max(1, -(-4096 // self.batch))
        self.x = torch.rand(self.rows, features)
        labels = torch.randint(0, case["classes"], (self.rows,))
        self.targets = F.one_hot(labels, case["classes"]).float()

    def run(self, steps):
        per_epoch = self.rows // self.batch
        started = time.perf_counter()
        done = 0
        while done < steps:
            order = torch.randperm(self.rows)
            for b in range(per_epoch):
                if done == steps:
                    break
                rows = order[b * self.batch:(b + 1) * self.batch]
                inputs = self.x.index_select(0, rows)
                if self.image_shape:
                    inputs = inputs.view(-1, self.image_shape[1], self.image_shape[2], self.image_shape[0]).permute(0, 3, 1, 2)
                targets = self.targets.index_select(0, rows)
                logits = self.model(inputs)
                loss = -(targets * F.log_softmax(logits, dim=1)).sum(dim=1).mean()
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                self.optimizer.step()
                done += 1
        return (time.perf_counter() - started) * 1000 / steps


_built = {}


def measure(case, steps, threads):
    torch.set_num_threads(threads)
    if SET_BLAS_THREADS is not None:
        SET_BLAS_THREADS(threads)
    step = _built.get(case["key"])
    if step is None:
        step = _built[case["key"]] = Step(case)
    return step.run(steps)


def serve():
    print("@@bench " + json.dumps({"ready": True, "torch": torch.__version__, "defaultThreads": DEFAULT_THREADS, "cpus": os.cpu_count(), "blas": BLAS}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            ms = measure(request["case"], request["steps"], request["threads"])
            print("@@bench " + json.dumps({"ms": ms, "steps": request["steps"]}), flush=True)
        except Exception as error:  # report, keep serving
            print("@@bench " + json.dumps({"error": str(error)}), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--cases")
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--threads", default=f"1,{DEFAULT_THREADS},{os.cpu_count()}")
    args = parser.parse_args()
    if args.serve:
        serve()
        return
    if not args.cases:
        parser.error("give --cases FILE or --serve")
    with open(args.cases) as f:
        cases = json.load(f)
    threads = sorted({int(t) for t in args.threads.split(",") if t})
    print(f"PyTorch {torch.__version__} on {platform.processor() or platform.machine()} x{os.cpu_count()}, default threads {DEFAULT_THREADS}, {BLAS}, {args.steps} steps after 20 warm-up steps\n")
    print("| model | " + " | ".join(f"{t} thread{'s' if t > 1 else ''} (ms/step)" for t in threads) + " |")
    print("|---|" + "---|" * len(threads))
    for case in cases:
        row = []
        for t in threads:
            measure(case, 20, t)
            row.append(f"{measure(case, args.steps, t):.3f}")
        print(f"| {case['name']} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
