#!/usr/bin/env bash
# What a single-entity online read costs the server, against the ceilings it is judged by: req/s
# and the server's CPU a request (from /proc), in alternating rounds on the same data:
#   hot      Freshet, 1 entity x 10 features from the hot tier        against  bare
#   bare     BareJsonServer: Vert.x answering a fixed body the size of Freshet's answer
#   warm     a second Freshet with its hot tier off (every value from Redis)  against  hgetall
#   hgetall  RedisHgetallServer: Vert.x plus one HGETALL of the same ten values
# The Redis rows also give Redis's CPU a request (INFO cpu). wrk -t1 -cCONNECTIONS with
# online.lua, a WARMUP-second round of each target, then ROUNDS rounds of ROUND seconds each, the
# targets in turn. A server's req/s is bounded by the two cores it shares with wrk (and Redis), so
# its CPU a request says what it has left to cut: online.sh's hot and warm goals are these req/s
# ratios.
#
#   loadtest/bench/cpu-per-request.sh                  # ~5 min
#   ROUNDS=5 ROUND=20 loadtest/bench/cpu-per-request.sh
# Uses Postgres schema bench_cpu and Redis keys bench-cpu:*, dropped at start and exit; ports
# 18083 to 18086.
set -euo pipefail

CUSTOMERS=${CUSTOMERS:-10000}
export HOT_SET=${HOT_SET:-1000}
ROUNDS=${ROUNDS:-3}
ROUND=${ROUND:-15}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
BENCH_SCHEMA=bench_cpu
BENCH_PREFIX=bench-cpu:
CEILING_KEY=${BENCH_PREFIX}ceiling:customer

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
bench_init
CEILINGS=(java -cp "$WORK/freshet-ceilings.jar")
declare -A PORT=([hot]=18083 [warm]=18084 [bare]=18085 [hgetall]=18086) PID

start_freshet freshet-hot "${PORT[hot]}"
PID[hot]=$STARTED_PID
log "seeding $CUSTOMERS customers into every customer view"
"${CEILINGS[@]}" io.freshet.loadtest.seed.Seeder --url="http://127.0.0.1:${PORT[hot]}" \
  --entities="$CUSTOMERS" --views=customer >&2
start_freshet freshet-warm "${PORT[warm]}" FRESHET_HOT_MAX_ENTRIES=0
PID[warm]=$STARTED_PID
start_process bare 'ceiling bare-json listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.BareJsonServer --port="${PORT[bare]}"
PID[bare]=$STARTED_PID

seed_ceiling_hash "$CEILING_KEY"
start_process hgetall 'ceiling redis-hgetall listening' \
  "${CEILINGS[@]}" io.freshet.loadtest.ceiling.RedisHgetallServer --port="${PORT[hgetall]}" \
  --redis="$REDIS_URL" --key="$CEILING_KEY"
PID[hgetall]=$STARTED_PID

load() {
  wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency -s "$BENCH_DIR/online.lua" "http://127.0.0.1:${PORT[$1]}"
}

TARGETS=(hot bare warm hgetall)
for target in "${TARGETS[@]}"; do
  load "$target" "$WARMUP" >/dev/null
done
HZ=$(getconf CLK_TCK)
: >"$WORK/rounds"
for round in $(seq "$ROUNDS"); do
  for target in "${TARGETS[@]}"; do
    before=$(cpu_ticks "${PID[$target]}") redis_before=$(redis_cpu_seconds)
    result=$(load "$target" "$ROUND" | grep '^WRK_RESULT')
    after=$(cpu_ticks "${PID[$target]}") redis_after=$(redis_cpu_seconds)
    echo "$target $round $(kv requests "$result") $(kv duration_us "$result") $(kv p99_us "$result")" \
      "$((after - before)) $redis_before $redis_after" >>"$WORK/rounds"
    log "$target round $round: $result"
  done
done

printf '\n%s rounds of %s s, wrk -t1 -c%s; %s cores shared by wrk, the servers, Redis and Postgres;\n' \
  "$ROUNDS" "$ROUND" "$CONNECTIONS" "$(nproc)"
printf 'load average %s; Freshet %s, JVM options: %s.\n\n' "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "${JAVA_OPTS:-none}"
awk -v hz="$HZ" '
  { n = ++count[$1]; rate[$1, n] = $3 / ($4 / 1e6); cpu[$1, n] = $6 / hz * 1e6 / $3
    redis[$1, n] = ($8 - $7) * 1e6 / $3; p99[$1, n] = $5 / 1000 }
  function median(arr, t,   i, j, k, v, c) {
    c = count[t]
    for (i = 1; i <= c; i++) v[i] = arr[t, i]
    for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { k = v[i]; v[i] = v[j]; v[j] = k }
    return c % 2 ? v[(c + 1) / 2] : (v[c / 2] + v[c / 2 + 1]) / 2
  }
  function rounds(arr, t, fmt,   i, s) {
    for (i = 1; i <= count[t]; i++) s = s sprintf(" " fmt, arr[t, i])
    return s
  }
  END {
    print "| target | req/s (median) | server CPU µs a request (median) | Redis µs a request | p99 ms | req/s per round | server µs per round |"
    print "|---|---:|---:|---:|---:|---|---|"
    split("hot bare warm hgetall", order, " ")
    for (o = 1; o <= 4; o++) {
      t = order[o]
      printf "| %s | %.0f | %.1f | %.1f | %.2f |%s |%s |\n", t, median(rate, t), median(cpu, t),
        median(redis, t), median(p99, t), rounds(rate, t, "%.0f"), rounds(cpu, t, "%.1f")
    }
    printf "\nhot ÷ bare: req/s %.2f, server CPU a request %.2f\n", median(rate, "hot") / median(rate, "bare"),
      median(cpu, "hot") / median(cpu, "bare")
    printf "warm ÷ hgetall: req/s %.2f, server CPU a request %.2f, Redis CPU a request %.2f\n",
      median(rate, "warm") / median(rate, "hgetall"), median(cpu, "warm") / median(cpu, "hgetall"),
      median(redis, "warm") / median(redis, "hgetall")
  }' "$WORK/rounds"
