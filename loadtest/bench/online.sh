#!/usr/bin/env bash
# The serving benchmark, in one command: every online-read load against the ceilings it is judged
# by, on the same machine in the same run, each target alone.
#   wrk (closed loop, -t1 -c32, after a warm-up):
#     bare            BareJsonServer: Vert.x answering a fixed body the size of Freshet's answer
#     redis-hgetall   RedisHgetallServer: Vert.x plus one HGETALL, the ceiling for warm reads
#     hot             1 entity x 10 features from the hot tier (online.lua)
#     warm            the same with the hot tier off: every value from Redis
#     batch-*-flat    100 entities x 50 features (batch.lua), rows/columns x status/full
#     hot-max         the same as hot with 64 connections: the most single-entity reads answered
#   wrk2 (open model at a fixed rate, latency from when each request was due; see lib.sh):
#     batch-*-paced   the four batch shapes at BATCH_RATE (100) requests a second
#     hot-half        single entity at half of hot-max's rate
#     overload        single entity at twice hot-max's rate over 1,024 connections for
#                     OVERLOAD_SECONDS (60): answered 200s, refusals, failures, the warm tier's
#                     state; then one-second closed-loop rounds until it answers 0.9x hot-max again
#     bare-half       the bare server at hot-half's rate: the p99 this machine and load generator
#                     allow any server at that rate, the ceiling of hot-half's p99
#     bare-overload   the bare server at overload's rate and connections, as long: what a server
#                     that does nothing but answer shows at that rate, the ceiling of overload's p99
# Prints a table with each figure, its ceiling and the ratio, the commit, JVM options and load
# average. Freshet runs with JAVA_OPTS (default: the options the README ships).
#
#   loadtest/bench/online.sh                               # ~14 min
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

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
WRK2_BIN=$(wrk2_path)
BASE="http://127.0.0.1:$FRESHET_PORT"

bench_init
CEILINGS=(java -cp "$WORK/freshet-ceilings.jar")

start_freshet freshet-seed "$FRESHET_PORT"
log "seeding $CUSTOMERS customers into every customer view"
"${CEILINGS[@]}" io.freshet.loadtest.seed.Seeder --url="$BASE" --entities="$CUSTOMERS" \
  --views=customer >&2
stop_process "$STARTED_PID"
seed_ceiling_hash "$CEILING_KEY"

start_process bare 'ceiling bare-json listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.BareJsonServer --port="$BARE_PORT"
flat bare "$BARE_PORT" online.lua "$CONNECTIONS"
stop_process "$STARTED_PID"

start_process redis-hgetall 'ceiling redis-hgetall listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.RedisHgetallServer --port="$REDIS_CEILING_PORT" \
  --redis="$REDIS_URL" --key="$CEILING_KEY"
flat redis-hgetall "$REDIS_CEILING_PORT" online.lua "$CONNECTIONS"
stop_process "$STARTED_PID"

start_freshet freshet-warm "$FRESHET_PORT" FRESHET_HOT_MAX_ENTRIES=0
flat warm "$FRESHET_PORT" online.lua "$CONNECTIONS"
stop_process "$STARTED_PID"

start_freshet freshet "$FRESHET_PORT"
FRESHET_PID=$STARTED_PID
flat hot "$FRESHET_PORT" online.lua "$CONNECTIONS"
for layout in rows columns; do
  for meta in status full; do
    flat "batch-$layout-$meta-flat" "$FRESHET_PORT" batch.lua "$CONNECTIONS" HOT_SET="$CUSTOMERS" \
      LAYOUT="$layout" META="$meta"
    paced "batch-$layout-$meta-paced" "$BATCH_RATE" "$DURATION" "$PACED_BATCH_CONNECTIONS" batch.lua HOT_SET="$CUSTOMERS" \
      LAYOUT="$layout" META="$meta"
  done
done

flat hot-max "$FRESHET_PORT" online.lua 64
MAX=$(row_field hot-max 2)
paced hot-half "$((MAX / 2))" "$DURATION" 64 online.lua
downs_before=$(grep -c 'warm tier (Redis) is down' "$WORK/freshet.log" || true)
paced overload "$((2 * MAX))" "$OVERLOAD_SECONDS" 1024 online.lua
downs=$(($(grep -c 'warm tier (Redis) is down' "$WORK/freshet.log" || true) - downs_before))
# Back to full speed: the first one-second closed-loop round answering 0.9x hot-max again.
recovered=""
for second in $(seq 1 15); do
  rate=$(wrk -t1 -c64 -d1s -s "$BENCH_DIR/online.lua" "$BASE" | wrk_row r | cut -f2)
  if [ "$rate" -ge "$((MAX * 9 / 10))" ]; then
    recovered=$second
    break
  fi
done
stop_process "$FRESHET_PID"

# The latency goals' ceilings: the bare server offered the very rates Freshet was, over the same
# connections. A p99 it cannot reach is the machine's and the load generator's, not Freshet's.
start_process bare 'ceiling bare-json listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.BareJsonServer --port="$BARE_PORT"
BASE="http://127.0.0.1:$BARE_PORT" paced bare-half "$((MAX / 2))" "$DURATION" 64 online.lua
BASE="http://127.0.0.1:$BARE_PORT" paced bare-overload "$((2 * MAX))" "$OVERLOAD_SECONDS" 1024 online.lua
stop_process "$STARTED_PID"

printf '\nFreshet %s; JVM options: %s; %s cores shared by the load generator, the server, Redis and\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "${JAVA_OPTS:-none}" "$(nproc)"
printf 'Postgres; load average at the end %s. wrk -t1 -c%s, %ss after %ss warm-up; %s customers seeded, %s read.\n\n' \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$CONNECTIONS" "$DURATION" "$WARMUP" "$CUSTOMERS" "$HOT_SET"
echo '| load | answered 2xx/s | p50 ms | p90 ms | p99 ms | non-2xx | socket errors | compared with | ratio |'
echo '|---|---:|---:|---:|---:|---:|---:|---|---:|'
awk -F '\t' -v bare="$(row_field bare 2)" -v redis="$(row_field redis-hgetall 2)" -v max="$MAX" \
  -v bare_half="$(row_field bare-half 5)" -v bare_overload="$(row_field bare-overload 5)" '{
    vs = "-"; ratio = "-"
    if ($1 == "hot") { vs = "bare"; ratio = sprintf("%.2f", $2 / bare) }
    if ($1 == "warm") { vs = "redis-hgetall"; ratio = sprintf("%.2f", $2 / redis) }
    if ($1 == "hot-half") {
      vs = "p99 ÷ p50; p99 ÷ bare-half p99"
      ratio = sprintf("%.1f; %.2f", $5 / $3, $5 / bare_half)
    }
    if ($1 == "overload") {
      vs = "hot-max; p99 ÷ bare-overload p99"
      ratio = sprintf("%.2f; %.2f", $2 / max, $5 / bare_overload)
    }
    printf "| %s | %d | %.2f | %.2f | %.2f | %d | %d | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, vs, ratio }' \
  "$WORK/rows"
printf '\nOverload: %s s at %s req/s (2 x hot-max) over 1,024 connections; its p99 is of every answer,\n' \
  "$OVERLOAD_SECONDS" "$((2 * MAX))"
printf '503s included; warm tier marked down %s times; blocked-thread warnings %s; back to 0.9 x hot-max %s.\n' \
  "$downs" "$(grep -c 'has been blocked' "$WORK/freshet.log" || true)" \
  "$(if [ -n "$recovered" ]; then echo "within $recovered s"; else echo "not within 15 s"; fi)"
