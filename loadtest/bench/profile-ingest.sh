#!/usr/bin/env bash
# Where an ingested event's CPU goes, process by process, with the event-view ingest goal's load
# (bench_card_events.yaml: seven aggregations, windows 1 h to 30 d; 1,000-event batches over 4
# connections), against its ceiling in the same run. One Freshet gets CARDS cards x PER_CARD
# events over the last 29 days and every card is read once (which builds its tiles). Then ROUNDS
# rounds of CARDS x BUILT_PER_CARD more events go into the built tiles, stamped over the last
# BUILT_DAYS days (29; a fraction such as 0.0007, about a minute, for a live stream); the last
# round has twice as many, so that its profiles, 5 s from its second second, fall inside it.
# After each, a ceiling round writes the same events without Freshet (events.py ceiling: 4 psql
# COPY into a table of the event history's shape and unique index, and redis-cli --pipe adding one
# to each event's three tiles, at once). For each round: events a second, and the CPU an event of
# Freshet, of Postgres (the postmaster and every backend, from /proc), of Redis (INFO cpu) and of
# the client (the script's children: events.py, psql, redis-cli). During Freshet's last round:
#   * async-profiler samples Freshet (lib.sh's async_profile): freshet.collapsed.gz, freshet.txt;
#   * when perf is installed and allowed, perf samples the Postgres backends and Redis:
#     postgres.txt, redis.txt (self time by symbol).
# Everything goes to OUT (default loadtest/bench/profiles/<date>-<commit>-ingest).
#
#   loadtest/bench/profile-ingest.sh                  # ~4 min
#   PG_DATA=/var/lib/postgresql/15/main loadtest/bench/profile-ingest.sh
# PG_DATA is the data directory of the Postgres at PG_URL, for its postmaster's pid (default: the
# one `SHOW data_directory` names). Uses Postgres schemas bench_profile_ingest and
# bench_profile_ingest_ceiling and Redis keys bench-profile-ingest:*, dropped at start and exit;
# port FRESHET_PORT (18297).
set -euo pipefail

CARDS=${CARDS:-10000}
PER_CARD=${PER_CARD:-50}
BUILT_PER_CARD=${BUILT_PER_CARD:-20}
BUILT_DAYS=${BUILT_DAYS:-29}
ROUNDS=${ROUNDS:-3}
FRESHET_PORT=${FRESHET_PORT:-18297}
VIEW=bench_card_events
BENCH_SCHEMA=bench_profile_ingest
BENCH_PREFIX=bench-profile-ingest:
SCRATCH_SCHEMA=bench_profile_ingest_ceiling

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

COMMIT=$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)
OUT=${OUT:-$BENCH_DIR/profiles/$(date +%F)-$COMMIT-ingest}
mkdir -p "$OUT"
BASE="http://127.0.0.1:$FRESHET_PORT"

bench_init
PG_DATA=${PG_DATA:-$(psql_bench -At -c 'SHOW data_directory')}
[ -r "$PG_DATA/postmaster.pid" ] || die "cannot read $PG_DATA/postmaster.pid (set PG_DATA)"
POSTMASTER=$(head -1 "$PG_DATA/postmaster.pid")
mkdir -p "$WORK/schemas"
cp "$MAIN_DIR"/schemas/*.yaml "$BENCH_DIR/bench_card_events.yaml" "$WORK/schemas/"

start_freshet freshet "$FRESHET_PORT" FRESHET_SCHEMAS_DIR="$WORK/schemas"
FRESHET_PID=$STARTED_PID

events() {
  python3 "$BENCH_DIR/events.py" ingest --url "$BASE" --view "$VIEW" --cards "$CARDS" "$@"
}
ceiling() {
  python3 "$BENCH_DIR/events.py" ceiling --pg-url "$PG_URL" --redis-url "$REDIS_URL" \
    --table "$SCRATCH_SCHEMA.event_history" --prefix "${BENCH_PREFIX}ceiling:" --view "$VIEW" \
    --cards "$CARDS" "$@"
}

log "$CARDS cards x $PER_CARD events, then every card read once"
events --per-card "$PER_CARD" >&2
python3 "$BENCH_DIR/events.py" prime --url "$BASE" --view "$VIEW" \
  --feature "$VIEW:txn_count_1h" --cards "$CARDS" >&2

# The postmaster, its backends, and those that have exited meanwhile (the ceiling's COPY sessions,
# autovacuum workers).
postgres_ticks() {
  # shellcheck disable=SC2046 # one pid a word
  echo $(($(cpu_ticks "$POSTMASTER" $(pgrep -P "$POSTMASTER")) + $(reaped_ticks "$POSTMASTER")))
}
# children_seconds FILE — the CPU of every child this shell had reaped when `times` (run in this
# shell, not in a command substitution, which would be a child with no children of its own) wrote
# FILE: the client's, between two such files, as nothing else runs meanwhile.
children_seconds() {
  tail -n 1 "$1" | awk '{ for (i = 1; i <= 2; i++) { split($i, ms, /[ms]/); s += ms[1] * 60 + ms[2] } }
    END { printf "%.3f", s }'
}
perf_allowed() {
  command -v perf >/dev/null && perf record -q -o /dev/null -- true >/dev/null 2>&1
}

HZ=$(getconf CLK_TCK)
PERF=$(perf_allowed && echo yes || echo no)
psql_bench -c "CREATE SCHEMA $SCRATCH_SCHEMA;
  CREATE TABLE $SCRATCH_SCHEMA.event_history (LIKE $BENCH_SCHEMA.event_history)
    PARTITION BY RANGE (event_ts);
  CREATE UNIQUE INDEX ON $SCRATCH_SCHEMA.event_history
    (view_name, entity_key, event_ts, ingested_at, seq)"
month_partitions "$SCRATCH_SCHEMA.event_history" 31

printf '| round | what | events/s | Freshet µs an event | Postgres | Redis | client |\n|---|---|---:|---:|---:|---:|---:|\n' \
  >"$OUT/rounds.md"
profilers=()
# measure ROUND WHAT PER_CARD PROFILE — one round of CARDS x PER_CARD events, by WHAT (events or
# ceiling), with the profilers running from its second second when PROFILE is yes; its row goes
# to rounds.md.
measure() {
  local round=$1 what=$2 per_card=$3 profile=$4 client result n fa pa ra
  local fb pb rb
  fb=$(cpu_ticks "$FRESHET_PID") pb=$(postgres_ticks) rb=$(redis_cpu_seconds)
  times >"$WORK/times-before"
  "$what" --per-card "$per_card" --days "$BUILT_DAYS" >"$WORK/result" 2>&1 &
  client=$!
  if [ "$profile" = yes ]; then
    sleep 1
    async_profile "$FRESHET_PID" 5 "$OUT/freshet.collapsed" &
    profilers+=($!)
    if [ "$PERF" = yes ]; then
      # shellcheck disable=SC2046 # one pid a word, comma-joined
      perf record -q -F 499 -g -o "$WORK/postgres.data" -p "$(pgrep -d, -P "$POSTMASTER")" \
        -- sleep 5 >"$WORK/perf-postgres.log" 2>&1 &
      profilers+=($!)
      perf record -q -F 499 -g -o "$WORK/redis.data" -p "$(pgrep -x redis-server | head -1)" \
        -- sleep 5 >"$WORK/perf-redis.log" 2>&1 &
      profilers+=($!)
    fi
  fi
  wait "$client" || die "events.py $what failed: $(cat "$WORK/result")"
  times >"$WORK/times-after"
  result=$(grep -E '^(INGEST|CEILING)_RESULT' "$WORK/result")
  n=$(kv events "$result")
  fa=$(cpu_ticks "$FRESHET_PID") pa=$(postgres_ticks) ra=$(redis_cpu_seconds)
  awk -v r="$round" -v what="$what" -v rate="$(kv events_per_s "$result")" -v n="$n" -v hz="$HZ" \
    -v f="$((fa - fb))" -v p="$((pa - pb))" -v rb="$rb" -v ra="$ra" \
    -v c="$(children_seconds "$WORK/times-before")" -v c2="$(children_seconds "$WORK/times-after")" \
    'BEGIN { printf "| %d | %s | %d | %.1f | %.1f | %.1f | %.1f |\n", r, what == "events" ? "Freshet" : "ceiling",
      rate, f * 1e6 / hz / n, p * 1e6 / hz / n, (ra - rb) * 1e6 / n, (c2 - c) * 1e6 / n }' >>"$OUT/rounds.md"
  log "round $round: $result"
}
for round in $(seq "$ROUNDS"); do
  per_card=$BUILT_PER_CARD last=no
  if [ "$round" -eq "$ROUNDS" ]; then
    per_card=$((2 * BUILT_PER_CARD)) last=yes
  fi
  measure "$round" events "$per_card" "$last"
  measure "$round" ceiling "$per_card" no
done
for profiler in "${profilers[@]}"; do
  wait "$profiler" || log "a profiler failed: $(cat "$WORK"/perf-*.log 2>/dev/null)"
done
python3 "$BENCH_DIR/collapsed_top.py" "$OUT/freshet.collapsed" >"$OUT/freshet.txt"
gzip -9f "$OUT/freshet.collapsed"
for process in postgres redis; do
  if [ -f "$WORK/$process.data" ]; then
    perf report -i "$WORK/$process.data" -g none --no-children --sort symbol --stdio 2>/dev/null \
      | grep -E '^ +[0-9.]+%' | awk 'NR <= 40' >"$OUT/$process.txt"
  fi
done
printf 'Freshet %s, load average %s, %s cards x %s events, then rounds of %s x %s over %s days into built tiles\n\n' \
  "$COMMIT" "$(cut -d' ' -f1-3 /proc/loadavg)" "$CARDS" "$PER_CARD" "$CARDS" "$BUILT_PER_CARD" "$BUILT_DAYS"
cat "$OUT/rounds.md"
printf '\nprofiles in %s\n' "$OUT"
