#!/usr/bin/env bash
# What transformations cost, on the same server, data and run: the example feature service
# churn_v2 (ten stored features, five expressions, three fitted transformations) against
# churn_raw (the same ten features alone).
#   online     wrk, one entity per request from the hot tier, the two services alternated
#              ROUNDS times so drift of the shared machine falls on both
#   snapshot   POST /v1/features/historical, LABELS rows as NDJSON, CSV out, timed from the
#              request to the last byte; SNAPSHOTS of them after each online run (the first
#              after online load costs more than the next), alternated ROUNDS times
# The fitted transformations are fitted first from a snapshot of their inputs, as a user would.
# Besides rates and times, each run reports the CPU the Freshet process itself used (from
# /proc): on a machine shared with the load generator and other work, CPU per request moves far
# less than requests per second does, so it is the steadier figure to compare builds by.
#
#   loadtest/bench/transforms.sh
#   DURATION=3 WARMUP=1 ROUNDS=1 LABELS=10000 loadtest/bench/transforms.sh    # smoke run
# Settings (environment): DURATION, WARMUP (seconds), ROUNDS, THREADS, CONNECTIONS (wrk),
# CUSTOMERS (seeded), HOT_SET (customers read), LABELS (snapshot rows), SNAPSHOTS (per round and
# service; times and CPU are their mean), FRESHET_PORT, PG_URL,
# REDIS_URL. Uses Postgres schema "bench_transforms" and Redis keys "bench-transforms:*", dropped
# at start and exit.
set -euo pipefail

DURATION=${DURATION:-15}
WARMUP=${WARMUP:-5}
ROUNDS=${ROUNDS:-3}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-32}
CUSTOMERS=${CUSTOMERS:-10000}
export HOT_SET=${HOT_SET:-1000}
LABELS=${LABELS:-200000}
SNAPSHOTS=${SNAPSHOTS:-3}
FRESHET_PORT=${FRESHET_PORT:-18280}
BENCH_SCHEMA=bench_transforms
BENCH_PREFIX=bench-transforms:
SERVICES=(churn_raw churn_v2)

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=transforms_lib.sh
source "$BENCH_DIR/transforms_lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
BASE="http://127.0.0.1:$FRESHET_PORT"

wrk_service() {
  SERVICE=$1 wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency -s "$BENCH_DIR/online.lua" "$BASE"
}

bench_init

log "seeding $CUSTOMERS customers"
start_freshet freshet "$FRESHET_PORT"
FRESHET_PID=$STARTED_PID
python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2
fit_all
for service in "${SERVICES[@]}"; do
  labels_file "$service"
  log "warm-up: $service online ${WARMUP}s, one snapshot"
  wrk_service "$service" "$WARMUP" >/dev/null
  snapshot_seconds "$service" >/dev/null
done

printf 'round\tservice\treq/s\tp50 ms\tp99 ms\terrors\tsnapshot s\trows/s\tcpu online\tcpu snapshot\n' \
  >"$WORK/results"
for round in $(seq "$ROUNDS"); do
  for service in "${SERVICES[@]}"; do
    log "round $round: $service online ${DURATION}s"
    cpu0=$(cpu_seconds "$FRESHET_PID")
    result=$(wrk_service "$service" "$DURATION" | grep '^WRK_RESULT')
    cpu1=$(cpu_seconds "$FRESHET_PID")
    log "round $round: $service $SNAPSHOTS snapshots of $LABELS rows"
    seconds=0
    for _ in $(seq "$SNAPSHOTS"); do
      seconds=$(echo "$seconds + $(snapshot_seconds "$service")" | bc -l)
      [ "$(($(wc -l <"$WORK/snapshot-$service.csv") - 1))" -eq "$LABELS" ] \
        || die "the $service snapshot does not have $LABELS rows"
    done
    cpu2=$(cpu_seconds "$FRESHET_PID")
    seconds=$(echo "$seconds / $SNAPSHOTS" | bc -l)
    echo "$result" | awk -v round="$round" -v service="$service" -v s="$seconds" -v labels="$LABELS" \
      -v online_cpu="$(echo "$cpu1 - $cpu0" | bc)" -v snapshot_cpu="$(echo "($cpu2 - $cpu1) / $SNAPSHOTS" | bc -l)" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
      printf "%s\t%s\t%.0f\t%.2f\t%.2f\t%d\t%.2f\t%.0f\t%.1f\t%.2f\n", round, service,
        r["requests"] / (r["duration_us"] / 1e6), r["p50_us"] / 1000, r["p99_us"] / 1000,
        r["socket_errors"] + r["non2xx"], s, labels / s, 1e6 * online_cpu / r["requests"], snapshot_cpu
    }' >>"$WORK/results"
  done
done

printf '\nwrk -t%s -c%s -d%ss (after a %ss warm-up), hot set %s of %s customers; %s snapshots of %s rows a round;\n' \
  "$THREADS" "$CONNECTIONS" "$DURATION" "$WARMUP" "$HOT_SET" "$CUSTOMERS" "$SNAPSHOTS" "$LABELS"
printf 'wrk, Freshet, Redis and Postgres share %s cores; Freshet %s.\n\n' \
  "$(nproc)" "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)"
awk -F '\t' '
  NR == 1 { next }
  { rps[$2] += $3; snap[$2] += $7; cpu[$2] += $9; scpu[$2] += $10; n[$2]++
    printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }
  END {
    raw = rps["churn_raw"] / n["churn_raw"]; v2 = rps["churn_v2"] / n["churn_v2"]
    sraw = snap["churn_raw"] / n["churn_raw"]; sv2 = snap["churn_v2"] / n["churn_v2"]
    craw = cpu["churn_raw"] / n["churn_raw"]; cv2 = cpu["churn_v2"] / n["churn_v2"]
    scraw = scpu["churn_raw"] / n["churn_raw"]; scv2 = scpu["churn_v2"] / n["churn_v2"]
    printf "\nonline, server CPU per request: churn_v2 %.1f us vs churn_raw %.1f us: %.1f%% more (goal <= 10%%)\n",
      cv2, craw, 100 * (cv2 / craw - 1)
    printf "online, req/s: churn_v2 %.0f vs churn_raw %.0f: %.1f%% fewer\n", v2, raw, 100 * (1 - v2 / raw)
    printf "snapshot, server CPU: churn_v2 %.2f s vs churn_raw %.2f s: %.1f%% more (goal <= 20%%)\n",
      scv2, scraw, 100 * (scv2 / scraw - 1)
    printf "snapshot, wall time: churn_v2 %.2f s vs churn_raw %.2f s: %.1f%% slower\n",
      sv2, sraw, 100 * (sv2 / sraw - 1)
  }' "$WORK/results" | {
  echo '| round | service | req/s | p50 ms | p99 ms | errors | snapshot s | rows/s | server CPU µs/request | snapshot server CPU s |'
  echo '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|'
  cat
}
