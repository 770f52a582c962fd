#!/usr/bin/python3
"""Optuna multi-objective peer for io.micromodels.bench.hpo.MultiObjectiveBenchmark.

Runs Optuna's NSGAIISampler or its multi-objective TPESampler (default settings, seeded with
0 .. S-1) on the same two-objective test problems and budget as the Java benchmark, searching the
same unit cube, both objectives minimised, and prints one JSON object on stdout:

  {"sampler": "NSGAIISampler", "optuna_version": "...", "problem": "...", "trials": N,
   "seeds": [0, ...], "values": [[[f1, f2], ...N rows...], ...one per seed...],
   "seconds": [...one per seed...]}

values[s][t] are the objectives of evaluation t + 1 of seed s, in the order evaluated; the Java side
computes the hypervolumes, so the reference point is the same for every method. seconds[s] is the
wall-clock time of seed s (sampler and evaluations).

Usage: optuna_mo.py --problem zdt1|zdt2|dtlz2|branincurrin --sampler nsga2|tpe --trials N --seeds S
"""
import argparse
import json
import math
import sys
import time

import optuna


def zdt_g(x):
    return 1.0 + 9.0 * sum(x[1:]) / (len(x) - 1)


def zdt1(x):
    """ZDT1 on [0,1]^d: front f2 = 1 - sqrt(f1) at x[1:] = 0."""
    g = zdt_g(x)
    return [x[0], g * (1.0 - math.sqrt(x[0] / g))]


def zdt2(x):
    """ZDT2 on [0,1]^d: non-convex front f2 = 1 - f1^2 at x[1:] = 0."""
    g = zdt_g(x)
    return [x[0], g * (1.0 - (x[0] / g) ** 2)]


def dtlz2(x):
    """DTLZ2 with 2 objectives on [0,1]^d: front the quarter circle f1^2 + f2^2 = 1 at x[1:] = 0.5."""
    g = sum((v - 0.5) ** 2 for v in x[1:])
    return [(1.0 + g) * math.cos(x[0] * math.pi / 2.0), (1.0 + g) * math.sin(x[0] * math.pi / 2.0)]


def branincurrin(x):
    """Branin and Currin on [0,1]^2 (the BoTorch BraninCurrin problem)."""
    u = 15.0 * x[0] - 5.0
    v = 15.0 * x[1]
    b = 5.1 / (4.0 * math.pi ** 2)
    c = 5.0 / math.pi
    t = 1.0 / (8.0 * math.pi)
    branin = (v - b * u * u + c * u - 6.0) ** 2 + 10.0 * (1.0 - t) * math.cos(u) + 10.0
    factor = 1.0 if x[1] == 0.0 else 1.0 - math.exp(-1.0 / (2.0 * x[1]))
    x0 = x[0]
    currin = factor * (2300.0 * x0 ** 3 + 1900.0 * x0 ** 2 + 2092.0 * x0 + 60.0) / (
        100.0 * x0 ** 3 + 500.0 * x0 ** 2 + 4.0 * x0 + 20.0)
    return [branin, currin]


PROBLEMS = {"zdt1": (zdt1, 6), "zdt2": (zdt2, 6), "dtlz2": (dtlz2, 6), "branincurrin": (branincurrin, 2)}


def run_seed(problem, sampler_name, trials, seed):
    f, d = PROBLEMS[problem]
    sampler = (optuna.samplers.NSGAIISampler(seed=seed) if sampler_name == "nsga2"
               else optuna.samplers.TPESampler(seed=seed))
    study = optuna.create_study(directions=["minimize", "minimize"], sampler=sampler)

    def objective(trial):
        return f([trial.suggest_float("x%d" % j, 0.0, 1.0) for j in range(d)])

    t0 = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    seconds = time.perf_counter() - t0
    return [list(t.values) for t in study.trials], seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problem", choices=sorted(PROBLEMS), required=True)
    parser.add_argument("--sampler", choices=["nsga2", "tpe"], required=True)
    parser.add_argument("--trials", type=int, required=True)
    parser.add_argument("--seeds", type=int, required=True)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    import warnings
    warnings.simplefilter("ignore")  # ExperimentalWarning of the multi-objective TPE
    values, seconds = [], []
    for s in range(args.seeds):
        v, t = run_seed(args.problem, args.sampler, args.trials, s)
        values.append(v)
        seconds.append(t)
    json.dump({"sampler": "NSGAIISampler" if args.sampler == "nsga2" else "TPESampler",
               "optuna_version": optuna.__version__, "problem": args.problem, "trials": args.trials,
               "seeds": list(range(args.seeds)), "values": values, "seconds": seconds}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
