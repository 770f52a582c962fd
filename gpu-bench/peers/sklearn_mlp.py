#!/usr/bin/env python3
"""scikit-learn peer: MLPClassifier with the same hidden sizes (W, ..., W), ReLU, solver adam
(learning_rate_init 1e-3), alpha 1e-4, float32 input, at the same thread count (threadpoolctl
limits BLAS threads to --threads; the runner also sets OMP/OPENBLAS/MKL_NUM_THREADS).

--mode train: one iteration = partial_fit on one batch of exactly batch_size rows (one Adam step);
              samples_us is microseconds per iteration.
--mode infer: predict_proba latency for WIDTHxROWS points (e.g. 1 row, 1024 rows) on a model
              partial_fit on a few batches; samples_us is microseconds per call.

Differences from the DL4J/PyTorch model that sklearn cannot express: no dropout; its L2 term is
alpha/(2 n) * ||W||^2 per batch of n rows (scaled by the batch size); partial_fit validates its
input on every call (part of the cost a user pays).
"""
import benchutil as bu


def main():
    p = bu.parser(__doc__)
    p.add_argument("--mode", choices=["train", "infer"], default="train")
    p.add_argument("--l2", type=float, default=1e-4)
    p.add_argument("--lr", type=float, default=1e-3)
    args = p.parse_args()
    sklearn = bu.require("sklearn")
    np = bu.require("numpy")
    import warnings
    from sklearn.neural_network import MLPClassifier
    warnings.filterwarnings("ignore")

    limiter = None
    try:
        from threadpoolctl import threadpool_limits
        limiter = threadpool_limits(limits=args.threads)
    except ImportError:
        pass
    meta = bu.python_meta()
    meta.update({"sklearn": sklearn.__version__, "numpy": np.__version__, "threads": args.threads,
                 "threadpoolctl": limiter is not None})
    bu.emit({"meta": meta})
    classes = np.array([0, 1])

    for width, batch in bu.parse_grid(args.grid):
        data = bu.batches(batch, bu.BATCHES, args.seed + 1000 * width + batch)
        clf = MLPClassifier(hidden_layer_sizes=(width,) * args.depth, activation="relu", solver="adam",
                            alpha=args.l2, batch_size=batch, learning_rate_init=args.lr,
                            random_state=args.seed, shuffle=False)
        clf.partial_fit(data[0][0], data[0][1], classes=classes)
        dtype = str(clf.coefs_[0].dtype)
        note = "no dropout; params " + dtype
        if args.mode == "train":
            i = [0]

            def step():
                x, y = data[i[0] % bu.BATCHES]
                i[0] += 1
                clf.partial_fit(x, y)

            samples = bu.measure(step, args)
            med = bu.median(samples)
            bu.emit({"impl": "sklearn", "variant": "sklearn " + sklearn.__version__, "width": width,
                     "batch": batch, "threads": args.threads, "samples_us": samples, "median_us": med,
                     "samples_per_s": batch * 1e6 / med, "note": note})
        else:
            for x, y in data[1:4]:
                clf.partial_fit(x, y)
            x = data[4][0]

            def call():
                clf.predict_proba(x)

            samples = bu.measure(call, args)
            med = bu.median(samples)
            bu.emit({"impl": "sklearn", "variant": "predict_proba", "width": width, "batch": batch,
                     "threads": args.threads, "samples_us": samples, "median_us": med,
                     "rows_per_s": batch * 1e6 / med, "note": note})


if __name__ == "__main__":
    main()
