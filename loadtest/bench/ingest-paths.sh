#!/usr/bin/env bash
# How a batch can reach Postgres, in the database alone: IngestPaths.java (compiled against
# freshet.jar) times ROWS customer_profile rows in BATCH-row batches over CLIENTS connections for
# each way of writing them (Freshet's unnest statement with and without the repair log, the history
# insert alone, a multi-row VALUES list, the statement before partitioning), then psql COPY FROM
# STDIN loads the very same rows into a partitioned table of the same shape and index: the ceiling.
# No HTTP, validation or Redis: what is left is Postgres's share of an ingest.
#
#   loadtest/bench/ingest-paths.sh
#   CLIENTS=1 loadtest/bench/ingest-paths.sh
# Settings (environment): ROWS, BATCH, CLIENTS, PG_URL. Uses Postgres schemas "bench_paths",
# "bench_paths_unpartitioned" and "bench_paths_copy", dropped at start and exit.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN_DIR=$(dirname "$(dirname "$BENCH_DIR")")
ROWS=${ROWS:-100000}
BATCH=${BATCH:-1000}
CLIENTS=${CLIENTS:-4}
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
SCHEMA=bench_paths
COPY_SCHEMA=bench_paths_copy

psql_bench() {
  psql "$PG_URL" -X -q -v ON_ERROR_STOP=1 "$@"
}

WORK=$(mktemp -d /tmp/freshet-ingest-paths.XXXXXX)
cleanup() {
  for schema in "$SCHEMA" "${SCHEMA}_unpartitioned" "$COPY_SCHEMA"; do
    psql_bench -c "DROP SCHEMA IF EXISTS $schema CASCADE" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
cleanup
WORK=$(mktemp -d /tmp/freshet-ingest-paths.XXXXXX)

[ -f "$MAIN_DIR/target/freshet.jar" ] || (cd "$MAIN_DIR" && mvn -q -B package -DskipTests)
cp "$MAIN_DIR/target/freshet.jar" "$WORK/"
java -cp "$WORK/freshet.jar" "$BENCH_DIR/IngestPaths.java" \
  "$PG_URL" "$SCHEMA" "$ROWS" "$BATCH" "$CLIENTS" "$WORK/rows.copy" >"$WORK/paths.txt"

month=$(awk -F'\t' 'NR == 1 { print substr($3, 1, 7) }' "$WORK/rows.copy")
psql_bench -c "CREATE SCHEMA $COPY_SCHEMA" \
  -c "CREATE TABLE $COPY_SCHEMA.feature_history (view_name text NOT NULL, entity_key text NOT NULL,
      event_ts timestamptz NOT NULL, ingested_at timestamptz NOT NULL, feature_values jsonb NOT NULL)
      PARTITION BY RANGE (event_ts)" \
  -c "CREATE TABLE $COPY_SCHEMA.p PARTITION OF $COPY_SCHEMA.feature_history
      FOR VALUES FROM ('$month-01 00:00:00+00') TO (('$month-01 00:00:00+00'::timestamptz
      AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC')" \
  -c "CREATE UNIQUE INDEX ON $COPY_SCHEMA.feature_history
      (view_name, entity_key, event_ts DESC, ingested_at DESC)"
for round in 1 2 3; do
  psql_bench -c "TRUNCATE $COPY_SCHEMA.feature_history"
  copy_ms=$(psql_bench -c '\timing on' \
    -c "\\copy $COPY_SCHEMA.feature_history FROM '$WORK/rows.copy'" | awk '/^Time:/ { print $2 }')
  awk -v rows="$ROWS" -v ms="$copy_ms" 'BEGIN {
    printf "PATH name=copy clients=1 seconds=%.3f rows_per_s=%.0f\n", ms / 1000, rows / (ms / 1000) }' \
    >>"$WORK/paths.txt"
done
# Per path: the median and the range of its rounds.
awk '{ split($2, n, "="); split($5, r, "="); v[n[2]] = v[n[2]] " " r[2]; if (!(n[2] in seen)) { seen[n[2]] = 1; order[++k] = n[2] } }
  END {
    print "| path | rows/s (median) | range |"
    print "|---|---:|---|"
    for (i = 1; i <= k; i++) {
      m = split(substr(v[order[i]], 2), x, " ")
      for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (x[b] + 0 < x[a] + 0) { t = x[a]; x[a] = x[b]; x[b] = t }
      printf "| %s | %d | %d – %d |\n", order[i], x[int((m + 1) / 2)], x[1], x[m]
    }
  }' "$WORK/paths.txt"
printf '\n%s rows, %s-row batches, %s clients; Postgres alone, load average %s on %s cores.\n' \
  "$ROWS" "$BATCH" "$CLIENTS" "$(cut -d' ' -f1 /proc/loadavg)" "$(nproc)"
