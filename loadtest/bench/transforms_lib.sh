# shellcheck shell=bash
# Shared by transforms.sh, snapshot-ab.sh, snapshot-load.sh and snapshot-width.sh (sourced after
# lib.sh, not run): the fitting, label and timing helpers of the transformation benchmarks. The
# caller sets BASE (the Freshet under test), CUSTOMERS and LABELS, and for concurrent snapshots
# CONCURRENCY, ROUNDS and WARM.

# fit_all — a snapshot of the fitted transformations' inputs for every seeded customer, then
# one fit per transformation from it.
fit_all() {
  python3 - "$CUSTOMERS" >"$WORK/fit-request.json" <<'EOF'
import datetime, json, sys
now = datetime.datetime.now(datetime.timezone.utc).isoformat()
rows = [{"customer_id": i, "timestamp": now} for i in range(1, int(sys.argv[1]) + 1)]
print(json.dumps({"features": ["customer_profile:monthly_spend", "customer_activity:sessions_7d",
                               "customer_profile:tenure_days"], "rows": rows}))
EOF
  local id name
  id=$(curl -fsS -D - -o /dev/null -H 'content-type: application/json' \
    --data-binary @"$WORK/fit-request.json" "$BASE/v1/features/historical" \
    | tr -d '\r' | awk -F': ' 'tolower($1) == "x-snapshot-id" { print $2 }')
  [ -n "$id" ] || die "the training snapshot returned no id"
  for name in spend_z sessions_scaled tenure_bucket; do
    curl -fsS -H 'content-type: application/json' -d "{\"snapshot_id\": \"$id\"}" \
      "$BASE/v1/transformations/$name/fit" >"$WORK/fit-$name.json" || die "fit of $name failed"
    log "fitted $name: $(cat "$WORK/fit-$name.json")"
  done
}

# labels_file SERVICE — LABELS label rows of random seeded customers in the last five minutes, as
# NDJSON asking for CSV out, in $WORK/labels-SERVICE.ndjson (the same rows for every service).
labels_file() {
  python3 - "$CUSTOMERS" "$LABELS" "$1" >"$WORK/labels-$1.ndjson" <<'EOF'
import datetime, json, random, sys
customers, labels, service = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
rng = random.Random(7)
now = datetime.datetime.now(datetime.timezone.utc)
print(json.dumps({"feature_service": service, "format": "csv"}))
for _ in range(labels):
    at = now - datetime.timedelta(seconds=rng.randint(0, 300))
    print(json.dumps({"customer_id": rng.randint(1, customers), "timestamp": at.isoformat()}))
EOF
}

# cpu_seconds PID — user + system CPU the process has used so far; with CPU_THREADS=PREFIX, only
# its threads whose name starts with PREFIX (the kernel keeps 15 characters of it), leaving out
# the collector's and the compilers' varying share. Summed over the threads' schedstat, to the
# nanosecond: the process's stat counts 10 ms ticks, as coarse as a tenth of a small snapshot's
# CPU. A thread that exits between two readings takes its time with it, which a JVM's long-lived
# threads seldom do.
cpu_seconds() {
  local task total=0
  for task in /proc/"$1"/task/*; do
    if [ -n "${CPU_THREADS:-}" ]; then
      [[ $(cat "$task/comm" 2>/dev/null) == "${CPU_THREADS:0:15}"* ]] || continue
    fi
    total=$((total + $(cut -d' ' -f1 "$task/schedstat" 2>/dev/null || echo 0)))
  done
  awk -v ns="$total" 'BEGIN { printf "%.4f\n", ns / 1e9 }'
}

# snapshot_seconds SERVICE [OUT] — one snapshot of SERVICE's label file into OUT (default
# $WORK/snapshot-SERVICE.csv); prints its time from the request to the last byte.
snapshot_seconds() {
  curl -fsS -o "${2:-$WORK/snapshot-$1.csv}" -w '%{time_total}' -H 'content-type: application/x-ndjson' \
    --data-binary @"$WORK/labels-$1.ndjson" "$BASE/v1/features/historical"
}

# concurrent SERVICE — CONCURRENCY snapshots of SERVICE at once, each checked for its LABELS rows;
# prints the time from the first request to the last byte of the last answer.
concurrent() {
  local k pids=() t0 t1
  t0=$(date +%s.%N)
  for k in $(seq "$CONCURRENCY"); do
    snapshot_seconds "$1" "$WORK/out-$1-$k.csv" >/dev/null &
    pids+=($!)
  done
  for k in "${pids[@]}"; do wait "$k" || die "a $1 snapshot failed"; done
  t1=$(date +%s.%N)
  for k in $(seq "$CONCURRENCY"); do
    [ "$(($(wc -l <"$WORK/out-$1-$k.csv") - 1))" -eq "$LABELS" ] \
      || die "a $1 snapshot does not have $LABELS rows"
  done
  echo "$t1 - $t0" | bc -l
}

# concurrent_header — the first lines of a report on concurrent snapshots.
concurrent_header() {
  printf '%s snapshots of %s rows at once, %s rounds after %s warm-up rounds; %s cores shared by\n' \
    "$CONCURRENCY" "$LABELS" "$ROUNDS" "$WARM" "$(nproc)"
  printf 'Freshet %s (JVM options: %s), Postgres, Redis and the curl clients.\n\n' \
    "$(git -C "$MAIN_DIR" describe --always --dirty 2>/dev/null || echo unknown)" "${JAVA_OPTS:-none}"
}
