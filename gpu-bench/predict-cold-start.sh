#!/usr/bin/env bash
# Cold-start wall time of `micromodels predict` (frozen form, no ND4J) on german_credit.csv (1,000 rows), measured
# from process start to exit, five runs; prints each and the median. The model is trained once first (2 epochs).
#   gpu-bench/predict-cold-start.sh                      # through ./micromodels (builds on first use)
#   MICROMODELS_CP=<class path> gpu-bench/predict-cold-start.sh   # java -cp <class path> io.micromodels.cli.Main
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -n "${MICROMODELS_CP:-}" ]; then
  mm() { OMP_NUM_THREADS=1 java -Djava.awt.headless=true -cp "$MICROMODELS_CP" io.micromodels.cli.Main "$@"; }
else
  mm() { "$root/micromodels" "$@"; }
fi
mm train --data "$root/datasets/german_credit.csv" --target class --out "$work/run" --quiet >/dev/null
data="$root/datasets/german_credit.csv"
echo "rows: $(($(wc -l < "$data") - 1))  model: $work/run/model.zip"
times=()
for i in 1 2 3 4 5; do
  rm -f "$work/preds.csv"
  t0=$(date +%s%N)
  mm predict --model "$work/run/model.zip" --data "$data" --out "$work/preds.csv" >"$work/out.txt"
  t1=$(date +%s%N)
  ms=$(( (t1 - t0) / 1000000 ))
  times+=("$ms")
  echo "run $i: ${ms} ms wall (process start to exit)"
done
head -n 2 "$work/out.txt"
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
echo "median: ${median} ms; load: $(uptime | sed 's/.*load average: //')"
