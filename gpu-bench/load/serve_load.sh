#!/usr/bin/env bash
# Serving load test of `micromodels serve` with wrk (nothing is installed; wrk must be on the PATH).
#
#   gpu-bench/load/serve_load.sh            # from anywhere; runs in the project root
#
# 1. trains the bundled german_credit model into $MODEL_DIR (default /tmp/serve-model) unless model.zip is there;
# 2. starts `./micromodels serve --model $MODEL_DIR/model.zip --port $PORT` (default 18080) in the background;
# 3. warms it up (wrk, $WARMUP, not counted), then loads it: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$DURATION --latency
#    with predict.lua (one JSON row per POST /predict; every reply checked);
# 4. prints wrk's output verbatim, the server's CPU time, and checks: >= $MIN_REQUESTS requests, zero bad replies
#    (non-2xx or no prediction in the body) and zero socket errors; exit 0 only then;
# 5. shows how bad requests are answered (400 naming the field), then stops the server with SIGTERM (the same
#    shutdown hook as Ctrl-C; a background job of a non-interactive shell starts with SIGINT ignored).
# Environment: MODEL_DIR, PORT, DURATION (20s), WARMUP (5s), WRK_THREADS (2), WRK_CONNECTIONS (8), SERVE_THREADS (4),
# MIN_REQUESTS (10000), BODY_FILE (another JSON row for another model).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/gpu-bench/load"
model_dir="${MODEL_DIR:-/tmp/serve-model}"
port="${PORT:-18080}"
duration="${DURATION:-20s}"
warmup="${WARMUP:-5s}"
wrk_threads="${WRK_THREADS:-2}"
wrk_connections="${WRK_CONNECTIONS:-8}"
serve_threads="${SERVE_THREADS:-4}"
min_requests="${MIN_REQUESTS:-10000}"
url="http://127.0.0.1:$port"
cd "$root"

command -v wrk >/dev/null || { echo "serve_load: wrk is not installed (Debian: apt-get install wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "serve_load: curl is not installed" >&2; exit 1; }
if curl -s -o /dev/null "$url/health"; then
  echo "serve_load: something already answers on $url; set PORT" >&2
  exit 1
fi

if [ ! -f "$model_dir/model.zip" ]; then
  echo "== training: ./micromodels train --dataset german_credit --out $model_dir"
  ./micromodels train --dataset german_credit --out "$model_dir"
fi

log="$(mktemp /tmp/serve-load.XXXXXX.log)"
echo "== serving: ./micromodels serve --model $model_dir/model.zip --port $port --threads $serve_threads (log $log)"
t0=$(date +%s.%N)
./micromodels serve --model "$model_dir/model.zip" --port "$port" --threads "$serve_threads" >"$log" 2>&1 &
pid=$!   # the launcher execs java, so this is the server JVM
stop() {
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}
trap stop EXIT
for _ in $(seq 1 600); do
  if curl -sf -o /dev/null "$url/health"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "serve_load: the server exited:" >&2; cat "$log" >&2; exit 1; fi
  sleep 0.1
done
curl -sf -o /dev/null "$url/health" || { echo "serve_load: the server did not come up:" >&2; cat "$log" >&2; exit 1; }
printf '== server up after %.2f s; its output:\n' "$(echo "$(date +%s.%N) - $t0" | bc)"
sed 's/^/   | /' "$log"

cpu_seconds() { # user + system CPU seconds of the server JVM so far
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$pid/stat"
}

echo "== warm-up: wrk -t$wrk_threads -c$wrk_connections -d$warmup -s $here/predict.lua $url/predict (not counted)"
wrk -t"$wrk_threads" -c"$wrk_connections" -d"$warmup" -s "$here/predict.lua" "$url/predict" | grep '^LOAD' | sed 's/^/   warm-up: /'

echo "== load: wrk -t$wrk_threads -c$wrk_connections -d$duration --latency -s $here/predict.lua $url/predict"
echo "   machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (shared with other work: timings are noisy)"
cpu0=$(cpu_seconds)
out="$(wrk -t"$wrk_threads" -c"$wrk_connections" -d"$duration" --latency -s "$here/predict.lua" "$url/predict")"
cpu1=$(cpu_seconds)
echo "$out"
line="$(echo "$out" | grep '^LOAD')"
requests=$(echo "$line" | sed -E 's/.*requests=([0-9]+).*/\1/')
bad=$(echo "$line" | sed -E 's/.*bad_replies=([0-9]+).*/\1/')
socket=$(echo "$line" | sed -E 's/.*socket_errors=([0-9]+).*/\1/')
cpu=$(echo "$cpu1 - $cpu0" | bc -l)
printf '== server JVM CPU during the load: %.2f s for %d requests = %.1f us CPU per request\n' "$cpu" "$requests" \
  "$(echo "$cpu * 1000000 / $requests" | bc -l)"

echo "== bad requests (each should be 400 naming the field):"
show() { # label, curl args...
  local label="$1"; shift
  printf '   %-24s ' "$label"
  curl -s -w '  [HTTP %{http_code}]\n' "$@"
}
good='{"checking_status":"<0","duration":6,"credit_history":"critical/other existing credit","purpose":"radio/tv","credit_amount":1169,"savings_status":"no known savings","employment":">=7","installment_commitment":4,"personal_status":"male single","other_parties":"none","residence_since":4,"property_magnitude":"real estate","age":67,"other_payment_plans":"none","housing":"own","existing_credits":2,"job":"skilled","num_dependents":1,"own_telephone":"yes","foreign_worker":"yes"}'
if [ -z "${BODY_FILE:-}" ]; then
  show "good row" -X POST "$url/predict" -H 'Content-Type: application/json' -d "$good"
  show "malformed JSON" -X POST "$url/predict" -H 'Content-Type: application/json' -d '{"checking_status":"<0",'
  show "missing field" -X POST "$url/predict" -H 'Content-Type: application/json' -d "$(echo "$good" | sed 's/"duration":6,//')"
  show "extra field" -X POST "$url/predict" -H 'Content-Type: application/json' -d "$(echo "$good" | sed 's/}$/,"bogus":1}/')"
  show "wrong type (object)" -X POST "$url/predict" -H 'Content-Type: application/json' -d "$(echo "$good" | sed 's/"age":67/"age":{"years":67}/')"
  show "wrong type (array)" -X POST "$url/predict" -H 'Content-Type: application/json' -d "$(echo "$good" | sed 's/"age":67/"age":[67]/')"
  show "wrong type (text)" -X POST "$url/predict" -H 'Content-Type: application/json' -d "$(echo "$good" | sed 's/"age":67/"age":"old"/')"
fi

echo "== stopping the server (SIGTERM: its shutdown hook closes the server, as Ctrl-C does)"
stop
trap - EXIT
tail -n 1 "$log" | sed 's/^/   | /'

if [ "$requests" -ge "$min_requests" ] && [ "$bad" -eq 0 ] && [ "$socket" -eq 0 ]; then
  echo "serve_load: PASS ($requests requests >= $min_requests, 0 bad replies, 0 socket errors)"
else
  echo "serve_load: FAIL (requests $requests, need >= $min_requests; bad replies $bad; socket errors $socket)"
  exit 1
fi
