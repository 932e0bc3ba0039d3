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
cat > "$WORK/systemctl" <<WRAP
#!/bin/sh
exec "$FIXTURE" systemctl "\$@"
WRAP
cat > "$WORK/systemctl-recording" <<WRAP
#!/bin/bash
printf '%q ' "\$@" >> "$WORK/calls"; echo >> "$WORK/calls"
exec "$FIXTURE" systemctl "\$@"
WRAP
chmod +x "$WORK/systemctl" "$WORK/systemctl-recording"
"$HYPERCTL" daemon -op list --systemctl "$WORK/systemctl-recording" > "$WORK/list.txt" || true
echo "instances listed: $(($(wc -l < "$WORK/list.txt") - 1)) (expected $N)"
echo "systemctl calls hyperctl makes:"; sed 's/^/  systemctl /' "$WORK/calls"
# the bare calls, replayed through the same wrapper: all of them, and the one show of all instances
{ echo '#!/bin/bash'; while IFS= read -r line; do echo "\"$WORK/systemctl\" $line >/dev/null"; done < "$WORK/calls"; } > "$WORK/bare"
{ echo '#!/bin/bash'; grep -e '--timestamp' "$WORK/calls" | while IFS= read -r line; do echo "\"$WORK/systemctl\" $line >/dev/null"; done; } > "$WORK/bare-show"
chmod +x "$WORK/bare" "$WORK/bare-show"

JAVA=${JAVA:-java}
LIST="$HYPERCTL daemon -op list --systemctl $WORK/systemctl"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 3 --runs "$RUNS" --style none --export-json "$WORK/result.json" \
    -n "hyperctl daemon -op list ($N instances)" "$LIST" \
    -n "bare systemctl calls it makes ($(wc -l < "$WORK/calls"))" "$WORK/bare" \
    -n "bare systemctl show of all instances (1 call)" "$WORK/bare-show" \
    -n "hyperctl --version (JVM + CLI start-up, no systemd)" "$HYPERCTL --version" \
    -n "java -version (bare JVM start-up)" "$JAVA -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -version" \
    -n "hyperctl daemon -op list, no CDS archive" "env HYPERCTL_CDS=off $LIST"
  python3 - "$WORK/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ms = lambda v: "%.0f" % (v * 1000)
print("| command | median ms | mean ± sd ms | min ms | user ms | sys ms |")
print("|---|---:|---:|---:|---:|---:|")
for x in r:
    print("| %s | %s | %s ± %s | %s | %s | %s |" % (x["command"], ms(x["median"]), ms(x["mean"]), ms(x["stddev"]),
          ms(x["min"]), ms(x["user"]), ms(x["system"])))
lst, bare, ver, jvm = r[0]["median"], r[1]["median"], r[3]["median"], r[4]["median"]
print()
print("systemctl share of `daemon -op list`: %.0f%% (bare calls %s ms of %s ms)" % (100 * bare / lst, ms(bare), ms(lst)))
print("JVM + CLI start-up share: %.0f%% (`--version` %s ms; of which bare JVM %s ms)" % (100 * ver / lst, ms(ver), ms(jvm)))
PY
else
  t() { local s e; s=$(date +%s%N); for _ in $(seq "$RUNS"); do "$@" >/dev/null 2>&1 || true; done; e=$(date +%s%N); echo $(( (e - s) / RUNS / 1000000 )); }
  echo "| command | mean ms ($RUNS runs) |"; echo "|---|---:|"
  echo "| hyperctl daemon -op list ($N instances) | $(t $LIST) |"
  echo "| bare systemctl calls it makes | $(t "$WORK/bare") |"
  echo "| bare systemctl show of all instances (1 call) | $(t "$WORK/bare-show") |"
  echo "| hyperctl --version (JVM + CLI start-up) | $(t "$HYPERCTL" --version) |"
  echo "| java -version (bare JVM start-up) | $(t "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -version) |"
  echo "| hyperctl daemon -op list, no CDS archive | $(HYPERCTL_CDS=off t $LIST) |"
fi
uptime
