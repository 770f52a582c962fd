#!/usr/bin/env bash
# Issue 18: trials per minute of 1, 2 and 4 `tune` worker processes sharing one SQLite study.
# usage: gpu-bench/db-workers.sh CLASSPATH [TRIALS] [EPOCHS] [DATASET]
# CLASSPATH: the app module's run-time class path (see the RESULTS.md entry for how it was built).
# Prints, per worker count: wall seconds from the first start to the last exit (JVM start included), the seconds
# between the first claim and the last outcome in the database (JVM start excluded), and trials per minute of each.
set -euo pipefail
cp=$1; trials=${2:-40}; epochs=${3:-20}; dataset=${4:-german_credit}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for workers in 1 2 4; do
  db="$tmp/w$workers.db"
  start=$(date +%s.%N)
  pids=()
  for ((i = 0; i < workers; i++)); do
    OMP_NUM_THREADS=1 java -Xmx768m -cp "$cp" io.micromodels.cli.Main tune --dataset "$dataset" --trials "$trials" \
      --epochs "$epochs" --patience "$epochs" --generator random --storage "jdbc:sqlite:$db" --study bench \
      --out "$tmp/out-$workers-$i" > "$tmp/log-$workers-$i" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || { echo "a worker failed:"; cat "$tmp"/log-$workers-*; exit 1; }; done
  end=$(date +%s.%N)
  python3 - "$db" "$workers" "$start" "$end" "$trials" <<'PY'
import sqlite3, sys
db, workers, start, end, trials = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
c = sqlite3.connect(db)
n, first, last = c.execute("SELECT COUNT(*), MIN(started_at), MAX(finished_at) FROM trials").fetchone()
span = (last - first) / 1000
wall = end - start
print(f"{workers} worker(s): {n} trials; wall {wall:.1f} s = {60 * n / wall:.1f} trials/min; "
      f"first claim to last outcome {span:.1f} s = {60 * n / span:.1f} trials/min")
PY
done
