#!/usr/bin/env bash
# The soak: a Freshet under mixed reads and writes (IngestAndReadSimulation: writers ingest,
# readers check they never read older than their writer's acknowledged write) for DURATION
# seconds at a fixed rate, while a sampler records every INTERVAL seconds what a leak would move:
# heap after the last GC, heap in use, live threads, the process's resident memory and open file
# descriptors, its connections to Postgres and to Redis. It fails if Gatling saw an error or an
# assertion failed, and prints the first, middle and last samples and the growth between the
# second sample (after warm-up) and the last.
#
#   loadtest/bench/soak.sh                                    # 10 minutes
#   DURATION=60 INTERVAL=10 loadtest/bench/soak.sh            # a one-minute rehearsal
# Settings (environment): DURATION, INTERVAL (seconds), RATE (reads/s), WRITE_RATE (writes/s),
# ENTITIES (seeded), FRESHET_PORT, JAVA_OPTS. Uses Postgres schema "soak" and Redis keys "soak:*",
# dropped at start and exit.
set -euo pipefail

DURATION=${DURATION:-600}
INTERVAL=${INTERVAL:-30}
RATE=${RATE:-1400}
WRITE_RATE=${WRITE_RATE:-280}
ENTITIES=${ENTITIES:-20000}
FRESHET_PORT=${FRESHET_PORT:-18480}
BENCH_SCHEMA=soak
BENCH_PREFIX=soak:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# sample PID — one tab-separated line of the figures above, from /metrics, /proc and the servers.
sample() {
  local pid=$1 metrics
  metrics=$(curl -fsS "http://127.0.0.1:$FRESHET_PORT/metrics")
  local live heap threads rss fds pg redis_clients
  live=$(awk '/^jvm_gc_live_data_size_bytes / { print int($2 / 1048576) }' <<<"$metrics")
  heap=$(awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 { s += $NF }
    END { print int(s / 1048576) }' <<<"$metrics")
  threads=$(awk '/^jvm_threads_live_threads / { print int($2) }' <<<"$metrics")
  rss=$(awk '/^VmRSS:/ { print int($2 / 1024) }' "/proc/$pid/status")
  fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l)
  pg=$(ss -Htnp state established "( dport = :5432 )" | grep -c "pid=$pid," || true)
  redis_clients=$(ss -Htnp state established "( dport = :6379 )" | grep -c "pid=$pid," || true)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date +%H:%M:%S)" "$live" "$heap" "$threads" "$rss" \
    "$fds" "$pg" "$redis_clients"
}

bench_init
start_freshet freshet "$FRESHET_PORT" JAVA_TOOL_OPTIONS="${JAVA_OPTS:-}"
FRESHET_PID=$STARTED_PID

printf 'time\theap after GC MiB\theap used MiB\tthreads\tRSS MiB\tfds\tPG connections\tRedis connections\n' \
  >"$WORK/samples"
(
  sleep 5
  while running "$FRESHET_PID"; do
    sample "$FRESHET_PID" >>"$WORK/samples" 2>/dev/null || true
    sleep "$INTERVAL"
  done
) &
SAMPLER=$!

log "soak: ${DURATION}s at $RATE reads/s and $WRITE_RATE writes/s over $ENTITIES customers"
status=0
BASE_URL="http://127.0.0.1:$FRESHET_PORT" ENTITIES="$ENTITIES" \
  FRESHET_PG_SCHEMA="$BENCH_SCHEMA" FRESHET_REDIS_KEY_PREFIX="$BENCH_PREFIX" \
  "$LOADTEST_DIR/run.sh" IngestAndReadSimulation -Dduration="$DURATION" -Dwarmup=30 \
  -Drate="$RATE" -DwriteRate="$WRITE_RATE" -Dpairs=200 </dev/null | tee "$WORK/gatling.txt" \
  || status=$?
sample "$FRESHET_PID" >>"$WORK/samples"
kill "$SAMPLER" 2>/dev/null || true

printf '\n| %s |\n|%s\n' "$(head -n 1 "$WORK/samples" | sed 's/\t/ | /g')" \
  "$(head -n 1 "$WORK/samples" | awk -F '\t' '{ for (i = 1; i <= NF; i++) printf "---|" }')"
tail -n +2 "$WORK/samples" | awk -F '\t' '{ row[NR] = $0 } END {
  n = NR; split("1 " int((n + 1) / 2) " " n, pick, " ")
  for (i = 1; i <= 3; i++) { r = row[pick[i]]; gsub("\t", " | ", r); print "| " r " |" }
}'
tail -n +2 "$WORK/samples" | awk -F '\t' 'NR == 2 { for (i = 2; i <= NF; i++) first[i] = $i }
  { for (i = 2; i <= NF; i++) last[i] = $i }
  END {
    printf "\nafter warm-up to end: heap after GC %+d MiB, RSS %+d MiB, threads %+d, fds %+d, PG %+d, Redis %+d\n",
      last[2] - first[2], last[5] - first[5], last[4] - first[4], last[6] - first[6],
      last[7] - first[7], last[8] - first[8]
  }'
cp "$WORK/samples" "${SOAK_SAMPLES:-/tmp/freshet-soak-samples.tsv}"
exit "$status"
