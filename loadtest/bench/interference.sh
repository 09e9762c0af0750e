#!/usr/bin/env bash
# Online reads beside training snapshots: what two snapshots streaming without pause do to hot
# online reads on the same server. One Freshet, CUSTOMERS seeded, warmed; then wrk -c32 (one
# entity, ten features, the hot tier) for DURATION seconds alone, and again while STREAMS loops
# pull LABELS-row churn_raw snapshots back to back. Reported: req/s and latency of both runs, and
# the snapshots finished meanwhile. Set FRESHET_SNAPSHOT_THREADS to compare thread counts, and
# FRESHET_SNAPSHOT_SHARE_PERCENT=100 to take the snapshots without pacing (the default is 10).
#
#   loadtest/bench/interference.sh                                   # ~1.5 min
#   FRESHET_SNAPSHOT_THREADS=1 loadtest/bench/interference.sh
#   FRESHET_SNAPSHOT_SHARE_PERCENT=100 loadtest/bench/interference.sh
# Uses Postgres schema bench_interference and Redis keys bench-interference:*, dropped at start
# and exit; port FRESHET_PORT (18298).
set -euo pipefail

CUSTOMERS=${CUSTOMERS:-10000}
LABELS=${LABELS:-100000}
STREAMS=${STREAMS:-2}
DURATION=${DURATION:-20}
export HOT_SET=${HOT_SET:-1000}
FRESHET_PORT=${FRESHET_PORT:-18298}
BENCH_SCHEMA=bench_interference
BENCH_PREFIX=bench-interference:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=transforms_lib.sh
source "$BENCH_DIR/transforms_lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
BASE="http://127.0.0.1:$FRESHET_PORT"

# online LABEL — one wrk run; prints a table row.
online() {
  wrk -t1 -c32 -d"${DURATION}s" --latency -s "$BENCH_DIR/online.lua" "$BASE" | grep '^WRK_RESULT' \
    | awk -v what="$1" '{
      for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
      printf "| %s | %.0f | %.2f | %.2f | %.2f | %d |\n", what, r["requests"] / (r["duration_us"] / 1e6),
        r["p50_us"] / 1000, r["p90_us"] / 1000, r["p99_us"] / 1000, r["socket_errors"] + r["non2xx"] }'
}

# stream K — snapshots back to back until $WORK/go is removed; counts them in $WORK/done-K.
stream() {
  local n=0
  while [ -f "$WORK/go" ]; do
    snapshot_seconds churn_raw "$WORK/stream-$1.csv" >/dev/null
    n=$((n + 1))
  done
  echo "$n" >"$WORK/done-$1"
}

bench_init
start_freshet freshet "$FRESHET_PORT"
log "seeding $CUSTOMERS customers, warming up"
python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2
labels_file churn_raw
wrk -t1 -c32 -d10s -s "$BENCH_DIR/online.lua" "$BASE" >/dev/null
for _ in 1 2 3; do snapshot_seconds churn_raw >/dev/null; done

log "online alone, then beside $STREAMS snapshot streams: ${DURATION}s each"
online alone >"$WORK/rows"
touch "$WORK/go"
pids=()
for k in $(seq "$STREAMS"); do
  stream "$k" &
  pids+=($!)
done
sleep 1
online "beside $STREAMS snapshot streams" >>"$WORK/rows"
rm "$WORK/go"
for pid in "${pids[@]}"; do wait "$pid"; done
done_total=$(cat "$WORK"/done-* | paste -sd+ | bc)

printf 'wrk -t1 -c32 -d%ss, hot set %s of %s customers; snapshots of %s rows; FRESHET_SNAPSHOT_THREADS=%s; FRESHET_SNAPSHOT_SHARE_PERCENT=%s;\n' \
  "$DURATION" "$HOT_SET" "$CUSTOMERS" "$LABELS" "${FRESHET_SNAPSHOT_THREADS:-default}" \
  "${FRESHET_SNAPSHOT_SHARE_PERCENT:-default}"
printf '%s cores shared by wrk, curl, Freshet %s (JAVA_OPTS %s), Redis and Postgres; load average %s.\n\n' \
  "$(nproc)" "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" \
  "$JAVA_OPTS" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo '| online reads | req/s | p50 ms | p90 ms | p99 ms | errors |'
echo '|---|---:|---:|---:|---:|---:|'
cat "$WORK/rows"
printf '\nsnapshots finished during the second run: %s (%s rows)\n' "$done_total" "$((done_total * LABELS))"
