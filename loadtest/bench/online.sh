#!/usr/bin/env bash
# Online reads, 1 entity x 10 features, against the ceilings they are judged by. One wrk run per
# target with the same settings and the same Lua script (online.lua), each target alone:
#   bare           BareJsonServer: Vert.x answering a fixed body the size of Freshet's response
#   freshet-hot    Freshet, values served from the hot tier (Caffeine)
#   freshet-warm   Freshet restarted with FRESHET_HOT_MAX_ENTRIES=0: values served from Redis
#   redis-hgetall  RedisHgetallServer: Vert.x plus one HGETALL, the ceiling for warm reads
# wrk and the server under test share the machine's cores, so read the ratios, not the absolutes.
#
#   loadtest/bench/online.sh
#   DURATION=3 WARMUP=2 loadtest/bench/online.sh      # smoke run
# Settings (environment): DURATION, WARMUP (seconds), THREADS, CONNECTIONS (wrk), CUSTOMERS
# (seeded), HOT_SET (customers read), FRESHET_PORT, BARE_PORT, REDIS_CEILING_PORT, PG_URL,
# REDIS_URL. Uses Postgres schema "bench" and Redis keys "bench:*", dropped at start and exit.
set -euo pipefail

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
CUSTOMERS=${CUSTOMERS:-10000}
export HOT_SET=${HOT_SET:-1000}
FRESHET_PORT=${FRESHET_PORT:-18080}
BARE_PORT=${BARE_PORT:-18081}
REDIS_CEILING_PORT=${REDIS_CEILING_PORT:-18082}
BENCH_SCHEMA=bench
BENCH_PREFIX=bench:
CEILING_KEY=${BENCH_PREFIX}ceiling:customer

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

[ "$HOT_SET" -le "$CUSTOMERS" ] || die "HOT_SET ($HOT_SET) exceeds CUSTOMERS ($CUSTOMERS)"

ensure_wrk() {
  command -v wrk >/dev/null && return
  log "installing wrk"
  apt-get install -y -qq wrk >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
    || die "cannot install wrk"
}

# The ceiling's hash: the ten features, each value with its timestamps and the meta Freshet
# sends beside it, so the ceiling's response (about 1.9 kB) is the size of Freshet's.
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

wrk_run() {
  local seconds=$1 port=$2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$BENCH_DIR/online.lua" \
    "http://127.0.0.1:$port"
}


# measure NAME PORT — warm-up, then the measured run; appends a row to $WORK/results. For
# Freshet targets the row also says which tier served the measured run's lookups.
measure() {
  local name=$1 port=$2 before="" served="-"
  log "$name: warm-up ${WARMUP}s"
  wrk_run "$WARMUP" "$port" >/dev/null
  if [[ $name == freshet-* ]]; then before=$(tier_reads "$port"); fi
  log "$name: measuring ${DURATION}s"
  wrk_run "$DURATION" "$port" >"$WORK/wrk-$name.txt"
  if [ -n "$before" ]; then
    served=$(printf '%s %s\n' "$before" "$(tier_reads "$port")" | awk '{
      n = $8 - $4; if (n == 0) n = 1
      printf "hot %.1f%% warm %.1f%% cold %.1f%%", 100 * ($5 - $1) / n, 100 * ($6 - $2) / n, 100 * ($7 - $3) / n
    }')
  fi
  grep '^WRK_RESULT' "$WORK/wrk-$name.txt" | awk -v name="$name" -v served="$served" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
    printf "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%d\t%s\n", name, r["requests"] / (r["duration_us"] / 1e6),
      r["p50_us"] / 1000, r["p90_us"] / 1000, r["p99_us"] / 1000, r["socket_errors"] + r["non2xx"], served
  }' >>"$WORK/results"
}

print_table() {
  printf '\nwrk -t%s -c%s -d%ss --latency (after a %ss warm-up), %s customers seeded, %s read at random;\n' \
    "$THREADS" "$CONNECTIONS" "$DURATION" "$WARMUP" "$CUSTOMERS" "$HOT_SET"
  printf 'wrk and each server share %s cores; Freshet %s.\n\n' \
    "$(nproc)" "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)"
  awk -F '\t' '
    { name[NR] = $1; rps[NR] = $2; p50[NR] = $3; p90[NR] = $4; p99[NR] = $5; err[NR] = $6; served[NR] = $7
      row[$1] = NR }
    END {
      b = row["bare"]; c = row["redis-hgetall"]
      print "| target | req/s | p50 ms | p90 ms | p99 ms | errors | req/s ÷ bare | p50 ÷ bare | p90 ÷ bare | p99 ÷ bare | req/s ÷ Redis ceiling | served from |"
      print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
      for (i = 1; i <= NR; i++) {
        vs_redis = (name[i] == "freshet-warm" || name[i] == "redis-hgetall") ? sprintf("%.2f", rps[i] / rps[c]) : "-"
        printf "| %s | %d | %.2f | %.2f | %.2f | %d | %.2f | %.2f | %.2f | %.2f | %s | %s |\n", name[i], rps[i],
          p50[i], p90[i], p99[i], err[i], rps[i] / rps[b], p50[i] / p50[b], p90[i] / p90[b], p99[i] / p99[b],
          vs_redis, served[i]
      }
    }' "$WORK/results"
}

bench_init
ensure_wrk
CEILINGS=(java -cp "$WORK/freshet-ceilings.jar")

log "seeding $CUSTOMERS customers into customer_profile, customer_activity, customer_support"
start_freshet freshet-seed "$FRESHET_PORT"
python3 "$BENCH_DIR/rows.py" seed --url "http://127.0.0.1:$FRESHET_PORT" --customers "$CUSTOMERS" >&2
stop_process "$STARTED_PID"
seed_ceiling_hash

start_process bare 'ceiling bare-json listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.BareJsonServer --port="$BARE_PORT"
measure bare "$BARE_PORT"
stop_process "$STARTED_PID"

start_freshet freshet-hot "$FRESHET_PORT"
measure freshet-hot "$FRESHET_PORT"
stop_process "$STARTED_PID"

start_freshet freshet-warm "$FRESHET_PORT" FRESHET_HOT_MAX_ENTRIES=0
measure freshet-warm "$FRESHET_PORT"
stop_process "$STARTED_PID"

start_process redis-hgetall 'ceiling redis-hgetall listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.RedisHgetallServer --port="$REDIS_CEILING_PORT" \
  --redis="$REDIS_URL" --key="$CEILING_KEY"
measure redis-hgetall "$REDIS_CEILING_PORT"
stop_process "$STARTED_PID"

print_table
