#!/usr/bin/env bash
# Point-in-time (historical) lookups: ROWS label rows against HISTORY history rows per view
# (ENTITIES customers), for one view (customer_profile, 4 features) and three views (the 10 raw
# features of customer_profile, customer_activity and customer_support), on the same data:
#   freshet   POST /v1/features/historical, NDJSON in, jsonl out, timed by curl from the first byte
#             of the request to the last byte of the response (curl's time_total), Freshet
#             started with JAVA_OPTS (default -Xmx512m: the snapshot streams, its heap is bounded)
#   postgres  the LEFT JOIN LATERAL (... ORDER BY event_ts DESC, ingested_at DESC LIMIT 1) query
#             over Freshet's own feature_history table and index, labels in a table, in the
#             database alone (psql \timing, results aggregated so nothing is shipped)
#   duckdb    ASOF LEFT JOIN in an in-memory DuckDB (org.duckdb:duckdb_jdbc, PitDuckDb.java) over
#             the same rows read from the same files, loaded before the clock starts
# Every engine applies the same rule (latest event_ts <= ts among records ingested by the cutoff);
# with CHECK=1 the values each returns non-null (ttl, and customer_activity's nullify beyond its
# 6 h stale threshold) are counted and must agree. History is loaded with COPY straight into the
# schema Freshet created (its index dropped during the load and rebuilt after).
#
#   loadtest/bench/pit.sh                                  # 1M labels x 1M history rows per view
#   ROWS=20000 HISTORY=20000 ENTITIES=2000 loadtest/bench/pit.sh     # smoke run
# Settings (environment): ROWS, HISTORY (per view), ENTITIES, DAYS (history spread), RUNS (timed
# runs of each case, best reported), CHECK (1: cross-check the engines' counts), JAVA_OPTS,
# FRESHET_JAR (a prebuilt jar instead of target/freshet.jar), DUCKDB_VERSION, FRESHET_PORT,
# PG_URL, REDIS_URL. Uses Postgres schemas "pitbench" and "pitbench_sql" and Redis keys
# "pitbench:*", dropped at start and exit.
set -euo pipefail

ROWS=${ROWS:-1000000}
HISTORY=${HISTORY:-1000000}
ENTITIES=${ENTITIES:-100000}
DAYS=${DAYS:-30}
RUNS=${RUNS:-2}
CHECK=${CHECK:-1}
JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
DUCKDB_VERSION=${DUCKDB_VERSION:-1.4.4.0}
FRESHET_PORT=${FRESHET_PORT:-18084}
BENCH_SCHEMA=pitbench
BENCH_PREFIX=pitbench:
SCRATCH_SCHEMA=pitbench_sql
# The files hold UTC times without a zone; every psql session reads them as UTC.
export PGTZ=UTC

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

[ "$HISTORY" -ge "$ENTITIES" ] || die "HISTORY ($HISTORY) must be at least ENTITIES ($ENTITIES)"

# A jar older than the sources would lack the endpoint under test: rebuild it first.
if [ -z "${FRESHET_JAR:-}" ] && [ -f "$MAIN_DIR/target/freshet.jar" ] \
  && [ -n "$(find "$MAIN_DIR/src/main" "$MAIN_DIR/pom.xml" "$MAIN_DIR/tiers/postgres" \
    -newer "$MAIN_DIR/target/freshet.jar" -print -quit)" ]; then
  log "target/freshet.jar is older than the sources: rebuilding"
  (cd "$MAIN_DIR" && mvn -q -B package -DskipTests) || die "cannot build freshet.jar"
fi

bench_init
if [ -n "${FRESHET_JAR:-}" ]; then
  cp "$FRESHET_JAR" "$WORK/freshet.jar"
fi
url="http://127.0.0.1:$FRESHET_PORT"
DUCKDB_JAR=$(duckdb_jar)

log "Freshet ($JAVA_OPTS) creates schema $BENCH_SCHEMA"
# shellcheck disable=SC2086 # JAVA_OPTS holds several words on purpose
start_process freshet-pit 'freshet listening on http://' \
  env FRESHET_HTTP_PORT="$FRESHET_PORT" FRESHET_PG_SCHEMA="$BENCH_SCHEMA" \
  FRESHET_REDIS_KEY_PREFIX="$BENCH_PREFIX" FRESHET_PG_URL="$PG_URL" \
  FRESHET_REDIS_URL="$REDIS_URL" FRESHET_SCHEMAS_DIR="$MAIN_DIR/schemas" \
  java $JAVA_OPTS -jar "$WORK/freshet.jar"
freshet_pid=$STARTED_PID

log "generating $ROWS label rows and $HISTORY history rows per view over $ENTITIES customers"
gen=$(python3 "$BENCH_DIR/pit_data.py" --out "$WORK" --rows "$ROWS" --history "$HISTORY" \
  --entities "$ENTITIES" --days "$DAYS")
cutoff=$(kv cutoff "$gen")
[ -n "$cutoff" ] || die "pit_data.py printed no cutoff: $gen"

log "loading history with COPY (indexes dropped, rebuilt after)"
table="$BENCH_SCHEMA.feature_history"
month_partitions "$table" "$DAYS"
load_start=$(date +%s.%N)
copy_indexed "$table" "view_name, entity_key, event_ts, ingested_at, feature_values" \
  "$WORK/history.tsv"
load_end=$(date +%s.%N)
loaded=$(psql_bench -At -c "SELECT count(*) FROM $table")
[ "$loaded" -eq $((HISTORY * 3)) ] || die "COPY loaded $loaded history rows, expected $((HISTORY * 3))"

declare -A counts

# freshet_run NAME FILE — one timed request; checks the status and the snapshot's manifest.
freshet_run() {
  local name=$1 file=$2 out code seconds id manifest
  out=$(curl -sS -o /dev/null -D "$WORK/headers" -w '%{http_code} %{time_total}' \
    -H 'content-type: application/x-ndjson' --data-binary @"$file" "$url/v1/features/historical")
  code=${out% *}
  seconds=${out#* }
  [ "$code" = 200 ] || die "freshet $name: HTTP $code"
  id=$(tr -d '\r' <"$WORK/headers" | sed -n 's/^[Xx]-[Ss]napshot-[Ii]d: *//p')
  [ -n "$id" ] || die "freshet $name: no X-Snapshot-Id"
  manifest=$(curl -fsS "$url/v1/snapshots/$id") || die "freshet $name: no manifest for $id (error in the stream?)"
  python3 - "$manifest" "$ROWS" <<'EOF' || die "freshet $name: manifest $manifest"
import json, sys
m, rows = json.loads(sys.argv[1]), int(sys.argv[2])
leak = m["leakage"]
assert m["row_count"] == rows and leak["rows_checked"] == rows and leak["future_values"] == 0, m
EOF
  log "freshet $name: ${seconds}s, manifest row_count=$ROWS future_values=0"
  record "freshet_$name" "$seconds"
}

# freshet_counts FILE FEATURE... — untimed request; prints the non-null count of each feature.
freshet_counts() {
  local file=$1 feature line=""
  shift
  curl -fsS -H 'content-type: application/x-ndjson' --data-binary @"$file" \
    "$url/v1/features/historical" -o "$WORK/out.jsonl" || die "freshet check request failed"
  [ "$(wc -l <"$WORK/out.jsonl")" -eq "$ROWS" ] || die "freshet returned $(wc -l <"$WORK/out.jsonl") rows"
  for feature in "$@"; do
    line+="$((ROWS - $(grep -c -E "\"$feature\": ?null" "$WORK/out.jsonl" || true))) "
  done
  rm -f "$WORK/out.jsonl"
  printf '%s\n' "${line% }"
}

for _ in $(seq "$RUNS"); do
  freshet_run one "$WORK/one.ndjson"
  freshet_run three "$WORK/three.ndjson"
done
peak_rss=$(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$freshet_pid/status")
if [ "$CHECK" = 1 ]; then
  counts[freshet_one]=$(freshet_counts "$WORK/one.ndjson" customer_profile:age)
  counts[freshet_three]=$(freshet_counts "$WORK/three.ndjson" customer_profile:age \
    customer_activity:sessions_7d customer_support:tickets_30d)
fi
stop_process "$freshet_pid"

log "Postgres LATERAL: labels into $SCRATCH_SCHEMA.labels"
psql_bench -c "CREATE SCHEMA $SCRATCH_SCHEMA" \
  -c "CREATE TABLE $SCRATCH_SCHEMA.labels (row_id bigint, entity_key text, ts timestamptz)" \
  -c "\\copy $SCRATCH_SCHEMA.labels FROM '$WORK/labels.csv' WITH (FORMAT csv, HEADER true)" \
  -c "ANALYZE $SCRATCH_SCHEMA.labels"

lateral() { # ALIAS VIEW
  printf "LEFT JOIN LATERAL (SELECT h.event_ts, h.feature_values FROM %s h
    WHERE h.view_name = '%s' AND h.entity_key = l.entity_key AND h.event_ts <= l.ts
      AND h.ingested_at <= '%s'
    ORDER BY h.event_ts DESC, h.ingested_at DESC LIMIT 1) %s ON true\n" "$table" "$2" "$cutoff" "$1"
}
within() { # ALIAS INTERVAL — values the view returns non-null: found and no older than INTERVAL
  printf "count(%s.feature_values) FILTER (WHERE l.ts - %s.event_ts <= interval '%s')" "$1" "$1" "$2"
}
sql_one="SELECT count(*), $(within p '30 days')
  FROM $SCRATCH_SCHEMA.labels l $(lateral p customer_profile)"
sql_three="SELECT count(*), $(within p '30 days'), $(within a '6 hours'), $(within s '7 days')
  FROM $SCRATCH_SCHEMA.labels l $(lateral p customer_profile) $(lateral a customer_activity)
  $(lateral s customer_support)"

# sql_run NAME SQL — one timed query; keeps the counts it returns.
sql_run() {
  local name=$1 out ms
  out=$(psql_bench -At -F ' ' -c '\timing on' -c "$2")
  ms=$(printf '%s\n' "$out" | awk '/^Time:/ { print $2 }')
  [ -n "$ms" ] || die "psql printed no timing: $out"
  counts[postgres_$name]=$(printf '%s\n' "$out" | grep -v '^Time:' | cut -d' ' -f2-)
  log "postgres $name: ${ms} ms"
  record "postgres_$name" "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
}
for _ in $(seq "$RUNS"); do
  sql_run one "$sql_one"
  sql_run three "$sql_three"
done

log "DuckDB ASOF JOIN (duckdb_jdbc $DUCKDB_VERSION)"
duck=$(java -cp "$DUCKDB_JAR" "$BENCH_DIR/PitDuckDb.java" "$WORK/history.tsv" "$WORK/labels.csv" \
  "$cutoff" "$RUNS" 2>"$WORK/duckdb.log") || die "PitDuckDb failed: $(tail -5 "$WORK/duckdb.log")"
while read -r line; do
  case=$(kv case "$line")
  ms=$(kv ms "$line")
  if [ "$case" = load ]; then
    duck_load=$ms
    continue
  fi
  log "duckdb $case: ${ms} ms"
  record "duckdb_$case" "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
  if [ "$case" = one ]; then
    counts[duckdb_one]=$(kv profile "$line")
  else
    counts[duckdb_three]="$(kv profile "$line") $(kv activity "$line") $(kv support "$line")"
  fi
done < <(printf '%s\n' "$duck" | grep '^DUCKDB ')
[ -n "${duck_load:-}" ] || die "PitDuckDb printed no results: $duck"

check="not run (CHECK=0)"
if [ "$CHECK" = 1 ]; then
  for n in one three; do
    if [ "${counts[freshet_$n]}" != "${counts[postgres_$n]}" ] \
      || [ "${counts[freshet_$n]}" != "${counts[duckdb_$n]}" ]; then
      die "engines disagree on $n view(s): freshet ${counts[freshet_$n]}, postgres ${counts[postgres_$n]}, duckdb ${counts[duckdb_$n]}"
    fi
  done
  check="agree: non-null values one view ${counts[freshet_one]}; three views (profile activity support) ${counts[freshet_three]}"
fi

printf '\n%s label rows x %s history rows per view (%s customers, %s days); %s cores shared by all;\n' \
  "$ROWS" "$HISTORY" "$ENTITIES" "$DAYS" "$(nproc)"
version=${FRESHET_JAR:-$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)}
printf 'Freshet %s with %s, peak RSS %s; history COPY + index %.1f s; DuckDB load %s ms.\n' \
  "$version" "$JAVA_OPTS" \
  "$peak_rss" "$(awk -v a="$load_start" -v b="$load_end" 'BEGIN { print b - a }')" "$duck_load"
printf 'Counts %s. Times: best (first) of %s runs.\n\n' "$check" "$RUNS"
{
  echo "| path | views | seconds | rows/s | ÷ Postgres LATERAL |"
  echo "|---|---:|---:|---:|---:|"
  for n in one three; do
    views=$([ "$n" = one ] && echo 1 || echo 3)
    for engine in freshet postgres duckdb; do
      case $engine in
        freshet) label="Freshet POST /v1/features/historical (HTTP, NDJSON in, jsonl out)" ;;
        postgres) label="Postgres LEFT JOIN LATERAL ... LIMIT 1 (in the database)" ;;
        duckdb) label="DuckDB ASOF LEFT JOIN (in memory, loaded)" ;;
      esac
      awk -v label="$label" -v views="$views" -v rows="$ROWS" -v s="${best[${engine}_$n]}" \
        -v f="${first[${engine}_$n]}" -v pg="${best[postgres_$n]}" 'BEGIN {
        printf "| %s | %d | %.3f (%.3f) | %.0f | %.2f |\n", label, views, s, f, rows / s, s / pg }'
    done
  done
}
