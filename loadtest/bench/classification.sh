#!/usr/bin/env bash
# Cost of SLA classification (FRESH/STALE/ROTTEN/MISSING) on the hot read path, estimated in one
# run. Freshet has no switch to turn classification off (and none is added for a benchmark), so
# this is not a with/without comparison. Instead:
#   (a) hot reads: wrk -t1 -c$CONNECTIONS with online.lua (1 entity x 10 features, meta full)
#       against one Freshet serving from its hot tier; req/s, and the CPU the Freshet process
#       used over the measured run (utime + stime from /proc/PID/stat, all its threads);
#   (b) the classification itself: ClassifyBench.java, compiled against the same freshet.jar,
#       times FreshnessClassifier.classify for the 10 values of a request (ns per request),
#       with Freshet stopped so nothing else competes for the cores.
# Share of Freshet's CPU spent classifying = ns per request x req/s / Freshet's busy ns per
# second. If that CPU went into serving instead, req/s would be higher by the factor
# 1 / (1 - share): the equivalent loss is the share itself. An estimate, with the caveats
# the output lists.
#
#   loadtest/bench/classification.sh
#   DURATION=5 WARMUP=3 loadtest/bench/classification.sh     # smoke run
# Settings (environment): DURATION, WARMUP (seconds), CONNECTIONS (wrk), CUSTOMERS (seeded),
# HOT_SET (customers read), MICRO_REQUESTS, MICRO_ROUNDS (ClassifyBench), FRESHET_PORT, PG_URL,
# REDIS_URL. Uses Postgres schema "bench_cls" and Redis keys "bench_cls:*", dropped at start and
# exit.
set -euo pipefail

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
CUSTOMERS=${CUSTOMERS:-10000}
export HOT_SET=${HOT_SET:-1000}
MICRO_REQUESTS=${MICRO_REQUESTS:-5000000}
MICRO_ROUNDS=${MICRO_ROUNDS:-7}
FRESHET_PORT=${FRESHET_PORT:-18095}
BENCH_SCHEMA=bench_cls
BENCH_PREFIX=bench_cls:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

[ "$HOT_SET" -le "$CUSTOMERS" ] || die "HOT_SET ($HOT_SET) exceeds CUSTOMERS ($CUSTOMERS)"
command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
command -v javac >/dev/null || die "javac is not installed (a JDK 17 is needed)"


# Prints "PROCESS_TICKS MACHINE_BUSY_TICKS MACHINE_TOTAL_TICKS NANOS": utime + stime of PID (all
# threads), the machine's busy and total jiffies from /proc/stat, and the monotonic-ish wall clock.
cpu_sample() {
  local proc machine
  proc=$(sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }')
  machine=$(awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat)
  printf '%s %s %s\n' "$proc" "$machine" "$(date +%s%N)"
}

LOAD_BEFORE=$(cut -d ' ' -f 1-3 /proc/loadavg)
bench_init
url="http://127.0.0.1:$FRESHET_PORT"
start_freshet freshet-cls "$FRESHET_PORT"
freshet_pid=$STARTED_PID
[ "$(cat "/proc/$freshet_pid/comm")" = java ] || die "pid $freshet_pid is not the Freshet JVM"
log "seeding $CUSTOMERS customers"
python3 "$BENCH_DIR/rows.py" seed --url "$url" --customers "$CUSTOMERS" >&2

log "warm-up ${WARMUP}s"
wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$BENCH_DIR/online.lua" "$url" >/dev/null
tiers_before=$(tier_reads "$FRESHET_PORT")
cpu_before=$(cpu_sample "$freshet_pid")
log "measuring hot reads ${DURATION}s"
wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$BENCH_DIR/online.lua" "$url" >"$WORK/wrk.txt"
cpu_after=$(cpu_sample "$freshet_pid")
tiers_after=$(tier_reads "$FRESHET_PORT")
stop_process "$freshet_pid"
grep -q '^WRK_RESULT' "$WORK/wrk.txt" || die "wrk printed no result"

log "microbenchmark: FreshnessClassifier.classify, 10 values x $MICRO_REQUESTS requests x $MICRO_ROUNDS rounds"
javac -d "$WORK/classes" -cp "$WORK/freshet.jar" "$BENCH_DIR/ClassifyBench.java"
java -cp "$WORK/freshet.jar:$WORK/classes" ClassifyBench "$MICRO_REQUESTS" "$MICRO_ROUNDS" >"$WORK/micro.txt"

printf '\nFreshet %s; wrk -t1 -c%s -d%ss --latency (after a %ss warm-up), online.lua: 1 entity x 10 features,\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "$CONNECTIONS" "$DURATION" "$WARMUP"
printf 'meta full, customers 1..%s of %s seeded; wrk, Freshet, Redis and Postgres share %s cores.\n' \
  "$HOT_SET" "$CUSTOMERS" "$(nproc)"
printf 'Load average before the script started anything: %s. Goal: SLA classification costs <= 5%% of\n' \
  "$LOAD_BEFORE"
printf 'hot-read req/s.\n\n'

{
  grep '^WRK_RESULT' "$WORK/wrk.txt"
  echo "TIERS $tiers_before $tiers_after"
  echo "CPU $cpu_before $cpu_after"
  grep '^CLASSIFY_RESULT' "$WORK/micro.txt"
} | awk -v ticks="$(getconf CLK_TCK)" -v cores="$(nproc)" '
  function kv(line, prefix,   i, f, p) {
    for (i = 2; i <= split(line, f, " "); i++) { split(f[i], p, "="); r[prefix p[1]] = p[2] }
  }
  /^WRK_RESULT/ { kv($0, "wrk_") }
  /^TIERS/ { n = $9 - $5; if (n == 0) n = 1; hot = 100 * ($6 - $2) / n }
  /^CPU/ {
    wall = ($9 - $5) / 1e9
    proc_s = ($6 - $2) / ticks
    mach = ($8 - $4 == 0) ? 0 : ($7 - $3) / ($8 - $4)
  }
  /^CLASSIFY_RESULT/ { split($2, c, "="); kv($0, c[2] "_") }
  END {
    rps = r["wrk_requests"] / (r["wrk_duration_us"] / 1e6)
    busy = proc_s * 1e9 / wall
    util = busy / (cores * 1e9)
    ns = r["fresh_ns_per_request"]; if (r["mixed_ns_per_request"] > ns) ns = r["mixed_ns_per_request"]
    share = ns * rps / busy
    meter_share = r["meter_ns_per_request"] * rps / busy
    printf "(a) hot reads, measured:\n"
    printf "  %.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, errors %d; served from hot %.1f%%\n",
      rps, r["wrk_p50_us"] / 1000, r["wrk_p90_us"] / 1000, r["wrk_p99_us"] / 1000,
      r["wrk_socket_errors"] + r["wrk_non2xx"], hot
    printf "  Freshet process CPU: %.2f s over %.2f s = %.0f%% of %d cores (%.3g busy ns/s);\n",
      proc_s, wall, 100 * util, cores, busy
    printf "  whole machine busy %.0f%% (wrk, Redis, Postgres and anything else included)\n", 100 * mach
    printf "  => %.0f ns of Freshet CPU per request\n", busy / rps
    printf "(b) FreshnessClassifier.classify, 10 values per request, alone in its own JVM (median of %d rounds):\n",
      r["fresh_rounds"]
    printf "  all FRESH (as in (a)): %.2f ns/request; mixed FRESH/STALE/ROTTEN/MISSING: %.2f ns/request;\n",
      r["fresh_ns_per_request"], r["mixed_ns_per_request"]
    printf "  harness loop alone: %.2f ns/request (not subtracted)\n", r["loop_ns_per_request"]
    printf "Estimate (the larger of the two classification figures):\n"
    printf "  classification share of Freshet CPU = %.2f ns x %.0f req/s / %.3g busy ns/s = %.3f%%\n",
      ns, rps, busy, 100 * share
    printf "  equivalent req/s without it at the same CPU: %.0f req/s / (1 - share) = %.0f (loss %.3f%%, %.1f req/s)\n",
      rps, rps / (1 - share), 100 * share, rps * share / (1 - share)
    printf "  classification would have to cost %.0fx the microbenchmark figure in the server to reach the 5%% goal\n",
      0.05 / share
    printf "Context, not classification: the per-value read metering that follows each classification\n"
    printf "  (FreshetMetrics.servedValue: status counter + served-age histogram) costs %.0f ns/request\n",
      r["meter_ns_per_request"]
    printf "  in the same microbenchmark, i.e. %.2f%% of Freshet CPU at this rate.\n", 100 * meter_share
    printf "CLASSIFICATION_RESULT rps=%.0f freshet_cpu_util=%.4f busy_ns_per_s=%.0f cpu_ns_per_request=%.0f" \
      " classify_ns_per_request=%.2f share=%.5f rps_without=%.0f meter_ns_per_request=%.1f meter_share=%.5f\n",
      rps, util, busy, busy / rps, ns, share, rps / (1 - share), r["meter_ns_per_request"], meter_share
  }'
cat <<'EOF'
Method and caveats: Freshet has no switch to disable classification, so this estimates the share
rather than comparing two runs. The microbenchmark times only the classify calls (about one per
value, the loop included), warm in a JVM with the cores to itself; in the server the same code runs
inlined amid the rest of the request, with colder caches and contended cores, so its real cost there
is likely higher by some factor, and the share scales by that factor (the line above says how large
it would have to be to break the goal). Freshet's CPU (the denominator) counts all its threads, GC
and JIT included. The req/s equivalence assumes the hot path is CPU-bound (it is here: wrk and
Freshet saturate the shared cores).
EOF
