#!/usr/bin/env bash
# What a snapshot's column profile costs a value, in one JVM thread with nothing else running:
# ProfileBench.java, compiled against freshet.jar, profiles 100,000 float64, int64 and string
# values as the snapshot encoder does, and times DataSketches' KLL sketch alone beside it. No
# services are needed. The end-to-end cost comes from profile-ab.sh; this one says where it goes.
#
#   loadtest/bench/profile-cost.sh
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN_DIR=$(dirname "$(dirname "$BENCH_DIR")")

command -v javac >/dev/null || { echo "javac is not installed (a JDK 17 is needed)" >&2; exit 1; }
[ -f "$MAIN_DIR/target/freshet.jar" ] || (cd "$MAIN_DIR" && mvn -q -B package -DskipTests)
WORK=$(mktemp -d /tmp/freshet-profile-cost.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp "$MAIN_DIR/target/freshet.jar" "$WORK/"
javac -nowarn -d "$WORK/classes" -cp "$WORK/freshet.jar" "$BENCH_DIR/ProfileBench.java"
printf 'load average %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$WORK/freshet.jar:$WORK/classes" io.freshet.encoding.ProfileBench
