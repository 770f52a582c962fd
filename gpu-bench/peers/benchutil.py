"""Shared helpers of the Micromodels peer benchmarks.

Measurement protocol (the same as io.micromodels.bench.Measurer on the Java side):
warm up until both --min-warmup operations and --warmup-ms have passed, size a repeat so it
lasts about --repeat-ms, then time --repeats repeats; each sample is microseconds per iteration.

Output protocol (read by io.micromodels.bench.PeerRunner): one JSON object per stdout line;
{"meta": {...}} describes the run, {"skipped": "reason"} means the peer cannot run,
every other object is a result with "samples_us".

Synthetic data (the same distribution as io.micromodels.bench.train.SyntheticData):
10 standard-normal features, label 1[sum_j a_j x_j > 0] with a_j = (-1)^j / (1 + j).
"""
import argparse
import json
import math
import platform
import sys
import time

FEATURES = 10
BATCHES = 8


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--threads", type=int, required=True, help="compute threads (intra-op)")
    p.add_argument("--grid", default="32x64,32x1024", help="comma-separated WIDTHxBATCH points")
    p.add_argument("--depth", type=int, default=2, help="hidden layers of width W")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--warmup-ms", type=float, default=300)
    p.add_argument("--min-warmup", type=int, default=10)
    p.add_argument("--repeat-ms", type=float, default=60)
    p.add_argument("--repeats", type=int, default=5)
    return p


def parse_grid(text):
    points = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        w, b = part.lower().split("x")
        points.append((int(w), int(b)))
    return points


def emit(obj):
    print(json.dumps(obj), flush=True)


def skip(reason):
    emit({"skipped": reason})
    sys.exit(0)


def require(module_name):
    """Imports a module or reports the peer as skipped (never fakes a result)."""
    try:
        return __import__(module_name)
    except ImportError as e:  # ModuleNotFoundError included
        skip("Python module '%s' not available: %s" % (module_name, e))


def weight(j):
    return (1.0 if j % 2 == 0 else -1.0) / (1.0 + j)


def batches(batch, count, seed):
    """count distinct (X float32 [batch, 10], y int64 [batch]) batches."""
    import numpy as np
    rng = np.random.default_rng(seed)
    a = np.array([weight(j) for j in range(FEATURES)])
    out = []
    for _ in range(count):
        x = rng.standard_normal((batch, FEATURES))
        y = (x @ a > 0).astype(np.int64)
        out.append((x.astype(np.float32), y))
    return out


def measure(op, args, iters_per_op=1):
    """Warm-up and repeats as in Measurer; returns microseconds per iteration, one per repeat."""
    warmup_end = time.perf_counter_ns() + int(args.warmup_ms * 1e6)
    done = 0
    last = 1
    while done < args.min_warmup or time.perf_counter_ns() < warmup_end:
        t0 = time.perf_counter_ns()
        op()
        last = max(1, time.perf_counter_ns() - t0)
        done += 1
    probe = int(max(1, min(1000, (args.repeat_ms * 1e6 / 4) // last)))
    t0 = time.perf_counter_ns()
    for _ in range(probe):
        op()
    per_op = (time.perf_counter_ns() - t0) / probe
    ops = max(1, round(args.repeat_ms * 1e6 / max(1.0, per_op)))
    samples = []
    for _ in range(args.repeats):
        s = time.perf_counter_ns()
        for _ in range(ops):
            op()
        samples.append((time.perf_counter_ns() - s) / 1e3 / (ops * iters_per_op))
    return samples


def median(xs):
    s = sorted(xs)
    h = (len(s) - 1) * 0.5
    lo = math.floor(h)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (h - lo) * (s[hi] - s[lo])


def python_meta():
    return {"python": platform.python_version()}
