#!/usr/bin/env bash
# Two builds side by side on the same data and machine: snapshot cost of churn_raw against
# churn_v2 (its eight transformations) on each. Both servers are seeded and fitted as
# transforms.sh does, warmed with WARM snapshots of each service, then ALTS times: A raw, A v2,
# B raw, B v2, each snapshot timed and its server's CPU read from /proc (with CPU_THREADS, that of
# the named threads and, beside it, the whole process's). Medians are reported, so a snapshot
# that hit a collection or a recompilation does not move them, and beside them the pooled ratio of
# the totals, which every snapshot's time counts in. On a shared machine whose speed drifts minute
# to minute, this is the comparison of two builds to trust.
#
#   loadtest/bench/snapshot-ab.sh OLD.jar NEW.jar
#   ALTS=16 WARM=12 LABELS=100000 loadtest/bench/snapshot-ab.sh OLD.jar NEW.jar
#   RESTARTS=5 ALTS=6 WARM=6 loadtest/bench/snapshot-ab.sh OLD.jar NEW.jar  # new JVMs 5 times
# SCHEMAS_A and SCHEMAS_B name each build's schema directory (default: this checkout's schemas/),
# for a build older than a schema format the current examples use.
# Uses Postgres schemas bench_ab_a and bench_ab_b and Redis keys bench-ab:*,
# dropped at start and exit; ports 18290 and 18291.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 A.jar B.jar" >&2; exit 2; }
CUSTOMERS=${CUSTOMERS:-10000}
LABELS=${LABELS:-100000}
ALTS=${ALTS:-16}
JAR_A=$1; JAR_B=$2
BENCH_SCHEMA=bench_ab_a
BENCH_PREFIX=bench-ab:
SCRATCH_SCHEMA=bench_ab_b
source "$(dirname "$0")/lib.sh"
source "$BENCH_DIR/transforms_lib.sh"
bench_init
declare -A PIDS
# start_build A|B — that build's server on its port, schema and key prefix; sets PIDS and BASE.
start_build() {
  local j=$1 jar=$JAR_A port=18290 schema=bench_ab_a prefix=bench-ab:a: schemas=${SCHEMAS_A:-$MAIN_DIR/schemas}
  [ "$j" = B ] && { jar=$JAR_B; port=18291; schema=bench_ab_b; prefix=bench-ab:b:; schemas=${SCHEMAS_B:-$MAIN_DIR/schemas}; }
  [ -f "$WORK/freshet-$j.jar" ] || cp "$jar" "$WORK/freshet-$j.jar"
  # shellcheck disable=SC2086 # JAVA_OPTS holds several words on purpose
  start_process "freshet-$j" 'freshet listening on http://' \
    env FRESHET_HTTP_PORT="$port" FRESHET_PG_SCHEMA="$schema" \
    FRESHET_REDIS_KEY_PREFIX="$prefix" FRESHET_PG_URL="$PG_URL" \
    FRESHET_REDIS_URL="$REDIS_URL" FRESHET_SCHEMAS_DIR="$schemas" \
    java ${JAVA_OPTS:-} -jar "$WORK/freshet-$j.jar"
  PIDS[$j]=$STARTED_PID
  BASE="http://127.0.0.1:$port"
}
use_build() { BASE="http://127.0.0.1:$([ "$1" = B ] && echo 18291 || echo 18290)"; }
for j in A B; do
  start_build $j
  python3 "$BENCH_DIR/rows.py" seed --url "$BASE" --customers "$CUSTOMERS" >&2
  fit_all
done
for s in churn_raw churn_v2; do labels_file $s; done
# Each restart gives both builds new JVMs, so that one JIT's luck (10% between runs of the same
# build has been seen) is averaged over RESTARTS rather than taken for the builds' difference.
for r in $(seq "${RESTARTS:-1}"); do
  if [ "$r" -gt 1 ]; then
    for j in A B; do stop_process "${PIDS[$j]}"; start_build $j; done
  fi
  for j in A B; do
    use_build $j
    for s in churn_raw churn_v2; do for i in $(seq ${WARM:-12}); do snapshot_seconds $s >/dev/null; done; done
  done
  for a in $(seq $ALTS); do for j in A B; do
    use_build $j
    for s in churn_raw churn_v2; do
      c0=$(cpu_seconds ${PIDS[$j]}); p0=$(CPU_THREADS='' cpu_seconds ${PIDS[$j]})
      t=$(snapshot_seconds $s)
      c1=$(cpu_seconds ${PIDS[$j]}); p1=$(CPU_THREADS='' cpu_seconds ${PIDS[$j]})
      echo "$r $j $s $t $(echo "$c1 - $c0" | bc -l) $(echo "$p1 - $p0" | bc -l)"
    done
  done; done
done > $WORK/r
printf 'load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
python3 - $WORK/r "${CPU_THREADS:-}" <<'P'
import sys, statistics as st
d, runs = {}, {}
for l in open(sys.argv[1]):
    r, j, s, w, c, p = l.split()
    d.setdefault((j, s), []).append((float(w), float(c), float(p)))
    runs.setdefault((r, j, s), []).append((float(c), float(p)))
med = lambda x, k: st.median(y[k] for y in x)
for j in 'AB':
  r, v = d[(j, 'churn_raw')], d[(j, 'churn_v2')]
  print(f"{j}: raw wall {med(r, 0):.3f} cpu {med(r, 1):.3f} | v2 wall {med(v, 0):.3f} cpu {med(v, 1):.3f} | v2 vs raw: wall {100*(med(v, 0)/med(r, 0)-1):+.1f}% cpu {100*(med(v, 1)/med(r, 1)-1):+.1f}%")
pairs = sorted({k[0] for k in runs}, key=int)
for k, what in ((0, f"cpu ({sys.argv[2]} threads)" if sys.argv[2] else "cpu"), (1, "process cpu")):
  if k == 1 and not sys.argv[2]:
    break
  for s in ('churn_raw', 'churn_v2'):
    each = [st.median(y[k] for y in runs[(r, 'B', s)]) / st.median(y[k] for y in runs[(r, 'A', s)]) - 1
            for r in pairs]
    pooled = sum(y[k + 1] for y in d[('B', s)]) / sum(y[k + 1] for y in d[('A', s)]) - 1
    print(f"{s}: B vs A {what} {100*(med(d[('B', s)], k + 1)/med(d[('A', s)], k + 1)-1):+.1f}% over every round, "
          f"{100*pooled:+.1f}% pooled (total B ÷ total A); "
          f"per JVM pair: {' '.join(f'{100*x:+.1f}%' for x in each)}; median {100*st.median(each):+.1f}%")
P
