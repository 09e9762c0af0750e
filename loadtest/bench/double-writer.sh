#!/usr/bin/env bash
# Freshet's shortest-double writer against jackson-core's (the same Schubfach algorithm, which
# answers a String): identical bytes required, then ns per double in alternating rounds, one JVM
# thread, no services. DoubleWriterBench.java, compiled against freshet.jar.
#
#   loadtest/bench/double-writer.sh
#   DOUBLES=2000000 ROUNDS=21 loadtest/bench/double-writer.sh
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN_DIR=$(dirname "$(dirname "$BENCH_DIR")")

command -v javac >/dev/null || { echo "javac is not installed (a JDK 17 is needed)" >&2; exit 1; }
[ -f "$MAIN_DIR/target/freshet.jar" ] || (cd "$MAIN_DIR" && mvn -q -B package -DskipTests)
WORK=$(mktemp -d /tmp/freshet-doubles.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp "$MAIN_DIR/target/freshet.jar" "$WORK/"
javac -nowarn -d "$WORK/classes" -cp "$WORK/freshet.jar" "$BENCH_DIR/DoubleWriterBench.java"
printf 'load average %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$WORK/freshet.jar:$WORK/classes" DoubleWriterBench "${DOUBLES:-1000000}" "${ROUNDS:-15}"
