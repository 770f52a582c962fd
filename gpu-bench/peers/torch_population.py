#!/usr/bin/env python3
"""PyTorch peer of PopulationBenchmark: the same candidates trained one after another.

Reference candidate: 10-32-32-2, ReLU, dropout 0.1 after each hidden layer, L2 1e-4 on weights only (Adam's
weight_decay adds l2*w to the gradient before the update, as DL4J's L2 does), Adam, float32, batch 64; candidate i
has seed 1000+i and learning rate 1e-3 * 2**((i % 6) / 2), as in the Java benchmark. Each candidate runs --steps
minibatch steps as epochs of --steps-per-epoch batches with a validation loss after each epoch. As on the Java
side, the timed window is epochs 2..E of each candidate (the first epoch is warm-up), measured as wall-clock time
and as this thread's CPU time.

Prints one JSON line: {"candidates_samples_per_second": ..., "window_seconds": ..., ...}.
"""
import argparse
import json
import time

import torch


def data(n, generator):
    x = torch.rand(n, 10, generator=generator) * 2 - 1
    s = x[:, 0] * x[:, 1] + 0.5 * x[:, 2] - 0.3 * x[:, 3] + 0.2 * (torch.rand(n, generator=generator) - 0.5)
    return x, (s > 0).long()


def candidate(i):
    # nn.Linear initialises from torch's default generator; seeding it per candidate is how PyTorch code does it
    torch.manual_seed(1000 + i)
    model = torch.nn.Sequential(
        torch.nn.Linear(10, 32), torch.nn.ReLU(), torch.nn.Dropout(0.1),
        torch.nn.Linear(32, 32), torch.nn.ReLU(), torch.nn.Dropout(0.1),
        torch.nn.Linear(32, 2))
    weights = [p for name, p in model.named_parameters() if name.endswith("weight")]
    biases = [p for name, p in model.named_parameters() if name.endswith("bias")]
    lr = 1e-3 * 2 ** ((i % 6) / 2)
    opt = torch.optim.Adam([{"params": weights, "weight_decay": 1e-4}, {"params": biases, "weight_decay": 0.0}], lr=lr)
    return model, opt


def train(model, opt, x, y, xv, yv, batch, epochs, generator):
    """Returns (wall seconds, thread CPU seconds) of epochs 2..epochs."""
    loss_fn = torch.nn.CrossEntropyLoss()
    n = x.shape[0]
    wall0 = cpu0 = None
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(n, generator=generator)
        xs, ys = x[order], y[order]
        for start in range(0, n, batch):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[start:start + batch]), ys[start:start + batch])
            loss.backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            float(loss_fn(model(xv), yv))
        if epoch == 0:
            wall0, cpu0 = time.perf_counter(), time.thread_time()
    return time.perf_counter() - wall0, time.thread_time() - cpu0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--k", type=int, default=64, help="number of candidates")
    p.add_argument("--offset", type=int, default=0, help="index of the first candidate")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--steps", type=int, default=100)
    p.add_argument("--steps-per-epoch", type=int, default=10)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    g = torch.Generator().manual_seed(1)
    x, y = data(a.batch * a.steps_per_epoch, g)
    xv, yv = data(256, g)
    epochs = a.steps // a.steps_per_epoch

    model, opt = candidate(0)
    train(model, opt, x, y, xv, yv, a.batch, 2, g)  # warm-up

    wall = cpu = 0.0
    for i in range(a.offset, a.offset + a.k):
        model, opt = candidate(i)
        w, c = train(model, opt, x, y, xv, yv, a.batch, epochs, g)
        wall += w
        cpu += c
    samples = a.k * (epochs - 1) * a.steps_per_epoch * a.batch
    print(json.dumps({"candidates_samples_per_second": samples / wall, "cpu_candidates_samples_per_second": samples / cpu,
                      "window_seconds": wall, "window_cpu_seconds": cpu, "window_samples": samples,
                      "candidates": a.k, "offset": a.offset, "steps": epochs * a.steps_per_epoch, "batch": a.batch,
                      "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
