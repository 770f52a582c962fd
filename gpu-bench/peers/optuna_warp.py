#!/usr/bin/python3
"""Optuna single-objective peers for the output-warping and noise problems of HpoBenchmark.

Runs one of Optuna's samplers with default settings (seeded with 0 .. S-1) on rosenbrock4
(Rosenbrock on [-2, 2]^4, values 0 to ~1e4) or noisy-hartmann6 (Hartmann6 plus N(0, 0.1^2)),
searching the unit cube like the Java benchmark, and prints one JSON object on stdout:

  {"sampler": "tpe", "optuna_version": "...", "function": "...", "trials": N,
   "seeds": [0, ...], "points": [[[x...], ...N rows...], ...one per seed...],
   "observed": [[...N values...], ...one per seed...], "seconds": [...one per seed...]}

points[s][t] is evaluation t + 1 of seed s and observed[s][t] the value the sampler was told
(noise included). The Java side recomputes the noise-free values from the points and scores the
trial with the lowest observed value, as Optuna's study.best_trial would be chosen.

The noise of seed s is the Java benchmark's: java.util.SplittableRandom(1000003 * s + 17), two
nextDouble() per evaluation, Box-Muller u = 1 - d1, sqrt(-2 ln u) cos(2 pi d2), times 0.1.

Usage: optuna_warp.py --function rosenbrock4|noisy-hartmann6 --sampler tpe|mtpe|cmaes|random
       --trials N --seeds S
"""
import argparse
import json
import math
import sys
import time
import warnings

import optuna

from optuna_hpo import hartmann6

MASK = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplittableRandom:
    """java.util.SplittableRandom(seed): nextLong and nextDouble only."""

    def __init__(self, seed):
        self.seed = seed & MASK

    def next_long(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & MASK
        z = self.seed
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def next_double(self):
        return (self.next_long() >> 11) * 2.0 ** -53


def gaussian(rng):
    u = 1.0 - rng.next_double()
    return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * rng.next_double())


def rosenbrock(u):
    """Rosenbrock on [-2, 2]^d reached from the unit cube; minimum 0 at all ones."""
    s = 0.0
    for i in range(len(u) - 1):
        a = -2.0 + 4.0 * u[i]
        b = -2.0 + 4.0 * u[i + 1]
        s += 100.0 * (b - a * a) ** 2 + (1.0 - a) ** 2
    return s


FUNCTIONS = {"rosenbrock4": (rosenbrock, 4, False), "noisy-hartmann6": (hartmann6, 6, True)}


def make_sampler(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "mtpe":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if name == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed)
    return optuna.samplers.RandomSampler(seed=seed)


def run_seed(function, sampler, trials, seed):
    f, d, noisy = FUNCTIONS[function]
    noise = SplittableRandom(1000003 * seed + 17)
    study = optuna.create_study(direction="minimize", sampler=make_sampler(sampler, seed))
    points, observed = [], []

    def objective(trial):
        x = [trial.suggest_float("x%d" % j, 0.0, 1.0) for j in range(d)]
        y = f(x) + (0.1 * gaussian(noise) if noisy else 0.0)
        points.append(x)
        observed.append(y)
        return y

    t0 = time.perf_counter()
    study.optimize(objective, n_trials=trials)
    return points, observed, time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--function", choices=sorted(FUNCTIONS), required=True)
    parser.add_argument("--sampler", choices=["tpe", "mtpe", "cmaes", "random"], required=True)
    parser.add_argument("--trials", type=int, required=True)
    parser.add_argument("--seeds", type=int, required=True)
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore")  # ExperimentalWarning of the multivariate TPE
    points, observed, seconds = [], [], []
    for s in range(args.seeds):
        p, o, t = run_seed(args.function, args.sampler, args.trials, s)
        points.append(p)
        observed.append(o)
        seconds.append(t)
    json.dump({"sampler": args.sampler, "optuna_version": optuna.__version__, "function": args.function,
               "trials": args.trials, "seeds": list(range(args.seeds)), "points": points,
               "observed": observed, "seconds": seconds}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
