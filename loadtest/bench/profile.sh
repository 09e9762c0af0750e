#!/usr/bin/env bash
# Where an online read's time goes: one Freshet, seeded, then for each load a warm-up and a profile
# of one measured wrk run, kept under OUT (default loadtest/bench/profiles/<date>-<commit>) as
# collapsed stacks (gzipped), for any flame-graph tool, beside a summary (LOAD.txt) and wrk's
# figures (LOAD.wrk).
#   hot     1 entity x 10 features, values from the hot tier        (online.lua)
#   warm    the same with the hot tier off: every value from Redis   (online.lua)
#   batch   100 entities x 50 features, meta status, hot tier        (batch.lua)
# PROFILER picks the sampler:
#   async   async-profiler (lib.sh's async_profile; fetched from Maven Central once) over the
#           middle DURATION - 4 seconds: CPU samples with native and kernel frames, summarised
#           by collapsed_top.py. The default.
#   jfr     a JFR recording (settings=profile) of the whole run, summarised by jfr_top.py with
#           its allocation samples; on small VMs its CPU samples are sparse.
#
#   loadtest/bench/profile.sh                 # all three, ~3 min
#   LOADS="batch" DURATION=30 PROFILER=jfr loadtest/bench/profile.sh
# Uses Postgres schema bench_profile and Redis keys bench-profile:*, dropped at start and exit;
# port FRESHET_PORT (18296).
set -euo pipefail

LOADS=${LOADS:-hot warm batch}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-10}
CUSTOMERS=${CUSTOMERS:-10000}
CONNECTIONS=${CONNECTIONS:-32}
PROFILER=${PROFILER:-async}
FRESHET_PORT=${FRESHET_PORT:-18296}
BENCH_SCHEMA=bench_profile
BENCH_PREFIX=bench-profile:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
COMMIT=$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)
OUT=${OUT:-$BENCH_DIR/profiles/$(date +%F)-$COMMIT}
mkdir -p "$OUT"
BASE="http://127.0.0.1:$FRESHET_PORT"

bench_init

case $PROFILER in
  async) [ "$DURATION" -ge 8 ] || die "DURATION must be at least 8 s for PROFILER=async" ;;
  jfr) ;;
  *) die "PROFILER is async or jfr, not $PROFILER" ;;
esac

# measured LOAD SCRIPT — the measured wrk run; its figures in $OUT/LOAD.wrk.
measured() {
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH_DIR/$2" "$BASE" \
    | grep '^WRK_RESULT' >"$OUT/$1.wrk"
}

# profile LOAD SCRIPT [VAR=VALUE...] — a Freshet (tier settings as given), warmed, recorded.
profile() {
  local load=$1 script=$2
  shift 2
  start_freshet "freshet-$load" "$FRESHET_PORT" "$@"
  local pid=$STARTED_PID
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BENCH_DIR/$script" "$BASE" >/dev/null
  if [ "$PROFILER" = jfr ]; then
    jcmd "$pid" JFR.start name=load settings=profile >/dev/null
    measured "$load" "$script"
    jcmd "$pid" JFR.dump name=load filename="$WORK/$load.jfr" >/dev/null
    python3 "$BENCH_DIR/jfr_top.py" "$WORK/$load.jfr" --collapsed "$OUT/$load.collapsed" \
      >"$OUT/$load.txt"
  else
    measured "$load" "$script" &
    local wrk=$!
    sleep 2
    async_profile "$pid" "$((DURATION - 4))" "$OUT/$load.collapsed"
    wait "$wrk"
    python3 "$BENCH_DIR/collapsed_top.py" "$OUT/$load.collapsed" >"$OUT/$load.txt"
  fi
  stop_process "$pid"
  gzip -9f "$OUT/$load.collapsed"
  log "$load: $(cat "$OUT/$load.wrk")"
}

start_freshet freshet-seed "$FRESHET_PORT"
log "seeding $CUSTOMERS customers into every customer view"
java -cp "$WORK/freshet-ceilings.jar" io.freshet.loadtest.seed.Seeder --url="$BASE" \
  --entities="$CUSTOMERS" --views=customer >&2
stop_process "$STARTED_PID"

export HOT_SET=${HOT_SET:-$CUSTOMERS}
for load in $LOADS; do
  case $load in
    hot) profile hot online.lua ;;
    warm) profile warm online.lua FRESHET_HOT_MAX_ENTRIES=0 ;;
    batch) profile batch batch.lua ;;
    *) die "unknown load $load" ;;
  esac
done
printf 'profiles of Freshet %s (load average %s) in %s\n' "$COMMIT" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$OUT"
