#!/usr/bin/env bash
# A backfill through the ingest API: ROWS customer_profile rows (one per customer) sent by the
# seeder (io.freshet.loadtest.seed.Seeder) in BATCH-row batches over CLIENTS connections, their
# event times spread over the DAYS days before the run, oldest first, as a pipeline catching up
# on a year of history would send them. Freshet makes each month's partition as the history
# reaches it. Reports rows/s end to end, the partitions made, and the load average (the machine's
# other work counts). Redis is a redis-server of the script's own on REDIS_PORT, so ROWS keys do
# not land in a shared one.
#
#   loadtest/bench/backfill.sh                      # 10,000,000 rows over 365 days
#   ROWS=200000 loadtest/bench/backfill.sh          # a quick run
# Settings (environment): ROWS, BATCH, CLIENTS, DAYS, FRESHET_PORT, REDIS_PORT, PG_URL, JAVA_OPTS.
# Uses the Postgres schema "bench_backfill", dropped at start and exit.
set -euo pipefail

ROWS=${ROWS:-10000000}
BATCH=${BATCH:-1000}
CLIENTS=${CLIENTS:-4}
DAYS=${DAYS:-365}
FRESHET_PORT=${FRESHET_PORT:-18085}
REDIS_PORT=${REDIS_PORT:-16385}
BENCH_SCHEMA=bench_backfill
BENCH_PREFIX=bench_backfill:
REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
REDIS_PID=$!
STARTED_PIDS+=("$REDIS_PID")
trap 'kill "$REDIS_PID" 2>/dev/null' EXIT
for _ in $(seq 1 100); do
  [ "$(redis-cli -p "$REDIS_PORT" PING 2>/dev/null)" = PONG ] && break
  sleep 0.1
done
bench_init
url="http://127.0.0.1:$FRESHET_PORT"
start_freshet freshet-backfill "$FRESHET_PORT"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
log "backfilling $ROWS customer_profile rows over $DAYS days, $BATCH-row batches, $CLIENTS clients"
result=$(java -cp "$WORK/freshet-ceilings.jar" io.freshet.loadtest.seed.Seeder --url="$url" \
  --entities="$ROWS" --views=customer_profile --batch="$BATCH" --concurrency="$CLIENTS" \
  --history-days="$DAYS")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
log "$result"
stored=$(psql_bench -At -c "SELECT count(*) FROM $BENCH_SCHEMA.feature_history")
partitions=$(psql_bench -At -c "SELECT count(*) FROM pg_inherits
  WHERE inhparent = '$BENCH_SCHEMA.feature_history'::regclass")
size=$(psql_bench -At -c "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits
  WHERE inhparent = '$BENCH_SCHEMA.feature_history'::regclass")
[ "$stored" -eq "$ROWS" ] || die "Postgres holds $stored rows, expected $ROWS"
printf '\n%s\nstored=%s partitions=%s history_size=%s load_before=%s load_after=%s cores=%s freshet=%s\n' \
  "$result" "$stored" "$partitions" "$size" "$load_before" "$load_after" "$(nproc)" \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)"
