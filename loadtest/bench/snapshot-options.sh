#!/usr/bin/env bash
# What the serving-faithful options cost a snapshot: the same LABELS rows of churn_v1 from one
# server, plain (as_known cutoff, no freshness, no status) and with all three on (as_known row,
# apply_freshness, include_status), in alternating rounds after WARM warm-up snapshots of each,
# each snapshot timed and the server's CPU read from /proc. Medians are reported, and the CPU per
# row with the options against without: the goal is at most 10% more.
#
#   loadtest/bench/snapshot-options.sh
#   ALTS=16 WARM=12 LABELS=100000 CUSTOMERS=10000 loadtest/bench/snapshot-options.sh
# Uses Postgres schema bench_options and Redis keys bench-options:*, dropped at start and exit;
# port 18292.
set -euo pipefail
CUSTOMERS=${CUSTOMERS:-10000}
LABELS=${LABELS:-100000}
ALTS=${ALTS:-16}
WARM=${WARM:-12}
BENCH_SCHEMA=bench_options
BENCH_PREFIX=bench-options:
source "$(dirname "$0")/lib.sh"
source "$BENCH_DIR/transforms_lib.sh"
bench_init
BASE=http://127.0.0.1:18292
start_process freshet 'freshet listening on http://' \
  env FRESHET_HTTP_PORT=18292 FRESHET_PG_SCHEMA="$BENCH_SCHEMA" \
  FRESHET_REDIS_KEY_PREFIX="$BENCH_PREFIX" FRESHET_PG_URL="$PG_URL" \
  FRESHET_REDIS_URL="$REDIS_URL" FRESHET_SCHEMAS_DIR="$MAIN_DIR/schemas" \
  java ${JAVA_OPTS:-} -jar "$WORK/freshet.jar"
PID=$STARTED_PID
python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2
sleep 2

# The same rows for both, every one after the seed was ingested, so that as known at the row each
# sees what it would see as known at the cutoff and both write the same values.
python3 - "$CUSTOMERS" "$LABELS" "$WORK" <<'P'
import datetime, json, random, sys
customers, labels, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
now = datetime.datetime.now(datetime.timezone.utc)
rows = [json.dumps({"customer_id": rng.randint(1, customers),
                    "timestamp": (now - datetime.timedelta(milliseconds=rng.randint(0, 1500))).isoformat()})
        for _ in range(labels)]
options = {"plain": {}, "options": {"as_known": "row", "apply_freshness": True, "include_status": True}}
for name, extra in options.items():
    with open(f"{work}/labels-{name}.ndjson", "w") as f:
        f.write(json.dumps(dict({"feature_service": "churn_v1", "format": "csv"}, **extra)) + "\n")
        f.write("\n".join(rows) + "\n")
P
for s in plain options; do for i in $(seq "$WARM"); do snapshot_seconds $s >/dev/null; done; done
for s in plain options; do
  [ "$(($(wc -l <"$WORK/snapshot-$s.csv") - 1))" -eq "$LABELS" ] || die "a $s snapshot does not have $LABELS rows"
done
for a in $(seq "$ALTS"); do for s in plain options; do
  c0=$(cpu_seconds "$PID"); t=$(snapshot_seconds $s); c1=$(cpu_seconds "$PID")
  echo "$s $t $(echo "$c1 - $c0" | bc -l)"
done; done >"$WORK/r"
printf 'churn_v1, %s rows a snapshot, %s alternating rounds after %s warm-up snapshots of each;\n' \
  "$LABELS" "$ALTS" "$WARM"
printf 'Freshet %s (JVM options: %s), %s cores shared with Postgres, Redis and curl.\n' \
  "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "${JAVA_OPTS:-none}" "$(nproc)"
python3 - "$WORK/r" "$LABELS" <<'P'
import statistics as st, sys
runs, rows = {}, int(sys.argv[2])
for line in open(sys.argv[1]):
    name, wall, cpu = line.split()
    runs.setdefault(name, []).append((float(wall), float(cpu)))
wall = {n: st.median(w for w, _ in r) for n, r in runs.items()}
cpu = {n: st.median(c for _, c in r) for n, r in runs.items()}
for n in ("plain", "options"):
    print(f"{n:8} wall {wall[n]:.3f} s  cpu {cpu[n]:.3f} s  ({1e6 * cpu[n] / rows:.2f} us a row)")
extra = 100 * (cpu["options"] / cpu["plain"] - 1)
print(f"options vs plain: wall {100 * (wall['options'] / wall['plain'] - 1):+.1f}%  cpu a row {extra:+.1f}%"
      f"  (goal: at most +10%: {'met' if extra <= 10 else 'NOT met'})")
P
