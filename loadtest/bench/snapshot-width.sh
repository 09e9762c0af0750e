#!/usr/bin/env bash
# What churn_v2's eight transformations cost beyond the eight columns they add to a snapshot.
# The example schemas are copied and customer_profile is given eight stored features holding
# exactly what the transformations compute (their values are taken from a churn_v2 snapshot and
# ingested as a newer customer_profile record), and a service churn_wide = churn_raw's ten + those
# eight. churn_wide's rows are then byte for byte churn_v2's (checked), computed by nothing. Then,
# as snapshot-load.sh does, CONCURRENCY snapshots of LABELS rows at once per service, the three
# services rotated ROUNDS times, the Freshet process's CPU and the wall time read around each.
#   churn_wide vs churn_raw   the cost of eight more columns in the output
#   churn_v2 vs churn_wide    the cost of computing them rather than reading them
#
#   loadtest/bench/snapshot-width.sh                                 # ~4 min
# Uses Postgres schema bench_width and Redis keys bench-width:*, dropped at start and exit; port
# FRESHET_PORT (18294).
set -euo pipefail

CUSTOMERS=${CUSTOMERS:-10000}
LABELS=${LABELS:-100000}
CONCURRENCY=${CONCURRENCY:-4}
ROUNDS=${ROUNDS:-9}
WARM=${WARM:-4}
FRESHET_PORT=${FRESHET_PORT:-18294}
BENCH_SCHEMA=bench_width
BENCH_PREFIX=bench-width:
SERVICES=(churn_raw churn_wide churn_v2)
DERIVED=(tenure_years minutes_per_session support_pressure log_minutes premium_plan spend_z
  sessions_scaled tenure_bucket)

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=transforms_lib.sh
source "$BENCH_DIR/transforms_lib.sh"
BASE="http://127.0.0.1:$FRESHET_PORT"

# wide_schemas DIR — the example schemas with the eight stored copies and churn_wide.
wide_schemas() {
  mkdir -p "$1"
  cp "$MAIN_DIR"/schemas/*.yaml "$1/"
  python3 - "$1/churn.yaml" <<'P'
import sys
path = sys.argv[1]
text = open(path).read()
types = {"premium_plan": "bool", "tenure_bucket": "int64"}
names = ["tenure_years", "minutes_per_session", "support_pressure", "log_minutes", "premium_plan",
         "spend_z", "sessions_scaled", "tenure_bucket"]
features = "".join(
    f"      - name: d_{n}\n        type: {types.get(n, 'float64')}\n        nullable: true\n"
    f"        description: The {n} transformation's value, stored (snapshot-width.sh).\n"
    for n in names)
anchor = "description: Average invoiced amount over the last three months; null for trials.\n"
assert anchor in text
text = text.replace(anchor, anchor + features, 1)
raw = text[text.index("  - name: churn_raw"):text.index("  - name: churn_v2")]
wide = raw.replace("name: churn_raw", "name: churn_wide").rstrip("\n") + "\n" + "".join(
    f"      - customer_profile:d_{n}\n" for n in names) + "\n"
text = text.replace("  - name: churn_v2", wide + "  - name: churn_v2", 1)
open(path, "w").write(text)
P
}

# store_derived — churn_v2's values for every customer, ingested as a newer customer_profile
# record that keeps the raw values and adds the stored copies.
store_derived() {
  python3 - "$CUSTOMERS" >"$WORK/derive-request.json" <<'P'
import datetime, json, sys
at = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=9)).isoformat()
rows = [{"customer_id": i, "timestamp": at} for i in range(1, int(sys.argv[1]) + 1)]
print(json.dumps({"feature_service": "churn_v2", "format": "jsonl", "rows": rows}))
P
  curl -fsS -H 'content-type: application/json' --data-binary @"$WORK/derive-request.json" \
    "$BASE/v1/features/historical" >"$WORK/derived.jsonl"
  python3 - "$WORK/derived.jsonl" "$BASE" <<'P'
import datetime, json, sys, urllib.request
names = ["tenure_years", "minutes_per_session", "support_pressure", "log_minutes", "premium_plan",
         "spend_z", "sessions_scaled", "tenure_bucket"]
raw = ["age", "plan", "tenure_days", "monthly_spend"]
at = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=9)).isoformat()
rows = []
for line in open(sys.argv[1]):
    row = json.loads(line)
    if "customer_id" not in row:
        continue
    out = {"customer_id": row["customer_id"], "event_timestamp": at}
    out.update({f: row["customer_profile:" + f] for f in raw})
    out.update({"d_" + n: row[n] for n in names})
    rows.append(out)
for start in range(0, len(rows), 1000):
    body = json.dumps({"rows": rows[start:start + 1000]}).encode()
    request = urllib.request.Request(sys.argv[2] + "/v1/ingest/customer_profile", body,
                                     {"content-type": "application/json"})
    urllib.request.urlopen(request).read()
print(f"stored the eight values of {len(rows)} customers", file=sys.stderr)
P
}

bench_init
wide_schemas "$WORK/schemas"
start_freshet freshet "$FRESHET_PORT" FRESHET_SCHEMAS_DIR="$WORK/schemas"
FRESHET_PID=$STARTED_PID
log "seeding $CUSTOMERS customers, fitting, storing the transformations' values"
python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2
fit_all
store_derived
# One set of label rows (labels_file stamps them from the clock) under each service's name.
labels_file churn_raw
for s in churn_wide churn_v2; do
  sed "1s/churn_raw/$s/" "$WORK/labels-churn_raw.ndjson" >"$WORK/labels-$s.ndjson"
done
snapshot_seconds churn_wide "$WORK/check-wide.csv" >/dev/null
snapshot_seconds churn_v2 "$WORK/check-v2.csv" >/dev/null
if ! cmp -s <(tail -n +2 "$WORK/check-wide.csv") <(tail -n +2 "$WORK/check-v2.csv"); then
  diff <(tail -n +2 "$WORK/check-wide.csv") <(tail -n +2 "$WORK/check-v2.csv") | head -6 >&2 || true
  die "churn_wide's rows differ from churn_v2's: the comparison would not be like for like"
fi
[ "$(($(wc -l <"$WORK/check-v2.csv") - 1))" -eq "$LABELS" ] || die "short snapshot"
log "churn_wide's $LABELS rows are byte for byte churn_v2's; warm-up: $WARM rounds"
for _ in $(seq "$WARM"); do for s in "${SERVICES[@]}"; do concurrent "$s" >/dev/null; done; done

for round in $(seq "$ROUNDS"); do
  order=("${SERVICES[@]:round%3}" "${SERVICES[@]:0:round%3}")
  for s in "${order[@]}"; do
    c0=$(cpu_seconds "$FRESHET_PID")
    wall=$(concurrent "$s")
    c1=$(cpu_seconds "$FRESHET_PID")
    echo "$s $wall $(echo "$c1 - $c0" | bc -l)"
  done
done >"$WORK/rounds"

concurrent_header
python3 - "$WORK/rounds" "$CONCURRENCY" "$LABELS" <<'P'
import sys, statistics as st
rows = int(sys.argv[2]) * int(sys.argv[3])
per = {}
for line in open(sys.argv[1]):
    s, wall, cpu = line.split()
    per.setdefault(s, []).append((float(wall), float(cpu)))
med = {s: (st.median(rows / w for w, _ in r), st.median(c * 1e5 / rows for _, c in r)) for s, r in per.items()}
print('| service | columns | rows/s (median) | Freshet CPU s / 100k rows (median) |')
print('|---|---:|---:|---:|')
for s, cols in (('churn_raw', 10), ('churn_wide', 18), ('churn_v2', 18)):
    print(f'| {s} | {cols} | {med[s][0]:,.0f} | {med[s][1]:.3f} |')
def cmp(a, b, what):
    print(f'{what}: throughput {100 * (1 - med[a][0] / med[b][0]):.1f}% lower, '
          f'Freshet CPU {100 * (med[a][1] / med[b][1] - 1):+.1f}%')
print()
cmp('churn_wide', 'churn_raw', 'eight more columns (churn_wide vs churn_raw)')
cmp('churn_v2', 'churn_wide', 'computing them (churn_v2 vs churn_wide)')
cmp('churn_v2', 'churn_raw', 'both (churn_v2 vs churn_raw, the goal)')
P
