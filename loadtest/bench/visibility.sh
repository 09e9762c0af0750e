#!/usr/bin/env bash
# Write->visible latency between two Freshet instances sharing Redis and Postgres (the change
# feed), while both serve reads. Instances A and B run over the same Postgres schema and Redis key
# prefix on different ports. CUSTOMERS customers are seeded through A; then one wrk per instance
# (online.lua, -t1 -c$READ_CONNECTIONS, customers drawn from 1..CUSTOMERS) reads for the whole
# measurement while visibility.py writes WRITES rows of customer_profile through A, one at a time,
# and after each 200 polls B until B returns the new value. Also reports B's
# freshet_change_feed_delay_seconds histogram over the loop. Everything shares the machine's
# cores, including both wrk processes.
#
#   loadtest/bench/visibility.sh
#   WRITES=1000 WARMUP=5 loadtest/bench/visibility.sh     # smoke run
#   REDIS_CLUSTER=1 loadtest/bench/visibility.sh          # A and B over a Redis Cluster
#
# With REDIS_CLUSTER=1 the script starts a Redis Cluster of its own (three masters, three
# replicas on ports CLUSTER_PORT..CLUSTER_PORT+5, default 17001; start_redis_cluster in lib.sh)
# and both instances use it instead of REDIS_URL.
# Settings (environment): WRITES, CUSTOMERS, READ_CONNECTIONS, WARMUP (seconds of background
# reads before the first write), GIVE_UP_MS (per write), PORT_A, PORT_B, PG_URL, REDIS_URL,
# KEEP_LOGS (a directory to copy the Freshet and wrk logs to).
# Uses Postgres schema "bench_vis" and Redis keys "bench_vis:*", dropped at start and exit.
set -euo pipefail

WRITES=${WRITES:-10000}
CUSTOMERS=${CUSTOMERS:-500}
READ_CONNECTIONS=${READ_CONNECTIONS:-8}
WARMUP=${WARMUP:-10}
GIVE_UP_MS=${GIVE_UP_MS:-2000}
PORT_A=${PORT_A:-18090}
PORT_B=${PORT_B:-18091}
BENCH_SCHEMA=bench_vis
BENCH_PREFIX=bench_vis:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"

# background_reads NAME PORT — wrk on online.lua against PORT until stopped (its duration is
# only a backstop; the clean-up trap or stop_process ends it).
background_reads() {
  local name=$1 port=$2
  HOT_SET=$CUSTOMERS wrk -t1 -c"$READ_CONNECTIONS" -d86400s -s "$BENCH_DIR/online.lua" \
    "http://127.0.0.1:$port" >"$WORK/$name.log" 2>&1 &
  STARTED_PIDS+=("$!")
  READER_PIDS+=("$!")
}

LOAD_BEFORE=$(cut -d ' ' -f 1-3 /proc/loadavg)
bench_init
READER_PIDS=()
REDIS_USED=$REDIS_URL
REDIS_KIND="one Redis"
if [ -n "${REDIS_CLUSTER:-}" ]; then
  start_redis_cluster "${CLUSTER_PORT:-17001}"
  REDIS_USED=$REDIS_CLUSTER_URL
  REDIS_KIND="a Redis Cluster of 3 masters and 3 replicas"
fi
start_freshet freshet-a "$PORT_A" FRESHET_REDIS_URL="$REDIS_USED"
start_freshet freshet-b "$PORT_B" FRESHET_REDIS_URL="$REDIS_USED"
log "seeding $CUSTOMERS customers through A"
python3 "$BENCH_DIR/rows.py" seed --url "http://127.0.0.1:$PORT_A" --customers "$CUSTOMERS" >&2

log "background reads: wrk -t1 -c$READ_CONNECTIONS on A and on B; ${WARMUP}s before the first write"
background_reads wrk-a "$PORT_A"
background_reads wrk-b "$PORT_B"
sleep "$WARMUP"
for pid in "${READER_PIDS[@]}"; do
  running "$pid" || die "a background wrk exited early"
done

log "measuring: $WRITES writes through A, each polled on B until visible"
status=0
python3 "$BENCH_DIR/visibility.py" --writer "http://127.0.0.1:$PORT_A" \
  --reader "http://127.0.0.1:$PORT_B" --writes "$WRITES" --customers "$CUSTOMERS" \
  --give-up-ms "$GIVE_UP_MS" >"$WORK/visibility.txt" || status=$?
for pid in "${READER_PIDS[@]}"; do
  running "$pid" || log "warning: a background wrk was no longer running at the end"
  stop_process "$pid"
done

printf '\nFreshet %s; A :%s and B :%s share schema %s and prefix %s over %s; background reads wrk -t1 -c%s\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "$PORT_A" "$PORT_B" \
  "$BENCH_SCHEMA" "$BENCH_PREFIX" "$REDIS_KIND" \
  "$READ_CONNECTIONS"
printf 'per instance (online.lua, 1 entity x 10 features, customers 1..%s); everything shares %s cores.\n' \
  "$CUSTOMERS" "$(nproc)"
printf 'Load average before the script started anything: %s. Goal: write->visible on another\n' \
  "$LOAD_BEFORE"
printf 'instance p99 <= 10 ms.\n\n'
cat "$WORK/visibility.txt"
for name in freshet-a freshet-b; do
  printf '%s log: %s change-feed subscription losses, %s WARNING/ERROR/exception lines\n' "$name" \
    "$(grep -c 'change feed subscription lost' "$WORK/$name.log" || true)" \
    "$(grep -Eci 'warn|error|exception' "$WORK/$name.log" || true)"
done
[ -z "${KEEP_LOGS:-}" ] || { mkdir -p "$KEEP_LOGS" && cp "$WORK"/*.log "$KEEP_LOGS/"; }
[ "$status" -eq 0 ] || die "visibility.py failed (status $status)"
