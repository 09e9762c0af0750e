#!/usr/bin/env bash
# Windowed aggregations in snapshots: ROWS label rows against EVENTS card events (ENTITIES cards,
# DAYS days), seven aggregations of one event view (windows 1 h to 30 d: count, sum, mean, max,
# stddev, last, count_distinct), on the same data:
#   freshet  POST /v1/features/historical, NDJSON in, jsonl out, timed by curl from the first byte
#            of the request to the last of the response, Freshet started with JAVA_OPTS (default
#            -Xmx1g: the snapshot streams, its heap is bounded) and a 10-minute idle timeout
#   duckdb   the same seven values from their definition in SQL (AggDuckDb.java: every label row
#            joined to its card's events of the 30 days before it, each window a FILTER), in an
#            in-memory DuckDB, events and labels loaded before the clock starts
# With CHECK=1 (default) Freshet's values are compared with DuckDB's, row by row: counts,
# maxima and strings equal, sums, means and deviations within 1e-12. Events are loaded with COPY
# straight into the schema Freshet created (its index dropped during the load and rebuilt after).
#
#   loadtest/bench/aggregations.sh                 # 1M labels x 10M events of 100,000 cards
#   ROWS=20000 EVENTS=200000 ENTITIES=2000 loadtest/bench/aggregations.sh     # smoke run
# Settings (environment): ROWS, EVENTS, ENTITIES, DAYS (at least 31), RUNS (timed runs of each
# engine, best reported), CHECK, JAVA_OPTS, FRESHET_JAR (a prebuilt jar), DUCKDB_VERSION,
# FRESHET_PORT, PG_URL, REDIS_URL. Uses Postgres schema "aggbench" and Redis keys "aggbench:*",
# dropped at start and exit.
set -euo pipefail

ROWS=${ROWS:-1000000}
EVENTS=${EVENTS:-10000000}
ENTITIES=${ENTITIES:-100000}
DAYS=${DAYS:-60}
RUNS=${RUNS:-2}
CHECK=${CHECK:-1}
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
DUCKDB_VERSION=${DUCKDB_VERSION:-1.4.4.0}
FRESHET_PORT=${FRESHET_PORT:-18085}
BENCH_SCHEMA=aggbench
BENCH_PREFIX=aggbench:
VIEW=bench_card_events
# The files hold UTC times without a zone; every psql session reads them as UTC.
export PGTZ=UTC

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

bench_init
if [ -n "${FRESHET_JAR:-}" ]; then
  cp "$FRESHET_JAR" "$WORK/freshet.jar"
fi
DUCKDB_JAR=$(duckdb_jar)
url="http://127.0.0.1:$FRESHET_PORT"

# The repository's schemas and the benchmark's event view (bench_card_events.yaml).
mkdir -p "$WORK/schemas"
cp "$MAIN_DIR"/schemas/*.yaml "$BENCH_DIR/bench_card_events.yaml" "$WORK/schemas/"

log "Freshet ($JAVA_OPTS) creates schema $BENCH_SCHEMA"
# A snapshot sends its first row once its views are joined: minutes, at this size, with no byte on
# the connection meanwhile, so the idle timeout is raised past it.
start_freshet freshet-agg "$FRESHET_PORT" FRESHET_SCHEMAS_DIR="$WORK/schemas" \
  FRESHET_IDLE_TIMEOUT_MS=600000
freshet_pid=$STARTED_PID

log "generating $ROWS label rows and $EVENTS events over $ENTITIES cards ($DAYS days)"
gen=$(python3 "$BENCH_DIR/agg_data.py" --out "$WORK" --rows "$ROWS" --events "$EVENTS" \
  --entities "$ENTITIES" --days "$DAYS" --view "$VIEW")
cutoff=$(kv cutoff "$gen")
[ -n "$cutoff" ] || die "agg_data.py printed no cutoff: $gen"

log "loading events with COPY (partitions made, index dropped and rebuilt after)"
table="$BENCH_SCHEMA.event_history"
month_partitions "$table" "$DAYS"
load_start=$(date +%s.%N)
copy_indexed "$table" "view_name, entity_key, event_ts, ingested_at, seq, event_values" \
  "$WORK/events.tsv"
# What the view's ingest would have left: its newest event and ingestion (the stream's lag).
psql_bench -c "INSERT INTO $BENCH_SCHEMA.view_watermarks (view_name, last_event_ts, last_ingested_at)
  SELECT view_name, max(event_ts), max(ingested_at) FROM $table GROUP BY view_name
  ON CONFLICT (view_name) DO UPDATE SET last_event_ts = EXCLUDED.last_event_ts,
    last_ingested_at = EXCLUDED.last_ingested_at"
load_end=$(date +%s.%N)
loaded=$(psql_bench -At -c "SELECT count(*) FROM $table")
[ "$loaded" -eq "$EVENTS" ] || die "COPY loaded $loaded events, expected $EVENTS"

# freshet_run OUTPUT — one timed snapshot into OUTPUT; checks the status and the manifest.
freshet_run() {
  local output=$1 out code seconds id manifest
  out=$(curl -sS -o "$output" -D "$WORK/headers" -w '%{http_code} %{time_total}' \
    -H 'content-type: application/x-ndjson' --data-binary @"$WORK/request.ndjson" \
    "$url/v1/features/historical")
  code=${out% *}
  seconds=${out#* }
  [ "$code" = 200 ] || die "freshet: HTTP $code"
  id=$(tr -d '\r' <"$WORK/headers" | sed -n 's/^[Xx]-[Ss]napshot-[Ii]d: *//p')
  [ -n "$id" ] || die "freshet: no X-Snapshot-Id"
  manifest=$(curl -fsS "$url/v1/snapshots/$id") || die "freshet: no manifest for $id (error in the stream?)"
  python3 - "$manifest" "$ROWS" <<'PY' || die "freshet: manifest $manifest"
import json, sys
m, rows = json.loads(sys.argv[1]), int(sys.argv[2])
assert m["row_count"] == rows and m["leakage"]["future_values"] == 0, m
PY
  log "freshet: ${seconds}s, manifest row_count=$ROWS future_values=0"
  record freshet "$seconds"
}

for _ in $(seq "$RUNS"); do
  freshet_run /dev/null
done
if [ "$CHECK" = 1 ]; then
  freshet_run "$WORK/freshet.jsonl"
fi
peak_rss=$(awk '/VmHWM/ { printf "%.0f MB", $2 / 1024 }' "/proc/$freshet_pid/status")
stop_process "$freshet_pid"

log "DuckDB (duckdb_jdbc $DUCKDB_VERSION)"
check_args=()
[ "$CHECK" = 1 ] && check_args=("$WORK/freshet.jsonl" "$VIEW")
duck=$(java -cp "$DUCKDB_JAR" "$BENCH_DIR/AggDuckDb.java" "$WORK/events.tsv" "$WORK/labels.csv" \
  "$cutoff" "$RUNS" "${check_args[@]}" 2>"$WORK/duckdb.log") \
  || die "AggDuckDb failed: $(tail -5 "$WORK/duckdb.log")"
while read -r line; do
  case $(kv case "$line") in
    load) duck_load=$(kv ms "$line") ;;
    query)
      log "duckdb: $(kv ms "$line") ms"
      record duckdb "$(awk -v ms="$(kv ms "$line")" 'BEGIN { printf "%.3f", ms / 1000 }')" ;;
    check) check_line=${line#DUCKDB case=check } ;;
  esac
done < <(printf '%s\n' "$duck" | grep '^DUCKDB ')
[ -n "${duck_load:-}" ] || die "AggDuckDb printed no results: $duck"

check="not run (CHECK=0)"
if [ "$CHECK" = 1 ]; then
  [ -n "${check_line:-}" ] || die "AggDuckDb printed no check"
  mismatches=$(printf '%s\n' "$check_line" | tr ' ' '\n' | grep -v '^rows=' \
    | awk -F= '{ s += $2 } END { print s + 0 }')
  [ "$mismatches" -eq 0 ] || die "Freshet and DuckDB disagree: $check_line"
  check="agree on every value ($check_line)"
fi

printf '\n%s label rows x %s events (%s cards, %s days), 7 aggregations; %s cores shared by all; load average %s\n' \
  "$ROWS" "$EVENTS" "$ENTITIES" "$DAYS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
version=${FRESHET_JAR:-$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)}
printf 'Freshet %s with %s, peak RSS %s; events COPY + index %.1f s; DuckDB load %s ms.\n' \
  "$version" "$JAVA_OPTS" "$peak_rss" \
  "$(awk -v a="$load_start" -v b="$load_end" 'BEGIN { print b - a }')" "$duck_load"
printf 'Check: %s. Times: best (first) of %s runs.\n\n' "$check" "$RUNS"
echo "| path | seconds | rows/s | ÷ DuckDB |"
echo "|---|---:|---:|---:|"
for engine in freshet duckdb; do
  case $engine in
    freshet) label="Freshet POST /v1/features/historical (HTTP, NDJSON in, jsonl out)" ;;
    duckdb) label="DuckDB SQL from the definition (in memory, loaded)" ;;
  esac
  awk -v label="$label" -v rows="$ROWS" -v s="${best[$engine]}" -v f="${first[$engine]}" \
    -v d="${best[duckdb]}" 'BEGIN {
    printf "| %s | %.3f (%.3f) | %.0f | %.2f |\n", label, s, f, rows / s, s / d }'
done
