#!/usr/bin/env bash
# The serving benchmark, in one command: every online-read load against the ceilings it is judged
# by, on the same machine in the same run, each target alone.
#   wrk (closed loop, -t1 -c32, after a warm-up):
#     bare            BareJsonServer: Vert.x answering a fixed body the size of Freshet's answer
#     redis-hgetall   RedisHgetallServer: Vert.x plus one HGETALL, the ceiling for warm reads
#     hot             1 entity x 10 features from the hot tier (online.lua)
#     warm            the same with the hot tier off: every value from Redis
#     batch-*-flat    100 entities x 50 features (batch.lua), rows/columns x status/full
#   OpenLoad (open model: latency from when each request was due; loadtest/.../drive/OpenLoad):
#     batch-*-paced   the four batch shapes at BATCH_RATE (100) requests a second
#     hot-max         a closed loop of 64: the most single-entity reads the generator gets answered
#     hot-half        single entity at half that rate
#     overload        single entity at twice that rate for OVERLOAD_SECONDS (60), then half of
#                     it for 15 s: answered 200s, refusals, failures, the warm tier's state, and
#                     how soon it was back to full speed
# Prints a table with each figure, its ceiling and the ratio, the commit, JVM options and load
# average. Freshet runs with FRESHET_JAVA_OPTS (default: the options the README ships).
#
#   loadtest/bench/online.sh                               # ~12 min
#   DURATION=5 WARMUP=3 OVERLOAD_SECONDS=10 loadtest/bench/online.sh   # a quick smoke run
# Uses Postgres schema "bench" and Redis keys "bench:*", dropped at start and exit; ports
# FRESHET_PORT (18080), BARE_PORT (18081), REDIS_CEILING_PORT (18082).
set -euo pipefail

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
CUSTOMERS=${CUSTOMERS:-10000}
BATCH_RATE=${BATCH_RATE:-100}
OVERLOAD_SECONDS=${OVERLOAD_SECONDS:-60}
export HOT_SET=${HOT_SET:-1000}
FRESHET_PORT=${FRESHET_PORT:-18080}
BARE_PORT=${BARE_PORT:-18081}
REDIS_CEILING_PORT=${REDIS_CEILING_PORT:-18082}
BENCH_SCHEMA=bench
BENCH_PREFIX=bench:
CEILING_KEY=${BENCH_PREFIX}ceiling:customer

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

JAVA_OPTS=${FRESHET_JAVA_OPTS:-$SHIPPED_JAVA_OPTS}
export JAVA_OPTS
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
BASE="http://127.0.0.1:$FRESHET_PORT"

# The ceiling's hash: the ten features, each value with its timestamps and the meta Freshet
# sends beside it, so the ceiling's answer is the size of Freshet's.
seed_ceiling_hash() {
  local meta='"event_timestamp":"2026-11-24T03:50:00Z","ingested_at":"2026-11-24T03:50:01.123456Z",'
  meta+='"age_ms":600000,"status":"FRESH","tier":"warm"'
  local fields=() pair
  for pair in customer_profile:age=41 'customer_profile:plan="pro"' customer_profile:tenure_days=400 \
    customer_profile:monthly_spend=42.5 customer_activity:sessions_7d=12 \
    customer_activity:minutes_7d=130.5 customer_activity:last_login_days=1 \
    customer_support:tickets_30d=2 customer_support:open_tickets=0 customer_support:csat_score=4.5; do
    fields+=("${pair%%=*}" "{\"value\":${pair#*=},$meta}")
  done
  redis-cli -u "$REDIS_URL" HSET "$CEILING_KEY" "${fields[@]}" >/dev/null
}

# flat NAME PORT SCRIPT [VAR=VALUE...] — wrk warm-up, then the measured run; a row of $WORK/rows:
# name, req/s, p50, p90, p99 (ms), errors.
flat() {
  local name=$1 port=$2 script=$3
  shift 3
  log "$name: wrk ${WARMUP}s + ${DURATION}s"
  env "$@" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BENCH_DIR/$script" "http://127.0.0.1:$port" >/dev/null
  env "$@" wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH_DIR/$script" \
    "http://127.0.0.1:$port" | grep '^WRK_RESULT' | awk -v name="$name" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
      printf "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%d\n", name, r["requests"] / (r["duration_us"] / 1e6),
        r["p50_us"] / 1000, r["p90_us"] / 1000, r["p99_us"] / 1000, r["socket_errors"] + r["non2xx"] }' \
    >>"$WORK/rows"
}

# open NAME ARGS... — OpenLoad against Freshet; its OPEN_RESULT and SECOND lines go to
# $WORK/open-NAME, the last phase's result to $WORK/rows (req/s = answered 200s a second).
open_load() {
  local name=$1
  shift
  log "$name: OpenLoad $*"
  java -cp "$WORK/freshet-ceilings.jar" io.freshet.loadtest.drive.OpenLoad --url="$BASE" \
    --hot-set="$HOT_SET" "$@" >"$WORK/open-$name"
  grep '^OPEN_RESULT' "$WORK/open-$name" | tail -n 1 | awk -v name="$name" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
      printf "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%d\n", name, r["ok_per_s"], r["p50_us"] / 1000,
        r["p90_us"] / 1000, r["p99_us"] / 1000, r["failed"] }' >>"$WORK/rows"
}

field() {
  awk -F '\t' -v name="$1" -v col="$2" '$1 == name { print $col }' "$WORK/rows"
}

bench_init
CEILINGS=(java -cp "$WORK/freshet-ceilings.jar")

start_freshet freshet-seed "$FRESHET_PORT"
log "seeding $CUSTOMERS customers into every customer view"
"${CEILINGS[@]}" io.freshet.loadtest.seed.Seeder --url="$BASE" --entities="$CUSTOMERS" \
  --views=customer >&2
stop_process "$STARTED_PID"
seed_ceiling_hash

start_process bare 'ceiling bare-json listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.BareJsonServer --port="$BARE_PORT"
flat bare "$BARE_PORT" online.lua
stop_process "$STARTED_PID"

start_process redis-hgetall 'ceiling redis-hgetall listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.RedisHgetallServer --port="$REDIS_CEILING_PORT" \
  --redis="$REDIS_URL" --key="$CEILING_KEY"
flat redis-hgetall "$REDIS_CEILING_PORT" online.lua
stop_process "$STARTED_PID"

start_freshet freshet-warm "$FRESHET_PORT" FRESHET_HOT_MAX_ENTRIES=0
flat warm "$FRESHET_PORT" online.lua
stop_process "$STARTED_PID"

start_freshet freshet "$FRESHET_PORT"
FRESHET_PID=$STARTED_PID
flat hot "$FRESHET_PORT" online.lua
for layout in rows columns; do
  for meta in status full; do
    flat "batch-$layout-$meta-flat" "$FRESHET_PORT" batch.lua HOT_SET="$CUSTOMERS" \
      LAYOUT="$layout" META="$meta"
    open_load "batch-$layout-$meta-paced" --body=batch --layout="$layout" --meta="$meta" \
      --hot-set="$CUSTOMERS" --connections=64 --phases="$BATCH_RATE@$WARMUP,$BATCH_RATE@$DURATION"
  done
done

open_load hot-max --body=hot --in-flight=64 --phases="0@$WARMUP,0@$DURATION"
MAX=$(field hot-max 2)
open_load hot-half --body=hot --phases="$((MAX / 2))@$WARMUP,$((MAX / 2))@$DURATION"
downs_before=$(grep -c 'warm tier (Redis) is down' "$WORK/freshet.log" || true)
open_load overload --body=hot --connections=1024 --timeline \
  --phases="$((MAX / 2))@$WARMUP,$((2 * MAX))@$OVERLOAD_SECONDS,$((MAX / 2))@15"
downs=$(($(grep -c 'warm tier (Redis) is down' "$WORK/freshet.log" || true) - downs_before))
stop_process "$FRESHET_PID"

# The overload phase itself (the second), and how many seconds after it the half-rate phase
# answered its full rate again with a p99 no worse than the half-rate run's.
read -r over_ok over_refused over_failed over_p99 <<<"$(grep '^OPEN_RESULT' "$WORK/open-overload" \
  | sed -n 2p | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
    print r["ok_per_s"], r["refused"], r["failed"], r["p99_us"] / 1000 }')"
half_p99_us=$(awk -F '\t' '$1 == "hot-half" { print $5 * 1000 }' "$WORK/rows")
recovered=$(grep "^SECOND phase=$((MAX / 2))@15 " "$WORK/open-overload" | awk -v rate=$((MAX / 2)) \
  -v p99="$half_p99_us" '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
    if (r["ok"] >= 0.95 * rate && r["p99_us"] <= 2 * p99 + 1000) { print r["second"]; exit } }')

printf '\nFreshet %s; JVM options: %s; %s cores shared by the load generator, the server, Redis and\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "${JAVA_OPTS:-none}" "$(nproc)"
printf 'Postgres; load average at the end %s. wrk -t1 -c%s, %ss after %ss warm-up; %s customers seeded, %s read.\n\n' \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$CONNECTIONS" "$DURATION" "$WARMUP" "$CUSTOMERS" "$HOT_SET"
echo '| load | req/s | p50 ms | p90 ms | p99 ms | errors | compared with | ratio |'
echo '|---|---:|---:|---:|---:|---:|---|---:|'
awk -F '\t' -v bare="$(field bare 2)" -v redis="$(field redis-hgetall 2)" '{
    vs = "-"; ratio = "-"
    if ($1 == "hot") { vs = "bare req/s"; ratio = sprintf("%.2f", $2 / bare) }
    if ($1 == "warm") { vs = "redis-hgetall req/s"; ratio = sprintf("%.2f", $2 / redis) }
    if ($1 == "hot-half") { vs = "p99 ÷ p50"; ratio = sprintf("%.1f", $5 / $3) }
    printf "| %s | %d | %.2f | %.2f | %.2f | %d | %s | %s |\n", $1, $2, $3, $4, $5, $6, vs, ratio }' \
  "$WORK/rows"
printf '\nOverload (open model, %s s at %s req/s = 2 x the closed-loop maximum %s): answered 200s %s a second\n' \
  "$OVERLOAD_SECONDS" "$((2 * MAX))" "$MAX" "$over_ok"
printf '(%.2f x the maximum), p99 of those %.2f ms, refused 503 %s, other failures %s; warm tier marked down %s times;\n' \
  "$(echo "$over_ok / $MAX" | bc -l)" "$over_p99" "$over_refused" "$over_failed" "$downs"
printf 'back to full speed %s s after the load ended.\n' "${recovered:-(not within 15)}"
