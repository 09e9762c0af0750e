#!/usr/bin/env bash
# What the last stage of a snapshot costs per row, churn_raw against churn_v2 (its eight
# transformations), in one JVM thread with nothing else running: EncodeBench.java, compiled
# against freshet.jar, builds each row's raw cells, applies the transformation engine and encodes
# the rows, timing the three apart. No services are needed. The end-to-end figures come from
# transforms.sh; this one says where a row's time goes.
#
#   loadtest/bench/encode.sh
#   FORMAT=jsonl NUMBER_FORMAT=java loadtest/bench/encode.sh
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAIN_DIR=$(dirname "$(dirname "$BENCH_DIR")")
FORMAT=${FORMAT:-csv}
NUMBER_FORMAT=${NUMBER_FORMAT:-shortest}

command -v javac >/dev/null || { echo "javac is not installed (a JDK 17 is needed)" >&2; exit 1; }
[ -f "$MAIN_DIR/target/freshet.jar" ] || (cd "$MAIN_DIR" && mvn -q -B package -DskipTests)
WORK=$(mktemp -d /tmp/freshet-encode.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp "$MAIN_DIR/target/freshet.jar" "$WORK/"
javac -nowarn -d "$WORK/classes" -cp "$WORK/freshet.jar" "$BENCH_DIR/EncodeBench.java"
java -cp "$WORK/freshet.jar:$WORK/classes" io.freshet.pit.EncodeBench \
  "$MAIN_DIR/schemas" "$FORMAT" "$NUMBER_FORMAT"
