#!/bin/bash
# Benchmark: start-up of `hyperexport --version` next to `hyperctl --version`, side by side in one
# run (issue 15's target: hyperexport <= 1.3x hyperctl), plus hyperexport without its class-data-
# sharing archive and as the launcher ran it before (plain `java -jar`). Not part of `mvn verify`.
# Needs both CLIs packaged:
#   mvn -B -o -q -pl hyperexport-cli,hyperctl-cli -am package -DskipTests
# usage: [HYPEREXPORT_BASELINE_ROOT=<checkout>] hyperexport-cli/bench/startup.sh [RUNS=20]
set -euo pipefail
RUNS=${1:-20}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$ROOT/hyperexport-cli/target
jar=$(ls "$T"/hyperexport-cli-*.jar | grep -v -e '-sources.jar$' -e '-javadoc.jar$' -e '-tests.jar$' | head -n 1)
[ -r "$T/hyperexport.jsa" ] || { echo "build first: mvn -B -o -q -pl hyperexport-cli,hyperctl-cli -am package -DskipTests" >&2; exit 1; }
[ -r "$ROOT/hyperctl-cli/target/hyperctl.jsa" ] || { echo "build hyperctl-cli first (same command)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/hyperexport-startup.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/commands" <<CMDS
hyperexport --version|$ROOT/bin/hyperexport --version
hyperctl --version|$ROOT/bin/hyperctl --version
hyperexport --version, no CDS archive|env HYPEREXPORT_CDS=off $ROOT/bin/hyperexport --version
hyperexport --version as launched before (java -jar)|java -jar $jar --version
hyperexport --help|$ROOT/bin/hyperexport --help
hyperexport --quiet --version (picocli parses the whole command line)|$ROOT/bin/hyperexport --quiet --version
CMDS
ratios=(--ratio "hyperexport --version / hyperctl --version, target <= 1.3=0/1"
  --ratio "before (java -jar) / now=3/0"
  --ratio "--version through picocli / --version answered alone=5/0")
# HYPEREXPORT_BASELINE_ROOT: another checkout with its own packaged build (e.g. the commit before a
# change), for a before/after row in the same run
if [ -n "${HYPEREXPORT_BASELINE_ROOT:-}" ]; then
  echo "hyperexport --version, baseline build|$HYPEREXPORT_BASELINE_ROOT/bin/hyperexport --version" >> "$WORK/commands"
  ratios+=(--ratio "baseline build / this build (--version)=6/0")
fi
python3 "$ROOT/scripts/side-by-side.py" "$RUNS" "$WORK/commands" "${ratios[@]}"
