#!/usr/bin/env bash
# Every Gatling simulation against one Freshet seeded with ENTITIES customers, with the ceilings
# measured in the same run, printed as the Markdown tables of BENCHMARKS.md ("Gatling load tests"):
#   ceilings   BareJsonServer (Vert.x, fixed 1x10 body) under OnlineHotSimulation's closed model;
#              redis-benchmark HGETALL of a 10-field hash (what one warm record costs)
#   hot        OnlineHotSimulation: closed-model maximum (USERS users), then the open model at half
#              of it (the single-entity latency target), with Freshet's own share of requests
#              answered within 1 ms (its histogram, warm-up included) beside Gatling's
#              whole-millisecond figures
#   warm/cold  OnlineWarmColdSimulation: closed-model maximum, then the open model at WARM_RATE
#              (default: half that maximum)
#   batch      OnlineBatchSimulation: 10 and 100 entities x 50 features, both meta modes, at
#              100 req/s, with Zipf keys and with uniform keys; then batch 100, meta=status, Zipf
#              keys, at rising rates (LADDER_STEP) while p99 <= 20 ms
#   freshness  IngestAndReadSimulation (WRITE_RATE writes/s, READ_RATE reads/s)
#   snapshots  HistoricalSnapshotSimulation (SNAPSHOT_USERS jobs of SNAPSHOT_ROWS rows, online at
#              SNAPSHOT_ONLINE_RATE)
# Gatling, Freshet, Redis and Postgres share the machine's cores: read ratios, not absolutes.
#
#   loadtest/bench/gatling.sh                                   # ~35 min with 1,000,000 customers
#   ENTITIES=20000 DURATION=10 PROBE=10 WARMUP=5 loadtest/bench/gatling.sh    # smoke, ~8 min
# Settings (environment): ENTITIES, DURATION (s, open-model runs), PROBE (s, closed-model probes),
# WARMUP (s), USERS, WARM_RATE, LADDER_STEP, LADDER_MAX, WRITE_RATE, READ_RATE, SNAPSHOT_USERS,
# SNAPSHOT_ROWS, SNAPSHOT_ONLINE_RATE, FRESHET_PORT, BARE_PORT, PG_URL, REDIS_URL. Uses Postgres
# schema "loadtest" and Redis keys "loadtest:*", dropped at start and exit.
set -euo pipefail

ENTITIES=${ENTITIES:-1000000}
DURATION=${DURATION:-60}
PROBE=${PROBE:-30}
WARMUP=${WARMUP:-20}
USERS=${USERS:-32}
LADDER_STEP=${LADDER_STEP:-100}
LADDER_MAX=${LADDER_MAX:-2000}
WRITE_RATE=${WRITE_RATE:-100}
READ_RATE=${READ_RATE:-500}
SNAPSHOT_USERS=${SNAPSHOT_USERS:-2}
SNAPSHOT_ROWS=${SNAPSHOT_ROWS:-10000}
SNAPSHOT_ONLINE_RATE=${SNAPSHOT_ONLINE_RATE:-500}
FRESHET_PORT=${FRESHET_PORT:-18080}
BARE_PORT=${BARE_PORT:-18081}
BENCH_SCHEMA=loadtest
BENCH_PREFIX=loadtest:
CEILING_KEY=${BENCH_PREFIX}ceiling:customer

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

FRESHET_URL=http://127.0.0.1:$FRESHET_PORT

# gatling NAME SIMULATION BASE_URL [-Dprop=value...] — one run; its report's TSV statistics
# (report.py) in $WORK/NAME.tsv and its assertion lines in $WORK/NAME.assertions. A failed
# assertion does not stop the script: it is a result.
gatling() {
  local name=$1 simulation=$2 url=$3
  shift 3
  log "$name: $simulation $*"
  (cd "$LOADTEST_DIR" && mvn -B -q gatling:test -Dgatling.simulationClass="io.freshet.loadtest.$simulation" \
    -DbaseUrl="$url" -Dentities="$ENTITIES" "$@") >"$WORK/$name.log" 2>&1 || true
  local report
  if ! report=$(grep -o 'file://[^ ]*/index.html' "$WORK/$name.log" | tail -n 1); then
    tail -n 30 "$WORK/$name.log" >&2
    die "$name: Gatling wrote no report"
  fi
  python3 "$LOADTEST_DIR/report.py" "$(dirname "${report#file://}")" --tsv >"$WORK/$name.tsv"
  grep -E ' : (true|false) \(' "$WORK/$name.log" >"$WORK/$name.assertions" || true
  log "$name: report ${report#file://}"
}

# restart — a fresh Freshet process over the same data before each measured step, so a step
# that overloads it cannot leave the next one a degraded server (hot tier bypassed, warm tier
# marked down). Its hot tier starts empty: the step's warm-up fills it.
restart() {
  [ -z "${FRESHET_PID:-}" ] || stop_process "$FRESHET_PID"
  start_freshet "freshet-$1" "$FRESHET_PORT"
  FRESHET_PID=$STARTED_PID
}

# feed_losses NAME — change-feed subscriptions the step's Freshet lost. A lost feed makes Freshet
# bypass its hot tier until it has re-subscribed; on a shared Redis another process's CLIENT KILL
# TYPE pubsub (the test suite's CoherenceTest does one) is enough.
feed_losses() {
  grep -c 'change feed subscription lost' "$WORK/freshet-$1.log" || true
}

# stat NAME REQUEST COLUMN — one figure of a run (total ko p50 p75 p95 p99 max mean).
stat() {
  awk -F '\t' -v r="$2" -v c="$3" '
    BEGIN { split("total ko p50 p75 p95 p99 max mean", k, " "); for (i in k) col[k[i]] = i + 1 }
    $1 == r { print $col[c] }' "$WORK/$1.tsv"
}

# row NAME REQUEST RATE — "| REQUEST | RATE | p50 | p95 | p99 | max | errors |" for a run.
row() {
  local ko total
  total=$(stat "$1" "$2" total)
  ko=$(stat "$1" "$2" ko)
  printf '| %s | %s | %s | %s | %s | %s | %s of %s |\n' "$2" "$3" "$(stat "$1" "$2" p50)" \
    "$(stat "$1" "$2" p95)" "$(stat "$1" "$2" p99)" "$(stat "$1" "$2" max)" "$ko" "$total"
}

# Prints "requests_le_1ms requests" of Freshet's online route from its latency histogram.
online_le_1ms() {
  curl -fsS "http://127.0.0.1:$FRESHET_PORT/metrics" | awk '
    /^freshet_http_requests_seconds_bucket\{/ && /route="\/v1\/features\/online"/ && /status="200"/ {
      if ($0 ~ /le="0.001"/) fast += $NF
      if ($0 ~ /le="\+Inf"/) all += $NF
    }
    END { printf "%d %d\n", fast, all }'
}

# served_mix BEFORE AFTER — "hot x% warm y% cold z%" between two tier_reads samples.
served_mix() {
  printf '%s %s\n' "$1" "$2" | awk '{
    n = $8 - $4; if (n == 0) n = 1
    printf "hot %.1f%% warm %.1f%% cold %.1f%%", 100 * ($5 - $1) / n, 100 * ($6 - $2) / n, 100 * ($7 - $3) / n }'
}

# The warm tier's ceiling hash: ten features with their meta, the size of a Freshet record.
seed_gatling_ceiling_hash() {
  local meta='"event_timestamp":"2026-11-24T03:50:00Z","ingested_at":"2026-11-24T03:50:01.123456Z"'
  local fields=() i
  for i in $(seq 1 10); do
    fields+=("customer_profile:feature_$i" "{\"value\":$((i * 41)),$meta}")
  done
  redis-cli -u "$REDIS_URL" HSET "$CEILING_KEY" "${fields[@]}" >/dev/null
}

bench_init
LOAD_AT_START=$(cut -d ' ' -f 1-3 /proc/loadavg)
RESULTS=$WORK/results.md
CEILINGS=(java -cp "$WORK/freshet-ceilings.jar")

restart seed
log "seeding $ENTITIES customers"
SEED_LINE=$(java -cp "$WORK/freshet-ceilings.jar" io.freshet.loadtest.seed.Seeder \
  --url="$FRESHET_URL" --entities="$ENTITIES")
log "$SEED_LINE"
# The ceilings run alone on the machine.
stop_process "$FRESHET_PID"
FRESHET_PID=""

# ---- ceilings
start_process bare 'ceiling bare-json listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.BareJsonServer --port="$BARE_PORT"
gatling bare OnlineHotSimulation "http://127.0.0.1:$BARE_PORT" -Dusers="$USERS" \
  -Dduration="$PROBE" -Dwarmup="$WARMUP" -Dp99Ms=1000
stop_process "$STARTED_PID"
BARE_RPS=$(($(stat bare "online 1x10" total) / PROBE))

seed_gatling_ceiling_hash
redis-benchmark -u "$REDIS_URL" -c "$USERS" -n 300000 --csv HGETALL "$CEILING_KEY" >"$WORK/redis.csv"
REDIS_LINE=$(tail -n 1 "$WORK/redis.csv" | tr -d '"')

# ---- hot: closed-model maximum, then the open model at half of it
restart hot-max
before=$(tier_reads "$FRESHET_PORT")
gatling hot-max OnlineHotSimulation "$FRESHET_URL" -Dusers="$USERS" -Dduration="$PROBE" \
  -Dwarmup="$WARMUP" -Dp99Ms=1000
HOT_MIX=$(served_mix "$before" "$(tier_reads "$FRESHET_PORT")")
HOT_RPS=$(($(stat hot-max "online 1x10" total) / PROBE))
HALF_RATE=$((HOT_RPS / 2))
restart hot-half
fast_before=$(online_le_1ms)
gatling hot-half OnlineHotSimulation "$FRESHET_URL" -Drate="$HALF_RATE" -Dduration="$DURATION" \
  -Dwarmup=20 -Dp99Ms=1
SERVER_FAST=$(printf '%s %s\n' "$fast_before" "$(online_le_1ms)" \
  | awk '{ n = $4 - $2; if (n == 0) n = 1; printf "%.2f%%", 100 * ($3 - $1) / n }')

# ---- warm/cold: its own closed-model maximum, then the open model at half of it
restart warm-max
gatling warm-max OnlineWarmColdSimulation "$FRESHET_URL" -Dusers="$USERS" -Dduration="$PROBE" \
  -Dwarmup="$WARMUP" -Dp99Ms=1000
WARM_MAX=$(($(stat warm-max "online 1x10 uniform" total) / PROBE))
WARM_RATE=${WARM_RATE:-$((WARM_MAX / 2))}
restart warm
before=$(tier_reads "$FRESHET_PORT")
gatling warm OnlineWarmColdSimulation "$FRESHET_URL" -Drate="$WARM_RATE" \
  -Dduration="$DURATION" -Dwarmup=20 -Dp99Ms=20
WARM_MIX=$(served_mix "$before" "$(tier_reads "$FRESHET_PORT")")

# ---- batch: both sizes and meta modes at 100 req/s, Zipf keys (mostly hot) then uniform keys
# (mostly Redis), then the batch-100 status ladder on Zipf keys
for keys in zipf uniform; do
  restart "batch-$keys"
  gatling "batch-$keys" OnlineBatchSimulation "$FRESHET_URL" -Drate=100 -Dkeys="$keys" \
    -Dduration="$((DURATION / 2))" -Dwarmup=10 -Dp99Ms=20
done
LADDER_BEST="none of the rates tried"
: >"$WORK/ladder.md"
for ((rate = LADDER_STEP; rate <= LADDER_MAX; rate += LADDER_STEP)); do
  restart "ladder-$rate"
  gatling "ladder-$rate" OnlineBatchSimulation "$FRESHET_URL" -Drate="$rate" -DbatchSizes=100 \
    -Dmetas=status -Dkeys=zipf -Dduration=20 -Dwarmup=5 -Dp99Ms=20
  row "ladder-$rate" "batch 100 meta=status" "$rate" >>"$WORK/ladder.md"
  if grep -q ': false' "$WORK/ladder-$rate.assertions"; then
    break
  fi
  LADDER_BEST="$rate req/s"
done

# ---- freshness under load, then snapshots beside online reads
restart freshness
gatling freshness IngestAndReadSimulation "$FRESHET_URL" -DwriteRate="$WRITE_RATE" \
  -Drate="$READ_RATE" -Dduration="$DURATION" -Dwarmup=10 -Dp99Ms=20 -DwriteP99Ms=100
restart snapshots
gatling snapshots HistoricalSnapshotSimulation "$FRESHET_URL" -Drate="$SNAPSHOT_ONLINE_RATE" \
  -Dduration="$DURATION" -Dwarmup=10 -DsnapshotUsers="$SNAPSHOT_USERS" \
  -DsnapshotRows="$SNAPSHOT_ROWS" -Dp99Ms=20

{
  printf 'Freshet %s, %s customers seeded (%s), load average at start %s, at end %s, %s cores\n' \
    "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "$ENTITIES" \
    "$SEED_LINE" "$LOAD_AT_START" "$(cut -d ' ' -f 1-3 /proc/loadavg)" "$(nproc)"
  printf 'shared by Gatling, Freshet, Redis and Postgres. Times in ms (Gatling: whole milliseconds).\n\n'
  printf '#### Ceilings and hot reads (1 entity x 10 features, Zipf keys)\n\n'
  printf '| target | load | req/s | p50 | p95 | p99 | errors | req/s / bare | served from |\n'
  printf '|---|---|---:|---:|---:|---:|---:|---:|---|\n'
  printf '| bare Vert.x (BareJsonServer) | closed, %s users | %s | %s | %s | %s | %s | 1.00 | - |\n' \
    "$USERS" "$BARE_RPS" "$(stat bare 'online 1x10' p50)" "$(stat bare 'online 1x10' p95)" \
    "$(stat bare 'online 1x10' p99)" "$(stat bare 'online 1x10' ko)"
  printf '| raw Redis HGETALL (redis-benchmark -c %s) | closed | %s | %s | %s | %s | 0 | - | - |\n' \
    "$USERS" "$(cut -d, -f2 <<<"$REDIS_LINE")" "$(cut -d, -f5 <<<"$REDIS_LINE")" \
    "$(cut -d, -f6 <<<"$REDIS_LINE")" "$(cut -d, -f7 <<<"$REDIS_LINE")"
  printf '| Freshet hot | closed, %s users | %s | %s | %s | %s | %s | %s | %s |\n' "$USERS" \
    "$HOT_RPS" "$(stat hot-max 'online 1x10' p50)" "$(stat hot-max 'online 1x10' p95)" \
    "$(stat hot-max 'online 1x10' p99)" "$(stat hot-max 'online 1x10' ko)" \
    "$(awk -v a="$HOT_RPS" -v b="$BARE_RPS" 'BEGIN { printf "%.2f", a / b }')" "$HOT_MIX"
  printf '| Freshet hot | open, %s req/s (half the maximum) | %s | %s | %s | %s | %s | - | within 1 ms by Freshet'"'"'s histogram: %s |\n' \
    "$HALF_RATE" "$HALF_RATE" "$(stat hot-half 'online 1x10' p50)" "$(stat hot-half 'online 1x10' p95)" \
    "$(stat hot-half 'online 1x10' p99)" "$(stat hot-half 'online 1x10' ko)" "$SERVER_FAST"
  printf '| Freshet warm/cold | closed, %s users, uniform keys | %s | %s | %s | %s | %s | %s | - |\n' \
    "$USERS" "$WARM_MAX" "$(stat warm-max 'online 1x10 uniform' p50)" \
    "$(stat warm-max 'online 1x10 uniform' p95)" "$(stat warm-max 'online 1x10 uniform' p99)" \
    "$(stat warm-max 'online 1x10 uniform' ko)" \
    "$(awk -v a="$WARM_MAX" -v b="$BARE_RPS" 'BEGIN { printf "%.2f", a / b }')"
  printf '| Freshet warm/cold | open, %s req/s (half its maximum), uniform keys | %s | %s | %s | %s | %s | - | %s |\n\n' \
    "$WARM_RATE" "$WARM_RATE" "$(stat warm 'online 1x10 uniform' p50)" \
    "$(stat warm 'online 1x10 uniform' p95)" "$(stat warm 'online 1x10 uniform' p99)" \
    "$(stat warm 'online 1x10 uniform' ko)" "$WARM_MIX"
  for keys in zipf uniform; do
    printf '#### Batches of the 50-feature service churn_behaviour_v1, %s keys, open model\n\n' "$keys"
    printf '| request | req/s | p50 | p95 | p99 | max | errors |\n|---|---:|---:|---:|---:|---:|---:|\n'
    for r in "batch 10 meta=full" "batch 10 meta=status" "batch 100 meta=full" "batch 100 meta=status"; do
      row "batch-$keys" "$r" 100
    done
    printf '\n'
  done
  printf 'Batch 100, meta=status, Zipf keys, rising rates (stops at the first p99 over 20 ms):\n'
  printf 'highest rate within 20 ms: **%s**\n\n' "$LADDER_BEST"
  printf '| request | req/s | p50 | p95 | p99 | max | errors |\n|---|---:|---:|---:|---:|---:|---:|\n'
  cat "$WORK/ladder.md"
  printf '\n#### Freshness under load (IngestAndReadSimulation)\n\n'
  printf '| request | req/s | p50 | p95 | p99 | max | errors |\n|---|---:|---:|---:|---:|---:|---:|\n'
  row freshness "ingest 1 row" "$WRITE_RATE"
  row freshness "read own writes" "$READ_RATE"
  printf '\n#### Online reads beside snapshot pulls (HistoricalSnapshotSimulation)\n\n'
  printf '| request | req/s | p50 | p95 | p99 | max | errors |\n|---|---:|---:|---:|---:|---:|---:|\n'
  row snapshots "online 1x10 alone" "$SNAPSHOT_ONLINE_RATE"
  row snapshots "online 1x10 during snapshots" "$SNAPSHOT_ONLINE_RATE"
  row snapshots "snapshot" "$SNAPSHOT_USERS jobs x $SNAPSHOT_ROWS rows"
  printf '\nChange-feed subscriptions lost per step (each bypasses the hot tier until re-subscribed):'
  for step in hot-max hot-half warm-max warm batch-zipf batch-uniform freshness snapshots; do
    printf ' %s %s;' "$step" "$(feed_losses "$step")"
  done
  printf '\n\n#### Assertions\n\n```\n'
  for f in "$WORK"/*.assertions; do
    sed "s|^|$(basename "$f" .assertions): |" "$f"
  done
  printf '```\n'
} >"$RESULTS"
cat "$RESULTS"
