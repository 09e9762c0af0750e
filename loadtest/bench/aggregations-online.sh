#!/usr/bin/env bash
# Event views online, each figure against its ceiling in the same run (bench_card_events.yaml:
# seven aggregations, windows 1 h to 30 d; the stored equivalent is seven churn features of
# customer_profile and customer_activity):
#   ingest         INGEST_ROUNDS rounds of CARDS x BUILT_PER_CARD events in 1,000-event batches
#                  over 4 connections (events.py), stamped over the last BUILT_DAYS days (29; a
#                  fraction such as 0.0007, about a minute, for a live stream), after every card
#                  has been read once, so that each event is merged into its card's built tiles:
#                  events a second, the median of the rounds (one round swings by a quarter on a
#                  shared machine). The CARDS x PER_CARD events before the reads go to cards whose
#                  tiles are not built yet (a write then only moves their generation): that rate
#                  is printed too, not compared with the goal
#   agg-7 / stored-7          1 entity x 7 aggregations against 1 entity x 7 stored features,
#                             wrk -t1 -c32 closed loop: req/s
#   batch-agg / batch-stored  100 entities each, wrk2 at BATCH_RATE a second: p99
#   heavy          one card with HEAVY events in its 30-day window, wrk2 at HEAVY_RATE: p99
#   visible        an event written through one instance, its count read through a second one in
#                  a loop until it shows (events.py visible: writes go round 100 cards, after 200
#                  that are not counted while the new instance compiles): write-to-visible p50, p99
#
#   loadtest/bench/aggregations-online.sh                      # ~8 min
#   DURATION=5 WARMUP=3 HEAVY=50000 PER_CARD=5 loadtest/bench/aggregations-online.sh   # smoke
# Settings (environment): CARDS, PER_CARD, BUILT_PER_CARD, BUILT_DAYS, INGEST_ROUNDS, CUSTOMERS (stored: seeded customers),
# HEAVY, DURATION, WARMUP, CONNECTIONS, BATCH_RATE, HEAVY_RATE, WRITES (visibility samples),
# JAVA_OPTS, FRESHET_PORT (the second instance takes the next port). Uses Postgres schema "bench_agg_online"
# and Redis keys "bench_agg_online:*", dropped at start and exit.
set -euo pipefail

CARDS=${CARDS:-10000}
PER_CARD=${PER_CARD:-50}
BUILT_PER_CARD=${BUILT_PER_CARD:-20}
BUILT_DAYS=${BUILT_DAYS:-29}
INGEST_ROUNDS=${INGEST_ROUNDS:-3}
CUSTOMERS=${CUSTOMERS:-10000}
HEAVY=${HEAVY:-1000000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
BATCH_RATE=${BATCH_RATE:-100}
HEAVY_RATE=${HEAVY_RATE:-200}
WRITES=${WRITES:-1000}
FRESHET_PORT=${FRESHET_PORT:-18087}
BENCH_SCHEMA=bench_agg_online
BENCH_PREFIX=bench_agg_online:
VIEW=bench_card_events
HEAVY_CARD=999999999

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
WRK2_BIN=$(wrk2_path)
BASE="http://127.0.0.1:$FRESHET_PORT"
AGGREGATIONS=$(printf "$VIEW:%s," txn_count_1h amount_sum_1d amount_mean_7d amount_max_30d \
  amount_stddev_7d last_category categories_7d)
STORED=$(printf "%s," customer_profile:age customer_profile:plan customer_profile:tenure_days \
  customer_profile:monthly_spend customer_activity:sessions_7d customer_activity:minutes_7d \
  customer_activity:last_login_days)

bench_init
mkdir -p "$WORK/schemas"
cp "$MAIN_DIR"/schemas/*.yaml "$BENCH_DIR/bench_card_events.yaml" "$WORK/schemas/"
start_freshet freshet-a "$FRESHET_PORT" FRESHET_SCHEMAS_DIR="$WORK/schemas"

log "seeding $CUSTOMERS customers into every customer view"
java -cp "$WORK/freshet-ceilings.jar" io.freshet.loadtest.seed.Seeder --url="$BASE" \
  --entities="$CUSTOMERS" --views=customer >&2
log "ingest: $CARDS cards x $PER_CARD events"
unbuilt=$(python3 "$BENCH_DIR/events.py" ingest --url "$BASE" --view "$VIEW" --cards "$CARDS" \
  --per-card "$PER_CARD")
log "$unbuilt"
log "heavy card: $HEAVY events"
python3 "$BENCH_DIR/events.py" ingest --url "$BASE" --view "$VIEW" --cards 1 \
  --first-card "$HEAVY_CARD" --per-card "$HEAVY" >&2
# A card's first read builds its tiles from Postgres: timed apart, so the loads below measure
# reads of built tiles (over DURATION, which should span a minute boundary: see BENCHMARKS.md).
prime_start=$(date +%s.%N)
python3 "$BENCH_DIR/events.py" prime --url "$BASE" --view "$VIEW" --feature "$VIEW:txn_count_1h" \
  --cards "$CARDS" >&2
prime_seconds=$(awk -v a="$prime_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
rates=()
for round in $(seq "$INGEST_ROUNDS"); do
  log "ingest into built tiles, round $round: $CARDS cards x $BUILT_PER_CARD events"
  ingest=$(python3 "$BENCH_DIR/events.py" ingest --url "$BASE" --view "$VIEW" --cards "$CARDS" \
    --per-card "$BUILT_PER_CARD" --days "$BUILT_DAYS")
  log "$ingest"
  rates+=("$(kv events_per_s "$ingest")")
done
ingest_median=$(printf '%s\n' "${rates[@]}" | sort -n | awk '{ v[NR] = $1 }
  END { printf "%.0f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')

: >"$WORK/rows"
flat stored-7 "$FRESHET_PORT" agg.lua "$CONNECTIONS" FEATURES="$STORED" HOT_SET="$CUSTOMERS"
flat agg-7 "$FRESHET_PORT" agg.lua "$CONNECTIONS" FEATURES="$AGGREGATIONS" HOT_SET="$CARDS" \
  KEY_FIELD=card_id KEY_STRING=1
paced batch-stored "$BATCH_RATE" "$DURATION" "$PACED_BATCH_CONNECTIONS" agg.lua FEATURES="$STORED" \
  HOT_SET="$CUSTOMERS" BATCH=100
paced batch-agg "$BATCH_RATE" "$DURATION" "$PACED_BATCH_CONNECTIONS" agg.lua FEATURES="$AGGREGATIONS" HOT_SET="$CARDS" \
  KEY_FIELD=card_id KEY_STRING=1 BATCH=100
paced heavy "$HEAVY_RATE" "$DURATION" 8 agg.lua FEATURES="$AGGREGATIONS" KEY="$HEAVY_CARD" \
  KEY_FIELD=card_id KEY_STRING=1

start_freshet freshet-b "$((FRESHET_PORT + 1))" FRESHET_SCHEMAS_DIR="$WORK/schemas"
log "visibility: $WRITES events through A, read through B"
visible=$(python3 "$BENCH_DIR/events.py" visible --writer "$BASE" \
  --reader "http://127.0.0.1:$((FRESHET_PORT + 1))" --view "$VIEW" \
  --feature "$VIEW:txn_count_1h" --writes "$WRITES")

commit=$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)
printf '\nFreshet %s (%s); %s cores shared with wrk, Redis and Postgres; load average %s.\n' \
  "$commit" "${JAVA_OPTS:-no JVM options}" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%s cards x %s events, the heavy card %s events, %s customers stored; every card read once\n' \
  "$CARDS" "$PER_CARD" "$HEAVY" "$CUSTOMERS"
printf 'first (its tiles built from Postgres), 100 a request, in %s s.\n\n' "$prime_seconds"
echo "| load | req/s | p50 ms | p90 ms | p99 ms | non-2xx | socket errors |"
echo "|---|---:|---:|---:|---:|---:|---:|"
awk -F '\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' \
  "$WORK/rows"
echo
echo "| goal | measured |"
echo "|---|---|"
awk -v a="$(row_field agg-7 2)" -v s="$(row_field stored-7 2)" \
  'BEGIN { printf "| 1 x 7 aggregations ≥ 0.8× 1 x 7 stored (req/s) | %.2f× |\n", a / s }'
awk -v a="$(row_field batch-agg 5)" -v s="$(row_field batch-stored 5)" \
  'BEGIN { printf "| batch-100 p99 ≤ 1.5× stored | %.2f× (%.2f ms against %.2f ms) |\n", a / s, a, s }'
printf '| heavy card (%s events), p99 ≤ 5 ms | %s ms |\n' "$HEAVY" "$(row_field heavy 5)"
printf '| ingest with 7 aggregations ≥ 50,000 events/s | %s events/s into built tiles, stamped over the last %s days, median of %s rounds (%s; %s before the first reads, into unbuilt ones) |\n' \
  "$ingest_median" "$BUILT_DAYS" "$INGEST_ROUNDS" "${rates[*]}" "$(kv events_per_s "$unbuilt")"
printf '| visible on another instance, p99 ≤ 10 ms | p99 %s ms (p50 %s, max %s; %s of %s seen on the first read) |\n' \
  "$(kv p99_ms "$visible")" "$(kv p50_ms "$visible")" "$(kv max_ms "$visible")" \
  "$(kv seen_on_first_read "$visible")" "$(kv writes "$visible")"
