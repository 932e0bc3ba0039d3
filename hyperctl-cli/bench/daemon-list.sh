#!/bin/bash
# Benchmark: wall time of `hyperctl daemon -op list` with N hyper2kvm instances running under the
# real systemd fixture, next to the bare systemctl call(s) hyperctl makes, in the same run.
# Not part of `mvn verify`. Needs root, the systemd package, a packaged build
# (mvn -B -o -q -pl hyperctl-cli package -DskipTests) and, optionally, hyperfine.
#
# usage: hyperctl-cli/bench/daemon-list.sh [INSTANCES=64] [RUNS=20]
set -euo pipefail
N=${1:-64}
RUNS=${2:-20}
HERE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${HYPERSDK_SHARED_DIR:-$HERE/../../shared}
FIXTURE=$SHARED/tools/systemd-fixture.sh
HYPERCTL=$HERE/../bin/hyperctl
[ -x "$FIXTURE" ] || { echo "no systemd fixture at $FIXTURE (set HYPERSDK_SHARED_DIR)" >&2; exit 1; }
[ -r "$HERE/target/hyperctl.classpath" ] || { echo "build first: mvn -B -o -q -pl hyperctl-cli package -DskipTests" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/hyperctl-bench.XXXXXX")
export SDFIX_STATE=$WORK/sdfixture
cleanup() { "$FIXTURE" stop || true; rm -rf "$WORK"; }
trap cleanup EXIT

# units: one template, N enabled instances (wanted by the fixture's boot target), each with its spool
mkdir -p "$WORK/units/fixture.target.wants"
cat > "$WORK/units/hyper2kvm@.service" <<UNIT
[Unit]
Description=hyper2kvm %i (benchmark)
[Service]
ExecStart=/bin/sleep infinity
Environment=WATCH_DIR=$WORK/spool/%i/queue OUTPUT_DIR=$WORK/spool/%i/output QUEUE_LAYOUT=workflow
[Install]
WantedBy=fixture.target
UNIT
for i in $(seq -w 1 "$N"); do
  ln -s ../hyper2kvm@.service "$WORK/units/fixture.target.wants/hyper2kvm@bench$i.service"
  mkdir -p "$WORK/spool/bench$i/queue/to_be_processed" "$WORK/spool/bench$i/queue/processing"
  touch "$WORK/spool/bench$i/queue/to_be_processed/job-$i.json"
done
"$FIXTURE" start "$WORK/units" >/dev/null
for _ in $(seq 100); do   # wait until all N are running
  n=$("$FIXTURE" systemctl list-units --no-legend --plain --state=running 'hyper2kvm@*' | wc -l)
  [ "$n" -ge "$N" ] && break; sleep 0.1
done

# the systemctl hyperctl runs: the fixture's, through its wrapper; a second wrapper records the calls
# (SDFIX_STATE is written into them: hyperctl gives systemctl an allowlisted environment only)
cat > "$WORK/systemctl" <<WRAP
#!/bin/sh
SDFIX_STATE='$SDFIX_STATE' exec "$FIXTURE" systemctl "\$@"
WRAP
cat > "$WORK/systemctl-recording" <<WRAP
#!/bin/bash
printf '%q ' "\$@" >> "$WORK/calls"; echo >> "$WORK/calls"
SDFIX_STATE='$SDFIX_STATE' exec "$FIXTURE" systemctl "\$@"
WRAP
chmod +x "$WORK/systemctl" "$WORK/systemctl-recording"
"$HYPERCTL" daemon -op list --systemctl "$WORK/systemctl-recording" > "$WORK/list.txt" || true
echo "instances listed: $(($(wc -l < "$WORK/list.txt") - 1)) (expected $N)"
echo "systemctl calls hyperctl makes:"; sed 's/^/  systemctl /' "$WORK/calls"
# the bare calls, replayed through the same wrapper: all of them, and the one show of all instances
{ echo '#!/bin/bash'; while IFS= read -r line; do echo "\"$WORK/systemctl\" $line >/dev/null"; done < "$WORK/calls"; } > "$WORK/bare"
# the reference of issue 15: one bare `systemctl show` of the default unit and all N instances by
# name, with the properties hyperctl reads for a unit's status
props=$(grep -o -e '-p [^ ]*' "$WORK/calls" | head -n 1 | cut -d' ' -f2 | sed 's/,Wants,Requires,Upholds//')
units="hyper2kvm.service $(for i in $(seq -w 1 "$N"); do printf 'hyper2kvm@bench%s.service ' "$i"; done)"
printf '#!/bin/bash\n"%s" --no-pager show --timestamp=us+utc -p %s -- %s >/dev/null\n' "$WORK/systemctl" "$props" "$units" > "$WORK/bare-show"
chmod +x "$WORK/bare" "$WORK/bare-show"

JAVA=${JAVA:-java}
LIST="$HYPERCTL daemon -op list --systemctl $WORK/systemctl"
# the commands, timed side by side: each round runs every command once (A B C ... A B C ...), so
# a change in the machine's load touches all of them alike; medians of RUNS rounds
cmds=(
  "hyperctl daemon -op list ($N instances)|$LIST"
  "bare systemctl calls it makes ($(wc -l < "$WORK/calls"))|$WORK/bare"
  "bare systemctl show of all instances (1 call)|$WORK/bare-show"
  "hyperctl --version (JVM + CLI start-up, no systemd)|$HYPERCTL --version"
  "java -version (bare JVM start-up)|$JAVA -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -version"
  "hyperctl daemon -op list, no CDS archive|env HYPERCTL_CDS=off $LIST"
)
# HYPERCTL_BASELINE_HOME: a packaged build of another commit (its target/ directory), for a
# before/after row in the same run
if [ -n "${HYPERCTL_BASELINE_HOME:-}" ]; then
  cmds+=("hyperctl daemon -op list, baseline build|env HYPERCTL_HOME=$HYPERCTL_BASELINE_HOME $LIST")
fi
printf '%s\n' "${cmds[@]}" > "$WORK/commands"
ratios=(--ratio "daemon -op list / (hyperctl --version + one bare systemctl show), target <= 1.2=0/3+2")
if [ -n "${HYPERCTL_BASELINE_HOME:-}" ]; then
  ratios+=(--ratio "baseline build / this build=6/0")
fi
python3 "$HERE/../scripts/side-by-side.py" "$RUNS" "$WORK/commands" "${ratios[@]}"
