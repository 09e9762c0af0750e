#!/usr/bin/env bash
# Which JVM options Freshet should ship with, by measurement: for each candidate option set, a
# Freshet started with it, seeded, then the loads whose tails the options decide, each warmed up
# with itself first:
#   hot-max     single entity, wrk closed loop of 64: the most answered a second
#   hot-paced   single entity, wrk2 at HOT_RATE requests a second (default 5000; latency from when
#               each request was due)
#   batch       100 entities x 50 features, meta status, rows, wrk2 at BATCH_RATE (100) a second
# and the stop-the-world pauses over each load (-Xlog:safepoint: every collector's pauses and the
# rest, counted, summed and the longest). One table row per
# option set and load; the candidates are CANDIDATES, one set per line.
#
#   loadtest/bench/jvm.sh                                   # ~8 min
#   CANDIDATES=$'-XX:+UseParallelGC\n-XX:+UseZGC' DURATION=20 loadtest/bench/jvm.sh
# Uses Postgres schema bench_jvm and Redis keys bench-jvm:*, dropped at start and exit; port
# FRESHET_PORT (18299).
set -euo pipefail

DURATION=${DURATION:-30}
WARMUP=${WARMUP:-15}
CUSTOMERS=${CUSTOMERS:-10000}
HOT_RATE=${HOT_RATE:-5000}
BATCH_RATE=${BATCH_RATE:-100}
FRESHET_PORT=${FRESHET_PORT:-18299}
BENCH_SCHEMA=bench_jvm
BENCH_PREFIX=bench-jvm:
DEFAULT_CANDIDATES='-XX:+UseG1GC
-XX:+UseG1GC -Xms2g -Xmx2g -XX:+AlwaysPreTouch
-XX:+UseParallelGC -Xms2g -Xmx2g -XX:+AlwaysPreTouch
-XX:+UseZGC -Xms2g -Xmx2g -XX:+AlwaysPreTouch
-XX:+UseShenandoahGC -Xms2g -Xmx2g -XX:+AlwaysPreTouch'
CANDIDATES=${CANDIDATES:-$DEFAULT_CANDIDATES}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

BASE="http://127.0.0.1:$FRESHET_PORT"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
WRK2_BIN=$(wrk2_path)
export HOT_SET=$CUSTOMERS

# load NAME OPTIONS TOOL ARGS... — one warm-up and one measured run of wrk or wrk2; a table row.
load() {
  local name=$1 options=$2
  shift 2
  "$@" -d"${WARMUP}s" "$BASE" >/dev/null
  "$@" -d"${DURATION}s" "$BASE" | wrk_row "$name" | awk -F '\t' -v options="$options" \
    '{ printf "| %s | %s | %d | %.2f | %.2f | %.2f | %d |", options, $1, $2, $3, $4, $5, $6 + $7 }'
}

bench_init
start_freshet freshet-seed "$FRESHET_PORT"
log "seeding $CUSTOMERS customers into every customer view"
java -cp "$WORK/freshet-ceilings.jar" io.freshet.loadtest.seed.Seeder --url="$BASE" \
  --entities="$CUSTOMERS" --views=customer >&2
stop_process "$STARTED_PID"

echo '| JVM options | load | answered/s | p50 ms | p90 ms | p99 ms | failed | pauses (count, total ms, longest ms) |' >"$WORK/table"
echo '|---|---|---:|---:|---:|---:|---:|---|' >>"$WORK/table"
while IFS= read -r options; do
  [ -n "$options" ] || continue
  log "candidate: $options"
  JAVA_OPTS="$options -Xlog:safepoint:file=$WORK/gc.log" start_freshet freshet "$FRESHET_PORT"
  pid=$STARTED_PID
  for spec in "hot-max wrk -t1 -c64 -s $BENCH_DIR/online.lua" \
    "hot-paced $WRK2_BIN -t1 -c64 -R$HOT_RATE -s $BENCH_DIR/online.lua" \
    "batch $WRK2_BIN -t1 -c$PACED_BATCH_CONNECTIONS -R$BATCH_RATE -s $BENCH_DIR/batch.lua"; do
    lines_before=$(wc -l <"$WORK/gc.log")
    # shellcheck disable=SC2086 # after its name, the spec is the command and its arguments
    row=$(load "${spec%% *}" "$options" ${spec#* })
    # Safepoints logged during this load (warm-up included): "..., Total: 1248912 ns".
    pauses=$(tail -n +"$((lines_before + 1))" "$WORK/gc.log" | grep -oE 'Total: [0-9]+ ns' \
      | awk '{ ms = $2 / 1e6; n++; t += ms; if (ms > m) m = ms } END { printf "%d, %.1f, %.2f", n, t, m }')
    echo "$row $pauses |" >>"$WORK/table"
  done
  stop_process "$pid"
  rm -f "$WORK/gc.log"
done <<<"$CANDIDATES"

printf '\nFreshet %s; %s cores shared by wrk, Freshet, Redis and Postgres; load average %s.\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "$(nproc)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'wrk (hot-max) and wrk2 (paced), %ss measured after %ss of the same; %s customers.\n\n' \
  "$DURATION" "$WARMUP" "$CUSTOMERS"
cat "$WORK/table"
