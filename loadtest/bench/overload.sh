#!/usr/bin/env bash
# Overload and recovery of the warm read path. A Freshet with its hot tier off (every value from
# Redis, the tier an overload hurts first) is seeded and warmed with wrk -c32, then given the
# normal load, OVERLOAD connections for DURATION seconds (thousands of requests in flight, each
# waiting behind the others), then the normal load again. wrk is a closed loop: each connection
# sends its next request when the last is answered, as pooled service clients do. Reported per
# phase: answered requests a second, non-2xx and failed ones, p50/p99; and what the overload left
# behind: the warm tier marked down, reads that fell to Postgres, blocked event loops.
#
#   loadtest/bench/overload.sh                                     # ~1.5 min
#   OVERLOAD=8000 DURATION=30 loadtest/bench/overload.sh
# Uses Postgres schema bench_overload and Redis keys bench-overload:*, dropped at start and exit;
# port FRESHET_PORT (18297). Needs an open-file limit above OVERLOAD + 1000.
set -euo pipefail

OVERLOAD=${OVERLOAD:-4000}
DURATION=${DURATION:-20}
CUSTOMERS=${CUSTOMERS:-10000}
export HOT_SET=${HOT_SET:-10000}
FRESHET_PORT=${FRESHET_PORT:-18297}
BENCH_SCHEMA=bench_overload
BENCH_PREFIX=bench-overload:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -gt $((OVERLOAD + 1000)) ] \
  || die "the open-file limit ($(ulimit -n)) is too low for $OVERLOAD connections"
BASE="http://127.0.0.1:$FRESHET_PORT"

# phase NAME CONNECTIONS — one wrk run of DURATION seconds; prints a table row.
phase() {
  local result
  result=$(wrk -t2 -c"$2" -d"${DURATION}s" --timeout 10s --latency -s "$BENCH_DIR/online.lua" \
    "$BASE" | grep '^WRK_RESULT') || die "wrk failed"
  echo "$result" | awk -v name="$1" -v c="$2" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
    s = r["duration_us"] / 1e6
    printf "| %s | %d | %.0f | %d | %d | %.1f | %.1f |\n", name, c,
      (r["requests"] - r["non2xx"]) / s, r["non2xx"], r["socket_errors"],
      r["p50_us"] / 1000, r["p99_us"] / 1000 }'
}

bench_init
start_freshet freshet "$FRESHET_PORT" FRESHET_HOT_MAX_ENTRIES=0
log "seeding $CUSTOMERS customers, warming up"
python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2
wrk -t1 -c32 -d10s -s "$BENCH_DIR/online.lua" "$BASE" >/dev/null
read -r hot0 warm0 cold0 _ <<<"$(tier_reads "$FRESHET_PORT")"
log "normal load, $OVERLOAD connections, normal load again: ${DURATION}s each"
{
  phase normal 32
  phase overload "$OVERLOAD"
  read -r _ _ cold1 _ <<<"$(tier_reads "$FRESHET_PORT")"
  phase after 32
} >"$WORK/phases"
read -r hot2 warm2 cold2 _ <<<"$(tier_reads "$FRESHET_PORT")"

printf 'Hot tier off (values from Redis), %s customers; wrk -t2, 10 s timeout; %s cores shared by\n' \
  "$CUSTOMERS" "$(nproc)"
printf 'wrk, Freshet %s, Redis and Postgres.\n\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)"
echo '| phase | connections | answered/s | non-2xx | socket errors | p50 ms | p99 ms |'
echo '|---|---:|---:|---:|---:|---:|---:|'
cat "$WORK/phases"
printf '\nwarm tier marked down: %d times; reads from Postgres: %d in the overload, %d after;' \
  "$(grep -c 'warm tier (Redis) is down' "$WORK/freshet.log" || true)" \
  "$((cold1 - cold0))" "$((cold2 - cold1))"
printf ' blocked-thread warnings: %d\n' "$(grep -c 'has been blocked' "$WORK/freshet.log" || true)"
printf 'lookups answered over the three phases: hot %d, Redis %d, Postgres %d\n' \
  "$((hot2 - hot0))" "$((warm2 - warm0))" "$((cold2 - cold0))"
