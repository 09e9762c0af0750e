#!/usr/bin/env bash
# Two builds side by side on event views (bench_card_events.yaml: seven aggregations, windows 1 h
# to 30 d). Each build gets CARDS cards x PER_CARD events over the last 29 days, then every card is
# read once (which builds its tiles). Then, alternating between the builds (A, B, A, B, ...):
#   ingest  ROUNDS rounds of CARDS x BUILT_PER_CARD more events into the built tiles through
#           events.py (1,000-event batches, 4 connections), stamped over the last BUILT_DAYS days
#           (29; 0.0007, about a minute, for a live stream), the load of the ingest goal: events a
#           second, and Redis's CPU an event (INFO cpu before and after; nothing else runs then)
#   agg-7   ALTS rounds of ROUND seconds of 1 card x 7 aggregations, wrk -t1 -c32 closed loop
#           (agg.lua, cards at random), after a WARMUP-second round of each: req/s, p50, p99
#   batch   ALTS rounds of BATCH_ROUND seconds of 100 cards x 7 aggregations, wrk2 at BATCH_RATE
#           a second over 4 connections (as aggregations-online.sh's batch-agg), after a warm-up
#           round of each: p50, p99
#   heavy   ALTS rounds of HEAVY_ROUND seconds of 1 card x 7 aggregations on one card with HEAVY
#           events in its 30-day window, wrk2 at HEAVY_RATE a second over 8 connections (as
#           aggregations-online.sh's heavy), after a warm-up round of each: p50, p99
# PHASES picks among them (default "ingest agg7 batch heavy"); the heavy card is only loaded when
# heavy is one of them.
# Both servers use the same Redis, so every round sees both builds' keys.
#
#   loadtest/bench/aggregations-ab.sh OLD.jar NEW.jar                              # ~10 min
#   CARDS=2000 ROUNDS=2 ALTS=2 HEAVY=50000 loadtest/bench/aggregations-ab.sh OLD.jar NEW.jar  # smoke
#   PHASES=heavy CARDS=100 loadtest/bench/aggregations-ab.sh OLD.jar NEW.jar       # heavy only
# Uses Postgres schemas bench_agg_ab_a and bench_agg_ab_b and Redis keys bench-agg-ab:*, dropped
# at start and exit; ports 18294 and 18295.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 A.jar B.jar" >&2; exit 2; }

CARDS=${CARDS:-10000}
PER_CARD=${PER_CARD:-50}
BUILT_PER_CARD=${BUILT_PER_CARD:-20}
BUILT_DAYS=${BUILT_DAYS:-29}
ROUNDS=${ROUNDS:-4}
ALTS=${ALTS:-6}
ROUND=${ROUND:-10}
WARMUP=${WARMUP:-10}
BATCH_ROUND=${BATCH_ROUND:-20}
BATCH_RATE=${BATCH_RATE:-100}
HEAVY=${HEAVY:-1000000}
HEAVY_ROUND=${HEAVY_ROUND:-20}
HEAVY_RATE=${HEAVY_RATE:-200}
PHASES=${PHASES:-ingest agg7 batch heavy}
HEAVY_CARD=999999999
VIEW=bench_card_events
BENCH_SCHEMA=bench_agg_ab_a
SCRATCH_SCHEMA=bench_agg_ab_b
BENCH_PREFIX=bench-agg-ab:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
WRK2_BIN=$(wrk2_path)
bench_init
mkdir -p "$WORK/schemas"
cp "$MAIN_DIR"/schemas/*.yaml "$BENCH_DIR/bench_card_events.yaml" "$WORK/schemas/"
phase() {
  [[ " $PHASES " == *" $1 "* ]]
}
declare -A PORT=([A]=18294 [B]=18295) SCHEMA=([A]=bench_agg_ab_a [B]=bench_agg_ab_b)
for j in A B; do
  jar=$1
  [ "$j" = B ] && jar=$2
  cp "$jar" "$WORK/freshet-$j.jar"
  # shellcheck disable=SC2086 # JAVA_OPTS holds several words on purpose
  start_process "freshet-$j" 'freshet listening on http://' \
    env FRESHET_HTTP_PORT="${PORT[$j]}" FRESHET_PG_SCHEMA="${SCHEMA[$j]}" \
    FRESHET_REDIS_KEY_PREFIX="$BENCH_PREFIX$j:" FRESHET_PG_URL="$PG_URL" \
    FRESHET_REDIS_URL="$REDIS_URL" FRESHET_SCHEMAS_DIR="$WORK/schemas" \
    java ${JAVA_OPTS:-} -jar "$WORK/freshet-$j.jar"
  log "$j: $CARDS cards x $PER_CARD events, then every card read once"
  python3 "$BENCH_DIR/events.py" ingest --url "http://127.0.0.1:${PORT[$j]}" --view "$VIEW" \
    --cards "$CARDS" --per-card "$PER_CARD" >&2
  python3 "$BENCH_DIR/events.py" prime --url "http://127.0.0.1:${PORT[$j]}" --view "$VIEW" \
    --feature "$VIEW:txn_count_1h" --cards "$CARDS" >&2
  if phase heavy; then
    log "$j: the heavy card, $HEAVY events, then read once"
    python3 "$BENCH_DIR/events.py" ingest --url "http://127.0.0.1:${PORT[$j]}" --view "$VIEW" \
      --cards 1 --first-card "$HEAVY_CARD" --per-card "$HEAVY" >&2
    python3 "$BENCH_DIR/events.py" prime --url "http://127.0.0.1:${PORT[$j]}" --view "$VIEW" \
      --feature "$VIEW:txn_count_1h" --cards 1 --first-card "$HEAVY_CARD" >&2
  fi
done

if phase ingest; then
  log "$ROUNDS alternating rounds of $CARDS cards x $BUILT_PER_CARD events into built tiles"
  : >"$WORK/ingest"
  for round in $(seq "$ROUNDS"); do
    for j in A B; do
      before=$(redis_cpu_seconds)
      result=$(python3 "$BENCH_DIR/events.py" ingest --url "http://127.0.0.1:${PORT[$j]}" \
        --view "$VIEW" --cards "$CARDS" --per-card "$BUILT_PER_CARD" --days "$BUILT_DAYS")
      after=$(redis_cpu_seconds)
      echo "$j $round $(kv events "$result") $(kv events_per_s "$result") $before $after" >>"$WORK/ingest"
      log "$j round $round: $result"
    done
  done
fi

AGGREGATIONS=$(printf "$VIEW:%s," txn_count_1h amount_sum_1d amount_mean_7d amount_max_30d \
  amount_stddev_7d last_category categories_7d)
if phase agg7; then
  round() {
    env FEATURES="$AGGREGATIONS" HOT_SET="$CARDS" KEY_FIELD=card_id KEY_STRING=1 \
      wrk -t1 -c32 -d"$2s" --latency -s "$BENCH_DIR/agg.lua" "http://127.0.0.1:${PORT[$1]}" \
      | grep '^WRK_RESULT'
  }
  alternate_rounds A B
  mv "$WORK/rounds" "$WORK/rounds-agg7"
fi
# paced_rounds RATE CONNECTIONS ENV... — alternating rounds of wrk2 at RATE a second, 1 thread.
paced_rounds() {
  local rate=$1 connections=$2
  shift 2
  round() {
    env FEATURES="$AGGREGATIONS" KEY_FIELD=card_id KEY_STRING=1 "${PACED_ENV[@]}" \
      "$WRK2_BIN" -t1 -c"$PACED_CONNECTIONS" -R"$PACED_RATE" -d"$2s" --timeout 10s \
      -s "$BENCH_DIR/agg.lua" "http://127.0.0.1:${PORT[$1]}" | grep '^WRK_RESULT'
  }
  PACED_RATE=$rate PACED_CONNECTIONS=$connections PACED_ENV=("$@")
  alternate_rounds A B
}
if phase batch; then
  ROUND=$BATCH_ROUND paced_rounds "$BATCH_RATE" "$PACED_BATCH_CONNECTIONS" HOT_SET="$CARDS" BATCH=100
  mv "$WORK/rounds" "$WORK/rounds-batch"
fi
if phase heavy; then
  ROUND=$HEAVY_ROUND paced_rounds "$HEAVY_RATE" 8 KEY="$HEAVY_CARD"
  mv "$WORK/rounds" "$WORK/rounds-heavy"
fi

# The tile keys of a build's CARDS cards (not the heavy card's).
tile_keys() {
  redis-cli -u "$REDIS_URL" --scan --pattern "$BENCH_PREFIX$1:*~tile*" | grep -v ":$HEAVY_CARD}"
}

# The bytes Redis holds for a build's tiles (MEMORY USAGE of every key, all its fields counted).
tile_bytes() {
  tile_keys "$1" | awk '{ print "MEMORY USAGE " $0 " SAMPLES 0" }' | redis-cli -u "$REDIS_URL" \
    | awk '{ s += $1 } END { printf "%.0f", s }'
}

printf '\nA = %s, B = %s; JVM options: %s; %s cores shared by the client, both servers, Redis and\n' \
  "$(basename "$1")" "$(basename "$2")" "${JAVA_OPTS:-none}" "$(nproc)"
printf 'Postgres; load average %s. %s cards x %s events, every card read, then rounds of %s x %s.\n' \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$CARDS" "$PER_CARD" "$CARDS" "$BUILT_PER_CARD"
printf 'Redis keys of tiles: A %s, B %s; their bytes a card: A %s, B %s.\n\n' "$(tile_keys A | wc -l)" "$(tile_keys B | wc -l)" \
  "$(( $(tile_bytes A) / CARDS ))" "$(( $(tile_bytes B) / CARDS ))"
if phase ingest; then
  awk '
    { build[NR] = $1; rate[$1] = rate[$1] " " $4; n[$1]++
      us = ($6 - $5) * 1e6 / $3; redis[$1] = redis[$1] " " sprintf("%.1f", us)
      rs[$1, n[$1]] = $4; ru[$1, n[$1]] = us }
    function median(arr, b, count,   i, j, t, v) {
      for (i = 1; i <= count; i++) v[i] = arr[b, i]
      for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
      return count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2
    }
    END {
      print "| build | events/s (median) | Redis CPU µs an event (median) | events/s per round | Redis µs per round |"
      print "|---|---:|---:|---|---|"
      for (b = 0; b < 2; b++) {
        j = b ? "B" : "A"
        m[j] = median(rs, j, n[j]); u[j] = median(ru, j, n[j])
        printf "| %s | %.0f | %.1f |%s |%s |\n", j, m[j], u[j], rate[j], redis[j]
      }
      printf "\nB ÷ A: events/s %.2f, Redis CPU an event %.2f\n\n", m["B"] / m["A"], u["B"] / u["A"]
    }' "$WORK/ingest"
fi
if phase agg7; then
  python3 "$BENCH_DIR/rounds.py" "$WORK/rounds-agg7" "agg-7" A B
  echo
fi
if phase batch; then
  python3 "$BENCH_DIR/rounds.py" "$WORK/rounds-batch" "batch, $BATCH_RATE/s" A B
  echo
fi
if phase heavy; then
  python3 "$BENCH_DIR/rounds.py" "$WORK/rounds-heavy" "heavy card ($HEAVY events), $HEAVY_RATE/s" A B
fi
