#!/usr/bin/env bash
# The cost of snapshot profiles: snapshot-ab.sh between the build before profiles (BEFORE, a git
# revision, default afe925e, built here in a temporary worktree) and NEW (default this
# checkout's target/freshet.jar). Read its "cpu" medians per service: the goal is at most 5% more
# Freshet CPU per snapshot row with profiles. Arguments after the jar go to snapshot-ab.sh's
# environment as usual (ALTS, WARM, LABELS).
#
#   loadtest/bench/profile-ab.sh
#   BEFORE=afe925e ALTS=16 loadtest/bench/profile-ab.sh target/freshet.jar
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
MAIN_DIR=$(dirname "$(dirname "$BENCH_DIR")")
BEFORE=${BEFORE:-afe925e}
NEW=${1:-$MAIN_DIR/target/freshet.jar}
[ -f "$NEW" ] || (cd "$MAIN_DIR" && mvn -q -B package -DskipTests)

TREE=$(mktemp -d /tmp/freshet-before.XXXXXX)
trap 'git -C "$MAIN_DIR" worktree remove --force "$TREE" >/dev/null 2>&1 || rm -rf "$TREE"' EXIT
git -C "$MAIN_DIR" worktree add --detach "$TREE" "$BEFORE" >/dev/null
(cd "$TREE" && mvn -q -B package -DskipTests)
# The build before runs on the schemas of its own time: today's examples use keys it does not know.
SCHEMAS_A="$TREE/schemas" "$BENCH_DIR/snapshot-ab.sh" "$TREE/target/freshet.jar" "$NEW"
