#!/usr/bin/env bash
# The cost of snapshot profiles: snapshot-ab.sh between the same revision built twice, once as it
# is (B) and once with the profile's four statements taken out of SnapshotEncoder (A: no chunk
# profile made, filled or merged; the manifest's profile then counts nothing). Built in a
# temporary worktree of REV (default HEAD), so only the profile differs between the two servers.
# Read "B vs A cpu" per service: the goal is at most 5% more CPU per row (the whole process's).
#
#   loadtest/bench/profile-ab.sh
#   REV=HEAD RESTARTS=10 ALTS=6 WARM=6 LABELS=300000 loadtest/bench/profile-ab.sh
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
MAIN_DIR=$(dirname "$(dirname "$BENCH_DIR")")
REV=${REV:-HEAD}
export CPU_THREADS=${CPU_THREADS:-freshet-snapshots}
export RESTARTS=${RESTARTS:-10} ALTS=${ALTS:-6} WARM=${WARM:-6} LABELS=${LABELS:-300000}

TREE=$(mktemp -d /tmp/freshet-profile-ab.XXXXXX)
trap 'git -C "$MAIN_DIR" worktree remove --force "$TREE" >/dev/null 2>&1 || rm -rf "$TREE"' EXIT
git -C "$MAIN_DIR" worktree add --detach "$TREE" "$REV" >/dev/null
(cd "$TREE" && mvn -q -B package -DskipTests -Dspotless.check.skip=true)
cp "$TREE/target/freshet.jar" "$TREE/with.jar"
ENCODER=$TREE/src/main/java/io/freshet/encoding/SnapshotEncoder.java
PROFILE_LINES='profiles\[c\]\.chunk\(|chunkProfiles\[c\]\.add\(|profiles\[c\]\.merge\('
[ "$(grep -cE "$PROFILE_LINES" "$ENCODER")" -eq 4 ] \
  || { echo "SnapshotEncoder no longer has the four profile statements this script removes" >&2; exit 1; }
sed -i -E "/$PROFILE_LINES/d" "$ENCODER"
(cd "$TREE" && mvn -q -B package -DskipTests -Dspotless.check.skip=true)
cp "$TREE/target/freshet.jar" "$TREE/without.jar"
"$BENCH_DIR/snapshot-ab.sh" "$TREE/without.jar" "$TREE/with.jar"
