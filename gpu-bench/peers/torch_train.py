#!/usr/bin/env python3
"""PyTorch peer of io.micromodels.bench.train.TrainThroughput.

The same 10-W-...-W-2 MLP: Linear + ReLU + Dropout(0.1) per hidden layer, softmax cross-entropy,
Adam(lr 1e-3, weight_decay 1e-4 = L2 added to the gradient, like DL4J's l2), float32, given batch
size, synthetic data of the same distribution, torch.set_num_threads(--threads). One iteration =
zero_grad, forward, loss, backward, optimizer step on one of 8 pre-built batches.

Prints one JSON line per WIDTHxBATCH point: microseconds per iteration (samples_us) and samples/s.
"""
import benchutil as bu


def main():
    p = bu.parser(__doc__)
    p.add_argument("--dropout", type=float, default=0.1)
    p.add_argument("--l2", type=float, default=1e-4)
    p.add_argument("--lr", type=float, default=1e-3)
    args = p.parse_args()
    torch = bu.require("torch")
    bu.require("numpy")
    from torch import nn

    torch.set_num_threads(args.threads)
    meta = bu.python_meta()
    meta.update({"torch": torch.__version__, "threads": torch.get_num_threads(),
                 "interop_threads": torch.get_num_interop_threads(), "dtype": "float32"})
    bu.emit({"meta": meta})

    for width, batch in bu.parse_grid(args.grid):
        torch.manual_seed(args.seed)
        layers, fan_in = [], bu.FEATURES
        for _ in range(args.depth):
            layers += [nn.Linear(fan_in, width), nn.ReLU(), nn.Dropout(args.dropout)]
            fan_in = width
        layers.append(nn.Linear(fan_in, 2))
        model = nn.Sequential(*layers).float().train()
        opt = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.l2)
        loss_fn = nn.CrossEntropyLoss()
        data = [(torch.from_numpy(x), torch.from_numpy(y))
                for x, y in bu.batches(batch, bu.BATCHES, args.seed + 1000 * width + batch)]
        i = [0]

        def step():
            x, y = data[i[0] % bu.BATCHES]
            i[0] += 1
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()

        samples = bu.measure(step, args)
        med = bu.median(samples)
        bu.emit({"impl": "pytorch", "variant": "torch " + torch.__version__, "width": width, "batch": batch,
                 "threads": torch.get_num_threads(), "samples_us": samples, "median_us": med,
                 "samples_per_s": batch * 1e6 / med})


if __name__ == "__main__":
    main()
