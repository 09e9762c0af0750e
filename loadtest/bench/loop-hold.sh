#!/usr/bin/env bash
# How long snapshot work keeps an event loop from its other work, read from the loops' own probes
# (freshet_event_loop_lag: each loop sets itself a timer every 5 ms and records how late it
# fired). One Freshet, CUSTOMERS seeded, warmed; then, with no other request, the probes are
# read over SECONDS idle (the floor: timers, the scheduler, the JVM), and over SNAPSHOTS
# LABELS-row churn_raw snapshots one after another. A piece of snapshot work run on a loop shows
# as a late probe whenever the probe falls due meanwhile; a pause of the whole JVM (a collection,
# counted apart with -Xlog:gc) shows on every loop.
#
#   loadtest/bench/loop-hold.sh                  # ~1.5 min
# Uses Postgres schema bench_loop_hold and Redis keys bench-loop-hold:*, dropped at start and exit;
# port FRESHET_PORT (18299).
set -euo pipefail

CUSTOMERS=${CUSTOMERS:-10000}
LABELS=${LABELS:-100000}
SNAPSHOTS=${SNAPSHOTS:-10}
FRESHET_PORT=${FRESHET_PORT:-18299}
BENCH_SCHEMA=bench_loop_hold
BENCH_PREFIX=bench-loop-hold:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=transforms_lib.sh
source "$BENCH_DIR/transforms_lib.sh"

BASE="http://127.0.0.1:$FRESHET_PORT"

# probes — the lag histogram's cumulative counts now, one "le count" pair a line, then the total.
probes() {
  curl -fsS "$BASE/metrics" | awk '
    /^freshet_event_loop_lag_seconds_bucket/ { match($0, /le="[^"]*"/); print substr($0, RSTART + 4, RLENGTH - 5), $NF }
    /^freshet_event_loop_lag_seconds_count/ { print "count", $NF }'
}

# row WHAT BEFORE AFTER — probes between two readings: how many, and how many fired later than
# 1, 2, 5 and 10 ms.
row() {
  awk -v what="$1" '
    FNR == NR { before[$1] = $2; next }
    { after[$1] = $2 }
    END {
      n = after["count"] - before["count"]
      printf "| %s | %d", what, n
      split("0.001 0.002 0.005 0.01", limits, " ")
      for (i = 1; i <= 4; i++) {
        le = ""
        for (k in after) if (k != "count" && k != "+Inf" && k + 0 >= limits[i] && (le == "" || k + 0 < le + 0)) le = k
        late = n - (after[le] - before[le])
        printf " | %d (%.3f%%)", late, n ? 100 * late / n : 0
      }
      printf " |\n"
    }' "$2" "$3"
}

# pauses FROM TO — the JVM's pauses between two uptimes (seconds) in its GC log: count, longest.
pauses() {
  awk -v from="$1" -v to="$2" '/Pause/ && /ms$/ {
      t = substr($1, 2) + 0; ms = $NF; sub(/ms/, "", ms)
      if (t >= from && t < to) { n++; if (ms + 0 > longest) longest = ms + 0; if (ms + 0 > 1) over++ } }
    END { printf "%d pauses, %d over 1 ms, longest %.1f ms\n", n, over, longest }' "$WORK/gc.log"
}

uptime_s() {
  awk '{ print $1 }' /proc/uptime
}

bench_init
JAVA_OPTS="${JAVA_OPTS:-} -Xlog:gc:file=$WORK/gc.log:uptime"
start_freshet freshet "$FRESHET_PORT"
# When the JVM started, in the machine's uptime: the GC log counts from there.
jvm_started=$(awk -v hz="$(getconf CLK_TCK)" '{ print $22 / hz }' "/proc/$STARTED_PID/stat")
log "seeding $CUSTOMERS customers, warming up"
python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2
labels_file churn_raw
for _ in 1 2 3; do snapshot_seconds churn_raw >/dev/null; done

log "idle, then $SNAPSHOTS snapshots of $LABELS rows one after another"
probes >"$WORK/p0"
idle_from=$(uptime_s)
sleep "${IDLE_SECONDS:-20}"
probes >"$WORK/p1"
snap_from=$(uptime_s)
for _ in $(seq "$SNAPSHOTS"); do snapshot_seconds churn_raw >/dev/null; done
probes >"$WORK/p2"
snap_to=$(uptime_s)

printf 'Freshet %s (JAVA_OPTS %s), %s cores shared with Postgres and curl; load average %s.\n\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "${JAVA_OPTS% -Xlog*}" \
  "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
echo '| event loops | probes | later than 1 ms | later than 2 ms | later than 5 ms | later than 10 ms |'
echo '|---|---:|---:|---:|---:|---:|'
row "idle, $(awk -v a="$idle_from" -v b="$snap_from" 'BEGIN { printf "%.0f s", b - a }')" "$WORK/p0" "$WORK/p1"
row "$SNAPSHOTS snapshots, $(awk -v a="$snap_from" -v b="$snap_to" 'BEGIN { printf "%.0f s", b - a }')" "$WORK/p1" "$WORK/p2"
printf '\nJVM pauses while idle: %s\n' \
  "$(pauses "$(awk -v a="$idle_from" -v j="$jvm_started" 'BEGIN { print a - j }')" \
    "$(awk -v a="$snap_from" -v j="$jvm_started" 'BEGIN { print a - j }')")"
printf 'JVM pauses during the snapshots: %s\n' \
  "$(pauses "$(awk -v a="$snap_from" -v j="$jvm_started" 'BEGIN { print a - j }')" \
    "$(awk -v a="$snap_to" -v j="$jvm_started" 'BEGIN { print a - j }')")"
