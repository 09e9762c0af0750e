#!/usr/bin/env bash
# Snapshot throughput with the machine saturated: CONCURRENCY snapshots of the same service at
# once (more than the cores, so Freshet, Postgres and the clients compete for them as concurrent
# training jobs would), churn_raw against churn_v2 (its eight transformations), alternating
# which goes first each round. A round's throughput is CONCURRENCY x LABELS rows over the time
# from the first request to the last byte of the last answer; medians over ROUNDS are reported,
# with the CPU Freshet and the whole machine used per 100k rows. transforms.sh and
# snapshot-ab.sh time one snapshot at a time, which leaves a core to Postgres and the client;
# this is the figure for a server whose cores are all busy with snapshots.
#
#   loadtest/bench/snapshot-load.sh                                  # ~3 min
#   CONCURRENCY=4 ROUNDS=10 WARM=4 LABELS=100000 loadtest/bench/snapshot-load.sh
#   JAVA_OPTS='-Xms3g -Xmx3g -XX:+AlwaysPreTouch' loadtest/bench/snapshot-load.sh   # heap grown
# Uses Postgres schema bench_snapshot_load and Redis keys bench-snapshot-load:*, dropped at
# start and exit; port FRESHET_PORT (18295).
set -euo pipefail

CUSTOMERS=${CUSTOMERS:-10000}
LABELS=${LABELS:-100000}
CONCURRENCY=${CONCURRENCY:-4}
ROUNDS=${ROUNDS:-10}
WARM=${WARM:-4}
FRESHET_PORT=${FRESHET_PORT:-18295}
BENCH_SCHEMA=bench_snapshot_load
BENCH_PREFIX=bench-snapshot-load:

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source=transforms_lib.sh
source "$BENCH_DIR/transforms_lib.sh"
BASE="http://127.0.0.1:$FRESHET_PORT"

# busy_seconds — CPU time the whole machine has spent outside idle and I/O wait so far.
busy_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '$1 == "cpu" {
    busy = 0; for (i = 2; i <= 9; i++) if (i != 5 && i != 6) busy += $i
    printf "%.2f\n", busy / hz }' /proc/stat
}

bench_init
start_freshet freshet "$FRESHET_PORT"
FRESHET_PID=$STARTED_PID
log "seeding $CUSTOMERS customers, fitting"
python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2
fit_all
for s in churn_raw churn_v2; do labels_file "$s"; done
log "warm-up: $WARM rounds of $CONCURRENCY concurrent snapshots of each service"
for _ in $(seq "$WARM"); do for s in churn_raw churn_v2; do concurrent "$s" >/dev/null; done; done

for round in $(seq "$ROUNDS"); do
  order="churn_raw churn_v2"
  [ $((round % 2)) -eq 0 ] && order="churn_v2 churn_raw"
  for s in $order; do
    c0=$(cpu_seconds "$FRESHET_PID"); b0=$(busy_seconds)
    wall=$(concurrent "$s")
    c1=$(cpu_seconds "$FRESHET_PID"); b1=$(busy_seconds)
    echo "$round $s $wall $(echo "$c1 - $c0" | bc -l) $(echo "$b1 - $b0" | bc -l)"
    log "round $round: $s ${wall}s"
  done
done >"$WORK/rounds"

concurrent_header
python3 - "$WORK/rounds" "$CONCURRENCY" "$LABELS" <<'P'
import sys, statistics as st
rows = int(sys.argv[2]) * int(sys.argv[3])
per = {}
for line in open(sys.argv[1]):
    _, s, wall, server, machine = line.split()
    per.setdefault(s, []).append((float(wall), float(server), float(machine)))
print('| service | rows/s (median) | min – max | Freshet CPU s / 100k rows | machine CPU s / 100k rows |')
print('|---|---:|---:|---:|---:|')
med = {}
for s in ('churn_raw', 'churn_v2'):
    r = per[s]
    rate = [rows / w for w, _, _ in r]
    med[s] = (st.median(rate), st.median(c * 1e5 / rows for _, c, _ in r),
              st.median(m * 1e5 / rows for _, _, m in r))
    print(f'| {s} | {med[s][0]:,.0f} | {min(rate):,.0f} – {max(rate):,.0f} | {med[s][1]:.3f} | {med[s][2]:.3f} |')
raw, v2 = med['churn_raw'], med['churn_v2']
print(f'\nchurn_v2 against churn_raw: throughput {100 * (1 - v2[0] / raw[0]):.1f}% lower (goal <= 20%), '
      f'Freshet CPU {100 * (v2[1] / raw[1] - 1):+.1f}%, machine CPU {100 * (v2[2] / raw[2] - 1):+.1f}%')
P
