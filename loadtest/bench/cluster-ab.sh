#!/usr/bin/env bash
# One Redis against a Redis Cluster, same run: Freshet S over the local Redis (REDIS_URL) and
# Freshet C over a Redis Cluster of its own (three masters, three replicas; start_redis_cluster in
# lib.sh), each with its own Postgres schema, both with the hot tier off (FRESHET_HOT_MAX_ENTRIES=0)
# so that every read goes to Redis. After a warm-up of each, ROUNDS alternating rounds of:
#  * ingest: ROWS new customer_profile rows through rows.py (BATCH-row batches, CLIENTS clients);
#  * reads: wrk -t1 -c16 for READ_SECONDS on online.lua (1 entity x 10 features over 3 views,
#    customers 1..CUSTOMERS, every one in Redis).
# Prints each round and the medians: rows/s, and reads/s with p50/p99. Everything shares the
# machine's cores.
#
#   loadtest/bench/cluster-ab.sh
#   ROUNDS=1 ROWS=10000 READ_SECONDS=5 loadtest/bench/cluster-ab.sh     # smoke run
# Settings (environment): ROUNDS, ROWS, BATCH, CLIENTS, CUSTOMERS, READ_SECONDS, PORT_S, PORT_C,
# CLUSTER_PORT, PG_URL, REDIS_URL. Uses Postgres schemas "bench_cab_s" and "bench_cab_c" and Redis
# keys "bench_cab:*", dropped at start and exit.
set -euo pipefail

ROUNDS=${ROUNDS:-3}
ROWS=${ROWS:-30000}
BATCH=${BATCH:-1000}
CLIENTS=${CLIENTS:-4}
CUSTOMERS=${CUSTOMERS:-10000}
READ_SECONDS=${READ_SECONDS:-15}
PORT_S=${PORT_S:-18097}
PORT_C=${PORT_C:-18098}
BENCH_SCHEMA=bench_cab_s
SCRATCH_SCHEMA=bench_cab_c
BENCH_PREFIX=bench_cab:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"

LOAD_BEFORE=$(cut -d ' ' -f 1-3 /proc/loadavg)
bench_init
start_redis_cluster "${CLUSTER_PORT:-17011}"
start_freshet freshet-s "$PORT_S" FRESHET_HOT_MAX_ENTRIES=0
start_freshet freshet-c "$PORT_C" FRESHET_HOT_MAX_ENTRIES=0 FRESHET_PG_SCHEMA="$SCRATCH_SCHEMA" \
  FRESHET_REDIS_URL="$REDIS_CLUSTER_URL"

field() {
  printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

for target in s c; do
  port=$PORT_S
  [ "$target" = c ] && port=$PORT_C
  log "warm-up of $target: seeding $CUSTOMERS customers, 5 s of reads"
  python3 "$BENCH_DIR/rows.py" seed --url "http://127.0.0.1:$port" --customers "$CUSTOMERS" >&2
  HOT_SET=$CUSTOMERS wrk -t1 -c16 -d5s -s "$BENCH_DIR/online.lua" "http://127.0.0.1:$port" >/dev/null
done

: >"$WORK/rounds"
first_id=$((CUSTOMERS + 1))
for round in $(seq "$ROUNDS"); do
  for target in s c; do
    port=$PORT_S
    [ "$target" = c ] && port=$PORT_C
    result=$(python3 "$BENCH_DIR/rows.py" ingest --url "http://127.0.0.1:$port" \
      --view customer_profile --rows "$ROWS" --first-id "$first_id" --batch "$BATCH" --clients "$CLIENTS")
    reads=$(HOT_SET=$CUSTOMERS wrk -t1 -c16 -d"${READ_SECONDS}s" -s "$BENCH_DIR/online.lua" \
      "http://127.0.0.1:$port" | wrk_row "$target")
    printf '%s\t%s\t%s\n' "$round" "$(field rows_per_s "$result")" "$reads" | tee -a "$WORK/rounds" >&2
  done
  first_id=$((first_id + ROWS))
done

printf '\nFreshet %s; S: one Redis (%s), C: a Redis Cluster of 3 masters and 3 replicas on this machine;\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "$REDIS_URL"
printf 'hot tier off; %s rounds alternating; everything shares %s cores; load average before the script: %s\n\n' \
  "$ROUNDS" "$(nproc)" "$LOAD_BEFORE"
printf 'round\ttarget\tingest rows/s\treads/s\tp50 ms\tp99 ms\tnon-2xx\n'
awk -F '\t' '{ printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", $1, $3, $2, $4, $5, $7, $8 }' "$WORK/rounds"
printf '\nmedians\n'
for target in s c; do
  awk -F '\t' -v t="$target" '$3 == t { print $2, $4, $5, $7 }' "$WORK/rounds" | python3 -c '
import statistics, sys
rows = [list(map(float, line.split())) for line in sys.stdin]
cols = list(zip(*rows))
print(sys.argv[1], "ingest rows/s %.0f, reads/s %.0f, p50 %.2f ms, p99 %.2f ms" % tuple(statistics.median(c) for c in cols))
' "$target"
done
