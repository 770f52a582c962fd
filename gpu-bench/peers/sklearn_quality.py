#!/usr/bin/env python3
"""scikit-learn quality peers for 'bench quality': HistGradientBoosting and MLP on the exact feature matrices the
micromodel sees (the fitted pipeline's train / validation / test splits, written by the benchmark as CSV: features,
then the label as a class index or the standardised regression target).

Both fit on the training split only (as the micromodel and XGBoost, which use validation for early stopping:
HistGradientBoosting's early stopping uses its own 10% hold-out only above 10,000 rows, MLP's early_stopping=True
holds out 10% of the training split). Prints one JSON line per method with the test predictions (class
probabilities, or standardised regression outputs) and the fit seconds; the benchmark computes the metric.
"""
import time

import benchutil as bu


def main():
    p = bu.parser(__doc__)
    p.add_argument("--dir", required=True, help="folder with train.csv, validation.csv, test.csv")
    p.add_argument("--task", choices=["binary", "multiclass", "regression"], required=True)
    p.add_argument("--methods", default="hgb,mlp")
    p.add_argument("--classes", type=int, default=1, help="number of classes (classification)")
    args = p.parse_args()
    sklearn = bu.require("sklearn")
    np = bu.require("numpy")
    import warnings
    warnings.filterwarnings("ignore")
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    from sklearn.neural_network import MLPClassifier, MLPRegressor
    try:
        from threadpoolctl import threadpool_limits
        threadpool_limits(limits=args.threads)
    except ImportError:
        pass
    meta = bu.python_meta()
    meta.update({"sklearn": sklearn.__version__, "numpy": np.__version__, "threads": args.threads})
    bu.emit({"meta": meta})

    def load(name):
        a = np.loadtxt(args.dir + "/" + name + ".csv", delimiter=",", ndmin=2)
        return a[:, :-1], a[:, -1]

    xtr, ytr = load("train")
    xte, _ = load("test")
    regression = args.task == "regression"
    if not regression:
        ytr = ytr.astype(int)
    for method in args.methods.split(","):
        if method == "hgb":
            model = (HistGradientBoostingRegressor if regression else HistGradientBoostingClassifier)(random_state=args.seed)
        elif method == "mlp":
            cls = MLPRegressor if regression else MLPClassifier
            model = cls(hidden_layer_sizes=(32, 16), alpha=1e-4, learning_rate_init=3e-3, early_stopping=True,
                        max_iter=500, random_state=args.seed)
        else:
            raise SystemExit("unknown method " + method)
        t0 = time.perf_counter()
        model.fit(xtr, ytr)
        seconds = time.perf_counter() - t0
        if regression:
            pred = model.predict(xte).reshape(-1, 1)
        else:
            proba = model.predict_proba(xte)
            # columns are model.classes_; the benchmark wants every class index of the task
            k = int(args.classes)
            pred = np.zeros((xte.shape[0], k))
            for j, c in enumerate(model.classes_):
                pred[:, int(c)] = proba[:, j]
        bu.emit({"method": method, "seconds": seconds, "pred": pred.tolist()})


if __name__ == "__main__":
    main()
