#!/usr/bin/env bash
# Load test of `micromodels serve` under good and hostile clients at once (issue 11): 200 keep-alive clients each
# sending one German credit row every 100 ms, plus 50 slow-loris connections that send a request line and then a
# header line every second, never finishing; 30 s measured after a JIT warm-up. All on 127.0.0.1; nothing to install.
#
#   gpu-bench/load/hostile_load.sh                       # the defaults above
#   gpu-bench/load/hostile_load.sh --clients 100 --duration 10 --interval-ms 50 --slowloris 20
#
# The server (FrozenServer.main, heap -Xmx256m) runs in a child JVM so its threads, resident memory and open
# descriptors are read from /proc. Prints LOAD (p50/p90/p99/p99.9/max from write to reply, errors), LOAD_FROM_SCHEDULE
# (the same from each request's intended send time), SLOWLORIS, SERVER and CPU lines; the last line is
# `load: PASS|FAIL p99 X ms (target < 20 ms), N errors, M requests`, and the exit code is 0 only on PASS.
# Options are HostileLoadBenchmark's: --duration S --warmup S --warmup-requests N --clients N --interval-ms MS
# --slowloris N --slow-interval-ms MS --threads N --request-timeout-ms MS --server-heap SIZE --model FILE --p99-target-ms MS
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$root/micromodels" --version >/dev/null 2>&1 || true   # builds on first use
cp_file="$root/gpu-bench/target/classpath.txt"
jar="$(ls "$root"/gpu-bench/target/micromodels-gpu-bench-*.jar 2>/dev/null | head -n 1)"
[ -f "$cp_file" ] && [ -n "$jar" ] || { echo "hostile_load: the build failed; run ./micromodels --help to see why" >&2; exit 1; }
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec java -Djava.awt.headless=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar:$(cat "$cp_file")" \
  io.micromodels.bench.load.HostileLoadBenchmark "$@"
