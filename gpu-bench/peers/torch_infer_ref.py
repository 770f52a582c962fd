#!/usr/bin/python3
"""PyTorch peer of io.micromodels.bench.inference.InferenceBenchmark.

The reference micromodel 10-32-32-2 (ReLU hidden layers, softmax output), float32, eval(), one thread
(torch.set_num_threads(1)), scored under torch.inference_mode(): one row per call, cycling through
--distinct pre-built [1, 10] tensors, and one [--batch, 10] tensor per call. Timing mirrors the Java
side: a warm-up, then --rounds interleaved rounds of about --round-ms per method; per method the median
over rounds of wall-clock ns per row, the fastest and slowest round, and the median thread-CPU ns per row.

Prints JSON lines on stdout:
  {"meta": {...versions...}}
  {"mode": "inference_mode", "rows": 1, "median_ns": ..., "min_ns": ..., "max_ns": ..., "cpu_ns": ..., "calls": ...}
  {"mode": "inference_mode", "rows": 1024, ...}
or, when torch cannot be imported, the single line {"skip": "reason"} (exit 0): never a made-up figure.

Usage: torch_infer_ref.py [--rounds 9] [--round-ms 400] [--warmup-ms 2000] [--batch 1024] [--distinct 1024] [--seed 1]
"""
import argparse
import json
import platform
import statistics
import sys
import time


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=9)
    p.add_argument("--round-ms", type=float, default=400)
    p.add_argument("--warmup-ms", type=float, default=2000)
    p.add_argument("--batch", type=int, default=1024)
    p.add_argument("--distinct", type=int, default=1024)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()
    try:
        import torch
        from torch import nn
    except Exception as e:  # ImportError, or a broken install
        print(json.dumps({"skip": "torch not importable under %s: %s" % (sys.executable, e)}), flush=True)
        return 0

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    widths = [10, 32, 32, 2]
    layers = []
    for k in range(len(widths) - 2):
        layers += [nn.Linear(widths[k], widths[k + 1]), nn.ReLU()]
    layers += [nn.Linear(widths[-2], widths[-1]), nn.Softmax(dim=1)]
    model = nn.Sequential(*layers).float().eval()

    gen = torch.Generator().manual_seed(42)
    rows = [torch.randn(1, widths[0], generator=gen) for _ in range(args.distinct)]
    batch = torch.randn(args.batch, widths[0], generator=gen)

    def single(i):
        with torch.inference_mode():
            return model(rows[i % args.distinct])

    def batched(i):
        with torch.inference_mode():
            return model(batch)

    methods = [("inference_mode", 1, single, 32), ("inference_mode", args.batch, batched, 1)]

    def run_for(call, inner, seconds):
        n, i = 0, 0
        c0 = time.thread_time_ns()
        t0 = time.perf_counter_ns()
        end = t0 + int(seconds * 1e9)
        while True:
            for _ in range(inner):
                call(i)
                i += 1
            n += inner
            t = time.perf_counter_ns()
            if t >= end:
                break
        return n, t - t0, time.thread_time_ns() - c0

    for _, _, call, inner in methods:
        run_for(call, inner, args.warmup_ms / 1000)
    wall = [[] for _ in methods]
    cpu = [[] for _ in methods]
    calls = [0 for _ in methods]
    for _ in range(args.rounds):
        for j, (_, rows_per_call, call, inner) in enumerate(methods):
            n, w, c = run_for(call, inner, args.round_ms / 1000)
            wall[j].append(w / (n * rows_per_call))
            cpu[j].append(c / (n * rows_per_call))
            calls[j] += n

    print(json.dumps({"meta": {"python": platform.python_version(), "torch": torch.__version__,
                               "threads": torch.get_num_threads(), "dtype": "float32"}}), flush=True)
    for j, (mode, rows_per_call, _, _) in enumerate(methods):
        print(json.dumps({"mode": mode, "rows": rows_per_call, "median_ns": statistics.median(wall[j]),
                          "min_ns": min(wall[j]), "max_ns": max(wall[j]), "cpu_ns": statistics.median(cpu[j]),
                          "calls": calls[j]}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
