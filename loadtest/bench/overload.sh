#!/usr/bin/env bash
# Overload and recovery of the warm read path, with admission control off and on in the same run.
# For each setting a Freshet with its hot tier off (every value from Redis, the tier an overload
# hurts first) is seeded and warmed with wrk -c32, then given the normal load, OVERLOAD
# connections for DURATION seconds (thousands of requests in flight, each waiting behind the
# others), then the normal load again. wrk is a closed loop: each connection sends its next
# request when the last is answered, as pooled service clients do. Reported per phase: answered
# requests a second, non-2xx and failed ones, p50/p99; and what the overload left behind: the warm
# tier marked down, reads that fell to Postgres, blocked event loops. The limiter must not cost
# closed-loop throughput: the overload phase's answered/s with it on is compared with it off.
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

# run LABEL [VAR=VALUE...] — one Freshet with the given settings through the three phases; the
# table rows go to $WORK/phases, the summary line to $WORK/summary.
run() {
  local label=$1
  shift
  start_freshet "freshet-$label" "$FRESHET_PORT" FRESHET_HOT_MAX_ENTRIES=0 "$@"
  log "$label: seeding $CUSTOMERS customers, warming up"
  python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2
  wrk -t1 -c32 -d10s -s "$BENCH_DIR/online.lua" "$BASE" >/dev/null
  local hot0 warm0 cold0 cold1 hot2 warm2 cold2 downs0 blocked0
  read -r hot0 warm0 cold0 _ <<<"$(tier_reads "$FRESHET_PORT")"
  downs0=$(grep -c 'warm tier (Redis) is down' "$WORK/freshet-$label.log" || true)
  blocked0=$(grep -c 'has been blocked' "$WORK/freshet-$label.log" || true)
  log "$label: normal load, $OVERLOAD connections, normal load again: ${DURATION}s each"
  {
    phase "$label normal" 32
    phase "$label overload" "$OVERLOAD"
    read -r _ _ cold1 _ <<<"$(tier_reads "$FRESHET_PORT")"
    phase "$label after" 32
  } >>"$WORK/phases"
  read -r hot2 warm2 cold2 _ <<<"$(tier_reads "$FRESHET_PORT")"
  printf '| %s | %d | %d | %d | %d | %d / %d / %d |\n' "$label" \
    "$(($(grep -c 'warm tier (Redis) is down' "$WORK/freshet-$label.log" || true) - downs0))" \
    "$((cold1 - cold0))" "$((cold2 - cold1))" \
    "$(($(grep -c 'has been blocked' "$WORK/freshet-$label.log" || true) - blocked0))" \
    "$((hot2 - hot0))" "$((warm2 - warm0))" "$((cold2 - cold0))" >>"$WORK/summary"
  stop_process "$STARTED_PID"
}

run limiter-off FRESHET_ADMISSION_MAX_IN_FLIGHT=0
run limiter-on

printf 'Hot tier off (values from Redis), %s customers; wrk -t2, 10 s timeout; %s cores shared by\n' \
  "$CUSTOMERS" "$(nproc)"
printf 'wrk, Freshet %s, Redis and Postgres; JVM options: %s; load average at the end %s.\n\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "${JAVA_OPTS:-none}" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
echo '| phase | connections | answered/s | non-2xx | socket errors | p50 ms | p99 ms |'
echo '|---|---:|---:|---:|---:|---:|---:|'
cat "$WORK/phases"
printf '\n| admission | warm tier marked down | reads from Postgres in the overload | after | blocked-thread warnings | lookups hot / Redis / Postgres |\n'
echo '|---|---:|---:|---:|---:|---|'
cat "$WORK/summary"
