#!/usr/bin/env bash
# The cost of drift monitoring on online reads, in one server and one run: reads of churn_raw
# (not monitored) against reads of churn_watched (the same ten features, `monitoring: {sample:
# 1.0}`, with a baseline, so every row of every read is counted), ALTS alternating wrk rounds of
# ROUND seconds each after a warm-up of each. Medians of req/s and latency per service, and
# watched ÷ raw (the goal: req/s at least 0.9). SKEW=0.001 also replays that share of reads.
#
#   loadtest/bench/monitoring-ab.sh [FRESHET.jar]
#   ALTS=10 ROUND=10 SKEW=0.001 loadtest/bench/monitoring-ab.sh
# Uses Postgres schema bench_monitoring and Redis keys bench-monitoring:*, dropped at start and
# exit; port 18294.
set -euo pipefail

CUSTOMERS=${CUSTOMERS:-10000}
export HOT_SET=${HOT_SET:-1000}
ALTS=${ALTS:-8}
ROUND=${ROUND:-10}
WARMUP=${WARMUP:-10}
CONNECTIONS=${CONNECTIONS:-32}
SKEW=${SKEW:-0}
BENCH_SCHEMA=bench_monitoring
BENCH_PREFIX=bench-monitoring:
PORT=18294
BASE="http://127.0.0.1:$PORT"

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

command -v wrk >/dev/null || die "wrk is not installed (apt-get install wrk)"
bench_init
[ $# -eq 1 ] && cp "$1" "$WORK/freshet.jar"

# The shipped schemas, and churn_raw's features once more as a monitored service.
mkdir -p "$WORK/schemas"
cp "$MAIN_DIR"/schemas/*.yaml "$WORK/schemas/"
cat >"$WORK/schemas/zz_bench_monitoring.yaml" <<YAML
feature_services:
  - name: churn_watched
    features: [customer_profile:age, customer_profile:plan, customer_profile:tenure_days,
               customer_profile:monthly_spend, customer_activity:sessions_7d,
               customer_activity:minutes_7d, customer_activity:last_login_days,
               customer_support:tickets_30d, customer_support:open_tickets,
               customer_support:csat_score]
    monitoring: {sample: 1.0, window: 1h, skew_sample: $SKEW}
YAML
start_freshet freshet "$PORT" FRESHET_SCHEMAS_DIR="$WORK/schemas"
log "seeding $CUSTOMERS customers"
python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2

# The baseline: a snapshot of churn_watched over every seeded customer.
python3 - "$CUSTOMERS" >"$WORK/baseline-request.json" <<'PY'
import datetime, json, sys
now = datetime.datetime.now(datetime.timezone.utc).isoformat()
rows = [{"customer_id": i, "timestamp": now} for i in range(1, int(sys.argv[1]) + 1)]
print(json.dumps({"feature_service": "churn_watched", "rows": rows}))
PY
id=$(curl -fsS -D - -o /dev/null -H 'content-type: application/json' \
  --data-binary @"$WORK/baseline-request.json" "$BASE/v1/features/historical" \
  | tr -d '\r' | awk -F': ' 'tolower($1) == "x-snapshot-id" { print $2 }')
[ -n "$id" ] || die "the baseline snapshot returned no id"
curl -fsS -X PUT -H 'content-type: application/json' -d "{\"snapshot_id\": \"$id\"}" \
  "$BASE/v1/monitoring/churn_watched/baseline" >&2 || die "PUT baseline failed"

round() {
  SERVICE=$1 wrk -t1 -c"$CONNECTIONS" -d"$2s" --latency -s "$BENCH_DIR/online.lua" "$BASE" \
    | grep '^WRK_RESULT'
}

alternate_rounds churn_raw churn_watched

printf 'hot reads of one entity x 10 features, wrk -t1 -c%s, %s alternating rounds of %ss per service after a %ss warm-up; skew_sample %s;\n' \
  "$CONNECTIONS" "$ALTS" "$ROUND" "$WARMUP" "$SKEW"
printf '%s cores shared by wrk, the server, Redis and Postgres; load average %s; JVM options: %s.\n\n' \
  "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "${JAVA_OPTS:-none}"
curl -fsS "$BASE/v1/monitoring/churn_watched/drift" \
  | python3 -c 'import json,sys; d=json.load(sys.stdin); print("drift: %s rows counted in the window, status %s\n" % (d["samples"], d["status"]))'
python3 "$BENCH_DIR/rounds.py" "$WORK/rounds" service churn_raw churn_watched
