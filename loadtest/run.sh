#!/usr/bin/env bash
# Runs one Gatling simulation against a Freshet, from a known dataset:
#   1. if nothing answers BASE_URL/health, starts Freshet there (the README's command,
#      java -jar target/freshet.jar, building it if missing) over its own Postgres schema and
#      Redis key prefix, dropped first so the run starts empty, and stops it at exit;
#   2. seeds ENTITIES customers through the ingest API (io.freshet.loadtest.seed.Seeder);
#   3. runs the simulation (mvn gatling:test), prints its statistics table and the path of its
#      HTML report, and exits non-zero if the run or its assertions failed.
#
#   loadtest/run.sh OnlineHotSimulation
#   loadtest/run.sh OnlineBatchSimulation -Drate=200 -DbatchSizes=100 -Dmetas=status -Dp99Ms=5
#   BASE_URL=https://freshet.internal:8443 FRESHET_READ_TOKEN=r FRESHET_WRITE_TOKEN=w \
#     loadtest/run.sh OnlineWarmColdSimulation
#
# Arguments after the simulation's name are passed to Maven (system properties:
# src/site/markdown/load-testing.md). Settings (environment):
#   BASE_URL             Freshet to test (default http://127.0.0.1:18080; port 0 = a free port
#                        for the Freshet this script starts)
#   FRESHET_READ_TOKEN, FRESHET_WRITE_TOKEN   bearer tokens, passed to the seeder and Gatling
#   ENTITIES             customers seeded and read (default 1000000)
#   SEED                 1 (default) to seed, 0 to reuse what an earlier run seeded
#   FRESHET_PG_SCHEMA, FRESHET_REDIS_KEY_PREFIX   of the Freshet started here (default loadtest,
#                        loadtest:)
#   CLEANUP              1 to drop that schema and those keys at exit too (default 0: kept, so a
#                        next run may use SEED=0)
#   MVN                  Maven command (default "mvn -B -q"; add -o to stay offline)
#   JAVA_OPTS            JVM options of the Freshet started here (default the README's,
#                        -XX:+UseG1GC; "" for none)
set -euo pipefail

LOADTEST_DIR=$(cd "$(dirname "$0")" && pwd)
MAIN_DIR=$(dirname "$LOADTEST_DIR")
BASE_URL=${BASE_URL:-http://127.0.0.1:18080}
ENTITIES=${ENTITIES:-1000000}
SEED=${SEED:-1}
CLEANUP=${CLEANUP:-0}
read -r -a MVN_CMD <<<"${MVN:-mvn -B -q}"
export FRESHET_PG_SCHEMA=${FRESHET_PG_SCHEMA:-loadtest}
export FRESHET_REDIS_KEY_PREFIX=${FRESHET_REDIS_KEY_PREFIX:-loadtest:}
PG_URL=${FRESHET_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS_URL=${FRESHET_REDIS_URL:-redis://127.0.0.1:6379/0}
FRESHET_PID=""
WORK=$(mktemp -d /tmp/freshet-loadtest.XXXXXX)

log() {
  printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

die() {
  log "error: $*"
  exit 1
}

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

drop_data() {
  psql "$PG_URL" -X -q -c "DROP SCHEMA IF EXISTS $FRESHET_PG_SCHEMA CASCADE" 2>/dev/null || true
  redis-cli -u "$REDIS_URL" --scan --pattern "$FRESHET_REDIS_KEY_PREFIX*" \
    | xargs -r -n 1000 redis-cli -u "$REDIS_URL" DEL >/dev/null || true
}

cleanup() {
  local status=$?
  if [ -n "$FRESHET_PID" ]; then
    kill "$FRESHET_PID" 2>/dev/null || true
    wait "$FRESHET_PID" 2>/dev/null || true
    if [ "$status" -ne 0 ]; then
      log "--- tail of the Freshet log"
      tail -n 20 "$WORK/freshet.log" >&2 || true
    fi
    [ "$CLEANUP" = 1 ] && drop_data
  fi
  rm -rf "$WORK"
  exit "$status"
}

healthy() {
  curl -fsS -o /dev/null --max-time 2 "$BASE_URL/health" 2>/dev/null
}

# Starts Freshet on BASE_URL's host and port from a copy of the jar (a build may rewrite
# target/ meanwhile); with port 0, BASE_URL becomes the address it logs.
start_freshet() {
  local hostport=${BASE_URL#http://}
  hostport=${hostport%%/*}
  local host=${hostport%:*} port=${hostport##*:}
  [[ $BASE_URL == http://* && $hostport == *:* ]] \
    || die "nothing answers $BASE_URL/health, and it is not an http://HOST:PORT to start Freshet on"
  [ -f "$MAIN_DIR/target/freshet.jar" ] || (cd "$MAIN_DIR" && "${MVN_CMD[@]}" -DskipTests package)
  cp "$MAIN_DIR/target/freshet.jar" "$WORK/freshet.jar"
  drop_data
  log "starting Freshet on $host:$port (schema $FRESHET_PG_SCHEMA, keys $FRESHET_REDIS_KEY_PREFIX*)"
  # shellcheck disable=SC2086
  (cd "$MAIN_DIR" && FRESHET_HTTP_HOST=$host FRESHET_HTTP_PORT=$port \
    exec java ${JAVA_OPTS--XX:+UseG1GC} -jar "$WORK/freshet.jar") >"$WORK/freshet.log" 2>&1 &
  FRESHET_PID=$!
  local waited=0
  until grep -q 'freshet listening on http://' "$WORK/freshet.log"; do
    kill -0 "$FRESHET_PID" 2>/dev/null || die "Freshet exited before it was ready"
    [ "$waited" -lt 600 ] || die "Freshet was not ready after 60 s"
    sleep 0.1
    waited=$((waited + 1))
  done
  BASE_URL=$(grep -o 'freshet listening on http://[^ ]*' "$WORK/freshet.log" | head -n 1)
  BASE_URL=${BASE_URL#freshet listening on }
}

[ $# -ge 1 ] || usage
SIMULATION=$1
shift
[ -f "$LOADTEST_DIR/src/test/java/io/freshet/loadtest/$SIMULATION.java" ] \
  || die "no simulation $SIMULATION (see loadtest/src/test/java/io/freshet/loadtest/*Simulation.java)"
trap cleanup EXIT
trap 'exit 130' INT TERM

if healthy; then
  log "using the Freshet at $BASE_URL"
else
  start_freshet
fi

# The seeder's jar, rebuilt when a source is newer (gatling:test compiles the simulations itself).
if [ ! -f "$LOADTEST_DIR/target/freshet-ceilings.jar" ] \
  || [ -n "$(find "$LOADTEST_DIR/src/main" "$LOADTEST_DIR/pom.xml" -newer "$LOADTEST_DIR/target/freshet-ceilings.jar" | head -n 1)" ]; then
  (cd "$LOADTEST_DIR" && "${MVN_CMD[@]}" -DskipTests package)
fi
if [ "$SEED" = 1 ]; then
  log "seeding $ENTITIES customers"
  java -cp "$LOADTEST_DIR/target/freshet-ceilings.jar" io.freshet.loadtest.seed.Seeder \
    --url="$BASE_URL" --entities="$ENTITIES"
fi

log "running $SIMULATION"
status=0
(cd "$LOADTEST_DIR" && "${MVN_CMD[@]}" gatling:test \
  -Dgatling.simulationClass="io.freshet.loadtest.$SIMULATION" -DbaseUrl="$BASE_URL" \
  -Dentities="$ENTITIES" -DreadToken="${FRESHET_READ_TOKEN:-}" \
  -DwriteToken="${FRESHET_WRITE_TOKEN:-}" "$@") 2>&1 | tee "$WORK/gatling.log" || status=$?

report=$(grep -o 'file://[^ ]*/index.html' "$WORK/gatling.log" | tail -n 1 || true)
if [ -n "$report" ]; then
  printf '\n%s (%s)\n\n' "$SIMULATION" "$BASE_URL"
  python3 "$LOADTEST_DIR/report.py" "$(dirname "${report#file://}")"
  printf '\nAssertions:\n'
  grep -E ' : (true|false) \(' "$WORK/gatling.log" | sed 's/^/  /' || true
  printf '\nHTML report: %s\n' "${report#file://}"
fi
exit "$status"
