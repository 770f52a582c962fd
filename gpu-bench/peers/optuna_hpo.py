#!/usr/bin/python3
"""Optuna TPE peer for io.micromodels.bench.hpo.HpoBenchmark.

Runs Optuna's TPESampler with its default settings (seeded with 0 .. S-1) on the same test
functions and budgets as the Java benchmark, searching the same unit cube, and prints one JSON
object on stdout:

  {"sampler": "TPESampler", "optuna_version": "...", "function": "...", "trials": N,
   "seeds": [0, ...], "best_so_far": [[...N values...], ...one row per seed...],
   "overhead_ms": {"50": ..., "100": ..., "200": ...},
   "overhead_cpu_ms": {"50": ..., "100": ..., "200": ...}}

best_so_far[s][t] is the lowest value after t + 1 evaluations. overhead_* are medians of the
wall-clock and process-CPU milliseconds of one suggestion (ask + suggest six floats) for a study
that already holds 50, 100 or 200 Hartmann6 trials at uniformly random points.

Usage: optuna_hpo.py --function branin|hartmann6 --trials N --seeds S [--overhead-repeats R]
"""
import argparse
import json
import math
import random
import statistics
import sys
import time

import optuna


def branin(u):
    """Branin on [-5, 10] x [0, 15], reached from the unit square; minimum 0.397887."""
    x1 = -5.0 + 15.0 * u[0]
    x2 = 15.0 * u[1]
    b = 5.1 / (4.0 * math.pi ** 2)
    c = 5.0 / math.pi
    t = 1.0 / (8.0 * math.pi)
    a = x2 - b * x1 * x1 + c * x1 - 6.0
    return a * a + 10.0 * (1.0 - t) * math.cos(x1) + 10.0


H_ALPHA = [1.0, 1.2, 3.0, 3.2]
H_A = [[10, 3, 17, 3.5, 1.7, 8],
       [0.05, 10, 17, 0.1, 8, 14],
       [3, 3.5, 1.7, 10, 17, 8],
       [17, 8, 0.05, 10, 0.1, 14]]
H_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
       [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
       [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
       [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    """Hartmann6 on [0, 1]^6; minimum -3.32237."""
    total = 0.0
    for i in range(4):
        inner = sum(H_A[i][j] * (x[j] - H_P[i][j]) ** 2 for j in range(6))
        total += H_ALPHA[i] * math.exp(-inner)
    return -total


FUNCTIONS = {"branin": (branin, 2), "hartmann6": (hartmann6, 6)}


def run_seed(function, trials, seed):
    f, d = FUNCTIONS[function]
    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed))

    def objective(trial):
        return f([trial.suggest_float("x%d" % j, 0.0, 1.0) for j in range(d)])

    study.optimize(objective, n_trials=trials)
    best, out = math.inf, []
    for t in study.trials:
        best = min(best, t.value)
        out.append(best)
    return out


def overhead(observations, repeats):
    wall, cpu = [], []
    dists = {"x%d" % j: optuna.distributions.FloatDistribution(0.0, 1.0) for j in range(6)}
    for r in range(repeats):
        rng = random.Random(2000 + r)
        study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=r))
        for _ in range(observations):
            x = [rng.random() for _ in range(6)]
            study.add_trial(optuna.trial.create_trial(
                params={"x%d" % j: x[j] for j in range(6)}, distributions=dists, value=hartmann6(x)))
        t0, c0 = time.perf_counter(), time.process_time()
        trial = study.ask()
        for j in range(6):
            trial.suggest_float("x%d" % j, 0.0, 1.0)
        wall.append((time.perf_counter() - t0) * 1e3)
        cpu.append((time.process_time() - c0) * 1e3)
    return statistics.median(wall), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--function", choices=sorted(FUNCTIONS), required=True)
    parser.add_argument("--trials", type=int, required=True)
    parser.add_argument("--seeds", type=int, required=True)
    parser.add_argument("--overhead-repeats", type=int, default=7)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    result = {
        "sampler": "TPESampler",
        "optuna_version": optuna.__version__,
        "function": args.function,
        "trials": args.trials,
        "seeds": list(range(args.seeds)),
        "best_so_far": [run_seed(args.function, args.trials, s) for s in range(args.seeds)],
        "overhead_ms": {},
        "overhead_cpu_ms": {},
    }
    if args.overhead_repeats > 0:
        overhead(50, 2)  # warm-up (imports, caches)
        for n in (50, 100, 200):
            w, c = overhead(n, args.overhead_repeats)
            result["overhead_ms"][str(n)] = w
            result["overhead_cpu_ms"][str(n)] = c
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
