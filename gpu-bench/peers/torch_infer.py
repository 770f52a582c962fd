#!/usr/bin/env python3
"""PyTorch inference peer: latency of the 10-W-...-W-2 MLP (eval mode, softmax output, float32)
for WIDTHxROWS points, e.g. a single row (x1) and a batch of 1024 rows (x1024), under both
torch.no_grad() and torch.inference_mode(), with torch.set_num_threads(--threads).

Prints one JSON line per point and mode: microseconds per call (samples_us) and rows/s.
"""
import benchutil as bu


def main():
    p = bu.parser(__doc__)
    p.set_defaults(grid="32x1,32x1024")
    p.add_argument("--modes", default="no_grad,inference_mode")
    args = p.parse_args()
    torch = bu.require("torch")
    bu.require("numpy")
    from torch import nn

    torch.set_num_threads(args.threads)
    meta = bu.python_meta()
    meta.update({"torch": torch.__version__, "threads": torch.get_num_threads(), "dtype": "float32"})
    bu.emit({"meta": meta})

    for width, rows in bu.parse_grid(args.grid):
        torch.manual_seed(args.seed)
        layers, fan_in = [], bu.FEATURES
        for _ in range(args.depth):
            layers += [nn.Linear(fan_in, width), nn.ReLU(), nn.Dropout(0.1)]
            fan_in = width
        layers += [nn.Linear(fan_in, 2), nn.Softmax(dim=1)]
        model = nn.Sequential(*layers).float().eval()
        x = torch.from_numpy(bu.batches(rows, 1, args.seed + width + rows)[0][0])
        for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
            ctx = {"no_grad": torch.no_grad, "inference_mode": torch.inference_mode}[mode]

            def call():
                with ctx():
                    model(x)

            samples = bu.measure(call, args)
            med = bu.median(samples)
            bu.emit({"impl": "pytorch", "variant": mode, "width": width, "batch": rows,
                     "threads": torch.get_num_threads(), "samples_us": samples, "median_us": med,
                     "rows_per_s": rows * 1e6 / med})


if __name__ == "__main__":
    main()
