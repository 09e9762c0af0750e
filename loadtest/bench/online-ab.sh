#!/usr/bin/env bash
# Two builds side by side on the same data and machine: online reads of 1 entity x 10 features
# (online.lua) against build A and build B, ALTS alternating wrk rounds of ROUND seconds each
# (A, B, A, B, ...) after a warm-up of each. Medians of req/s and latency per build, and B ÷ A.
# Alternating rounds is what makes the comparison fair on a machine whose speed drifts: both
# builds see the same minutes. MODE=warm turns both hot tiers off (every value from Redis).
# SCRIPT=batch.lua reads 100 entities x 50 features instead (churn_behaviour_v1, meta status,
# rows layout; batch.lua's BATCH, META and LAYOUT pass through), flat out like online.sh's
# batch-*-flat loads. Both builds get every view of the customer entity, CUSTOMERS of each.
#
#   loadtest/bench/online-ab.sh OLD.jar NEW.jar
#   MODE=warm ALTS=10 ROUND=10 loadtest/bench/online-ab.sh OLD.jar NEW.jar
#   SCRIPT=batch.lua loadtest/bench/online-ab.sh OLD.jar NEW.jar
# Uses Postgres schemas bench_online_a and bench_online_b and Redis keys bench-online-ab:*,
# dropped at start and exit; ports 18292 and 18293.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 A.jar B.jar" >&2; exit 2; }

CUSTOMERS=${CUSTOMERS:-10000}
export HOT_SET=${HOT_SET:-1000}
ALTS=${ALTS:-8}
ROUND=${ROUND:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
MODE=${MODE:-hot}
SCRIPT=${SCRIPT:-online.lua}
BENCH_SCHEMA=bench_online_a
SCRATCH_SCHEMA=bench_online_b
BENCH_PREFIX=bench-online-ab:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
case $MODE in
  hot) TIER_SETTING=() ;;
  warm) TIER_SETTING=(FRESHET_HOT_MAX_ENTRIES=0) ;;
  *) die "MODE is hot or warm, not $MODE" ;;
esac

bench_init
declare -A PORT=([A]=18292 [B]=18293)
for j in A B; do
  jar=$1
  [ "$j" = B ] && jar=$2
  cp "$jar" "$WORK/freshet-$j.jar"
  schema=bench_online_a
  [ "$j" = B ] && schema=bench_online_b
  # shellcheck disable=SC2086 # JAVA_OPTS holds several words on purpose
  start_process "freshet-$j" 'freshet listening on http://' \
    env FRESHET_HTTP_PORT="${PORT[$j]}" FRESHET_PG_SCHEMA="$schema" \
    FRESHET_REDIS_KEY_PREFIX="bench-online-ab:$j:" FRESHET_PG_URL="$PG_URL" \
    FRESHET_REDIS_URL="$REDIS_URL" FRESHET_SCHEMAS_DIR="$MAIN_DIR/schemas" "${TIER_SETTING[@]}" \
    java ${JAVA_OPTS:-} -jar "$WORK/freshet-$j.jar"
  log "seeding $CUSTOMERS customers into $j"
  java -cp "$WORK/freshet-ceilings.jar" io.freshet.loadtest.seed.Seeder \
    --url="http://127.0.0.1:${PORT[$j]}" --entities="$CUSTOMERS" --views=customer >&2
done

round() {
  wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency -s "$BENCH_DIR/$SCRIPT" \
    "http://127.0.0.1:${PORT[$1]}" | grep '^WRK_RESULT'
}

alternate_rounds A B

printf '%s reads (%s), wrk -t1 -c%s, %s alternating rounds of %ss per build after a %ss warm-up;\n' \
  "$MODE" "$SCRIPT" "$CONNECTIONS" "$ALTS" "$ROUND" "$WARMUP"
printf '%s cores shared by wrk, both servers, Redis and Postgres; load average %s; JVM options: %s.\n' \
  "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "${JAVA_OPTS:-none}"
printf 'A = %s, B = %s\n\n' "$(basename "$1")" "$(basename "$2")"
python3 "$BENCH_DIR/rounds.py" "$WORK/rounds" build A B
