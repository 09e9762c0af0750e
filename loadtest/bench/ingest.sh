#!/usr/bin/env bash
# Ingest throughput: ROWS customer_profile rows sent to Freshet's ingest API in BATCH-row
# batches over CLIENTS concurrent connections (rows.py, timed end to end: validation, the
# Postgres append, the Redis and hot-tier writes), against Postgres loading the very same rows
# with COPY FROM STDIN (psql \copy) into a table of identical shape and indexes. Freshet, the
# client and Postgres share the machine's cores.
#
#   loadtest/bench/ingest.sh
# Settings (environment): ROWS, BATCH, CLIENTS, WARMUP_ROWS (customer_activity rows sent first
# so the JIT has compiled the ingest path), FRESHET_PORT, PG_URL, REDIS_URL. Uses Postgres
# schemas "bench_ingest" and "bench_copy" and Redis keys "bench_ingest:*", dropped at start and
# exit.
set -euo pipefail

ROWS=${ROWS:-100000}
BATCH=${BATCH:-1000}
CLIENTS=${CLIENTS:-4}
WARMUP_ROWS=${WARMUP_ROWS:-20000}
FRESHET_PORT=${FRESHET_PORT:-18083}
BENCH_SCHEMA=bench_ingest
BENCH_PREFIX=bench_ingest:
SCRATCH_SCHEMA=bench_copy

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

bench_init
url="http://127.0.0.1:$FRESHET_PORT"
start_freshet freshet-ingest "$FRESHET_PORT"
log "warm-up: $WARMUP_ROWS customer_activity rows"
python3 "$BENCH_DIR/rows.py" ingest --url "$url" --view customer_activity --rows "$WARMUP_ROWS" \
  --batch "$BATCH" --clients "$CLIENTS" >&2
log "measuring: $ROWS customer_profile rows, $BATCH-row batches, $CLIENTS clients"
result=$(python3 "$BENCH_DIR/rows.py" ingest --url "$url" --view customer_profile --rows "$ROWS" \
  --batch "$BATCH" --clients "$CLIENTS")
log "$result"
stop_process "$STARTED_PID"
freshet_seconds=$(kv seconds "$result")

log "loading the same rows with COPY FROM STDIN"
psql_bench -c "\\copy (SELECT view_name, entity_key, event_ts, ingested_at, feature_values
  FROM $BENCH_SCHEMA.feature_history WHERE view_name = 'customer_profile') TO '$WORK/rows.copy'"
psql_bench -c "CREATE SCHEMA $SCRATCH_SCHEMA" \
  -c "CREATE TABLE $SCRATCH_SCHEMA.feature_history (LIKE $BENCH_SCHEMA.feature_history INCLUDING ALL)"
copy_ms=$(psql_bench -c '\timing on' \
  -c "\\copy $SCRATCH_SCHEMA.feature_history FROM '$WORK/rows.copy'" | awk '/^Time:/ { print $2 }')
[ -n "$copy_ms" ] || die "psql printed no COPY timing"
copied=$(psql_bench -At -c "SELECT count(*) FROM $SCRATCH_SCHEMA.feature_history")
[ "$copied" -eq "$ROWS" ] || die "COPY loaded $copied rows, expected $ROWS"

printf '\n%s rows of customer_profile; Freshet, client and Postgres share %s cores; Freshet %s.\n\n' \
  "$ROWS" "$(nproc)" "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)"
awk -v rows="$ROWS" -v batch="$BATCH" -v clients="$CLIENTS" \
  -v freshet="$freshet_seconds" -v copy="$copy_ms" 'BEGIN {
  copy /= 1000
  print "| path | seconds | rows/s | ÷ COPY |"
  print "|---|---:|---:|---:|"
  printf "| Freshet POST /v1/ingest (%d-row batches, %d clients) | %.3f | %.0f | %.2f |\n",
    batch, clients, freshet, rows / freshet, copy / freshet
  printf "| Postgres COPY FROM STDIN (psql \\copy, one stream) | %.3f | %.0f | 1.00 |\n", copy, rows / copy
}'
