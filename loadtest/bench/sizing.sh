#!/usr/bin/env bash
# What one entity costs in each tier, measured (src/site/markdown/sizing.md):
#  * hot tier: the JVM's live heap (after a full GC, jcmd GC.class_histogram) before seeding and
#    after every record has been read once, divided by the records (customers x 3 views);
#  * warm tier: Redis's MEMORY USAGE of 1,000 keys per view, and used_memory before and after
#    divided by the keys;
#  * cold tier: Postgres's pg_total_relation_size of every history partition (table, TOAST and
#    indexes) before and after, divided by the rows written.
# CUSTOMERS customers of the three churn views are seeded through rows.py (one record per view and
# customer), then read once through sizing.py fill.
#
#   loadtest/bench/sizing.sh                     # 100,000 customers, 300,000 records
#   CUSTOMERS=20000 loadtest/bench/sizing.sh     # smoke run
# Settings (environment): CUSTOMERS, PORT, PG_URL, REDIS_URL.
# Uses Postgres schema "bench_sizing" and Redis keys "bench_sizing:*", dropped at start and exit.
set -euo pipefail

CUSTOMERS=${CUSTOMERS:-100000}
PORT=${PORT:-18096}
BENCH_SCHEMA=bench_sizing
BENCH_PREFIX=bench_sizing:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v jcmd >/dev/null || die "jcmd (the JDK's) is not on the PATH"

live_heap() {
  jcmd "$1" GC.class_histogram | awk '$1 == "Total" { print $3 }'
}

redis_used() {
  redis-cli -u "$REDIS_URL" INFO memory | awk -F: '/^used_memory:/ { print $2 + 0 }'
}

history_bytes() {
  psql_bench -At -c "SELECT coalesce(sum(pg_total_relation_size(relid)), 0)
    FROM pg_partition_tree('$BENCH_SCHEMA.feature_history') WHERE isleaf"
}

bench_init
# Records must stay in the hot tier for the whole run: no expiry, room for all of them.
start_freshet freshet "$PORT" FRESHET_HOT_MAX_ENTRIES=$((CUSTOMERS * 4)) \
  FRESHET_HOT_MAX_LIFETIME_MS=86400000
FRESHET_PID=$STARTED_PID
URL="http://127.0.0.1:$PORT"

heap_before=$(live_heap "$FRESHET_PID")
redis_before=$(redis_used)
history_before=$(history_bytes)
log "seeding $CUSTOMERS customers x 3 views"
python3 "$BENCH_DIR/rows.py" seed --url "$URL" --customers "$CUSTOMERS" >&2
log "reading every record once"
python3 "$BENCH_DIR/sizing.py" fill --url "$URL" --customers "$CUSTOMERS"
hot=$(curl -fsS "$URL/metrics" | awk '/^freshet_hot_entries / { print $2 + 0 }')
heap_after=$(live_heap "$FRESHET_PID")
redis_after=$(redis_used)
history_after=$(history_bytes)
rows=$(psql_bench -At -c "SELECT count(*) FROM $BENCH_SCHEMA.feature_history")
keys=$((CUSTOMERS * 3))

printf '\nFreshet %s; %s customers x 3 churn views = %s records; JVM %s\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "$CUSTOMERS" "$keys" \
  "$(java -version 2>&1 | head -n 1)"
printf 'hot tier: %s entries; live heap %s -> %s bytes: %.0f bytes per entry\n' \
  "$hot" "$heap_before" "$heap_after" "$(echo "($heap_after - $heap_before) / $hot" | bc -l)"
printf 'warm tier: used_memory %s -> %s bytes: %.0f bytes per key; MEMORY USAGE per key by view:\n' \
  "$redis_before" "$redis_after" "$(echo "($redis_after - $redis_before) / $keys" | bc -l)"
python3 "$BENCH_DIR/sizing.py" redis --prefix "$BENCH_PREFIX" --customers "$CUSTOMERS" \
  --redis-cli "redis-cli -u $REDIS_URL" | sed 's/^/  /'
printf 'cold tier: %s history rows; partitions %s -> %s bytes: %.0f bytes per row\n' \
  "$rows" "$history_before" "$history_after" "$(echo "($history_after - $history_before) / $rows" | bc -l)"
psql_bench -At -F ' ' -c "SELECT 'cold tier parts per row: table ' ||
    round(sum(pg_relation_size(relid)) / $rows::numeric) || ', indexes ' ||
    round(sum(pg_indexes_size(relid)) / $rows::numeric) || ', TOAST and maps ' ||
    round((sum(pg_total_relation_size(relid)) - sum(pg_relation_size(relid))
      - sum(pg_indexes_size(relid))) / $rows::numeric)
  FROM pg_partition_tree('$BENCH_SCHEMA.feature_history') WHERE isleaf"
