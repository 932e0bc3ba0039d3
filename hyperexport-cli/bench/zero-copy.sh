#!/bin/bash
# Benchmark: `hyperexport --pipeline --converter qemu-img` on an OVA, side by side in one run with
# the same conversion done by hand (issue 15's target: zero-copy <= 1.2x `tar -xf` + `qemu-img
# convert -O qcow2`). Three contenders, run A B C A B C ... (scripts/side-by-side.py), each into a
# fresh directory: before every timed run, untimed, the outputs are removed and `sync` writes back
# what is dirty, so no contender pays for the removal or the write-back of what another wrote:
#   zero-copy        hyperexport reads the disk straight from the .ova (default with qemu-img)
#   copy kept        the same with --keep-export-files (the disk is copied out first, as before)
#   tar + qemu-img   tar -xf the .ova, then qemu-img convert -O qcow2 the extracted .vmdk
#   + sha256sum      the same, also checking the disk's SHA-256 as hyperexport does (.mf), in
#                    parallel with qemu-img (the reference above checks no digest at all)
#   export only      hyperexport without --pipeline (the disk copied out of the .ova, hashed)
#   tar + sha256sum  tar -xf the .ova, then sha256sum the extracted .vmdk (its reference)
# HYPEREXPORT_BASELINE_ROOT=<checkout with its own packaged build> adds that build's pipeline
# and export-only runs (same commands) to the same rounds: before and after side by side.
# The OVA (built once, ~323 MiB): a 2 GiB disk with 320 MiB of random data, as a streamOptimized
# VMDK (qemu-img convert -o subformat=streamOptimized), with the sample appliance's descriptor and
# a SHA256 .mf. Not part of `mvn verify`. Needs the CLI packaged:
#   mvn -B -o -q -pl hyperexport-cli -am package -DskipTests
# usage: [HYPEREXPORT_BASELINE_ROOT=DIR] hyperexport-cli/bench/zero-copy.sh [ROUNDS=3] [WORKDIR]
#        (WORKDIR needs ~3 GiB free)
set -euo pipefail
ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${2:-$(mktemp -d "${TMPDIR:-/var/tmp}/hyperexport-zero-copy.XXXXXX")}
mkdir -p "$WORK"
trap 'rm -rf "$WORK/build" "$WORK/run"' EXIT
for tool in qemu-img tar sha256sum python3; do
  command -v "$tool" >/dev/null || { echo "zero-copy bench: $tool not found" >&2; exit 1; }
done
[ -x "$ROOT/bin/hyperexport" ] || { echo "zero-copy bench: no bin/hyperexport in $ROOT" >&2; exit 1; }

ova=$WORK/bench.ova
if [ ! -s "$ova" ]; then
  b=$WORK/build
  mkdir -p "$b"
  truncate -s 2G "$b/disk.raw"
  head -c 320M /dev/urandom | dd of="$b/disk.raw" bs=1M conv=notrunc status=none
  qemu-img convert -q -f raw -O vmdk -o subformat=streamOptimized "$b/disk.raw" "$b/sample-appliance-disk1.vmdk"
  rm -f "$b/disk.raw"
  size=$(stat -c %s "$b/sample-appliance-disk1.vmdk")
  tar -xf "$ROOT/samples/sample-appliance.ova" -C "$b" sample-appliance.ovf
  sed -i -e "s/ovf:size=\"[0-9]*\"/ovf:size=\"$size\"/" -e "s/ovf:populatedSize=\"[0-9]*\"/ovf:populatedSize=\"$size\"/" \
    -e 's/ovf:capacity="64"/ovf:capacity="2048"/' "$b/sample-appliance.ovf"
  (cd "$b" && sha256sum --tag sample-appliance.ovf sample-appliance-disk1.vmdk | sed 's/^SHA256 (\(.*\)) =/SHA256(\1)=/' > sample-appliance.mf)
  tar --format=ustar -cf "$ova" -C "$b" sample-appliance.ovf sample-appliance.mf sample-appliance-disk1.vmdk
  rm -rf "$b"
fi
echo "OVA: $ova, $(($(stat -c %s "$ova") >> 20)) MiB (a 2 GiB streamOptimized disk)"
echo "machine: $(nproc) CPUs, $(uname -r), work dir on $(df -T "$WORK" | awk 'NR==2{print $2}')"

R=$WORK/run
mkdir -p "$R"
cat > "$WORK/commands" <<CMDS
zero-copy: hyperexport --pipeline --converter qemu-img|$ROOT/bin/hyperexport --provider local --vm $ova --output $R/a --pipeline --converter qemu-img --quiet
copy kept: the same + --keep-export-files|$ROOT/bin/hyperexport --provider local --vm $ova --output $R/b --pipeline --converter qemu-img --keep-export-files --quiet
tar -xf + qemu-img convert -O qcow2|sh -c 'mkdir $R/c && tar -xf $ova -C $R/c && qemu-img convert -O qcow2 $R/c/sample-appliance-disk1.vmdk $R/c/disk.qcow2'
tar -xf + (sha256sum & qemu-img convert)|sh -c 'mkdir $R/d && tar -xf $ova -C $R/d && (sha256sum $R/d/sample-appliance-disk1.vmdk >/dev/null & qemu-img convert -O qcow2 $R/d/sample-appliance-disk1.vmdk $R/d/disk.qcow2; wait)'
export only: hyperexport (no --pipeline)|$ROOT/bin/hyperexport --provider local --vm $ova --output $R/e --quiet
tar -xf + sha256sum|sh -c 'mkdir $R/f && tar -xf $ova -C $R/f && sha256sum $R/f/sample-appliance-disk1.vmdk >/dev/null'
CMDS
ratios=(--ratio "zero-copy / (tar + qemu-img), target <= 1.2=0/2"
  --ratio "copy kept / (tar + qemu-img)=1/2"
  --ratio "zero-copy / copy kept=0/1"
  --ratio "zero-copy / (tar + sha256sum & qemu-img)=0/3"
  --ratio "export only / (tar + sha256sum)=4/5")
outs="$R/a $R/b $R/c $R/d $R/e $R/f"
if [ -n "${HYPEREXPORT_BASELINE_ROOT:-}" ]; then
  B=$HYPEREXPORT_BASELINE_ROOT/bin/hyperexport
  [ -x "$B" ] || { echo "zero-copy bench: no bin/hyperexport in $HYPEREXPORT_BASELINE_ROOT" >&2; exit 1; }
  cat >> "$WORK/commands" <<CMDS
baseline build: hyperexport --pipeline --converter qemu-img|$B --provider local --vm $ova --output $R/g --pipeline --converter qemu-img --quiet
baseline build: export only|$B --provider local --vm $ova --output $R/h --quiet
CMDS
  ratios+=(--ratio "baseline build / this build (pipeline)=6/0"
    --ratio "baseline build / this build (export only)=7/4"
    --ratio "baseline pipeline / (tar + qemu-img)=6/2"
    --ratio "baseline export only / (tar + sha256sum)=7/5")
  outs="$outs $R/g $R/h"
fi
python3 "$ROOT/scripts/side-by-side.py" "$ROUNDS" "$WORK/commands" --between "sh -c 'rm -rf $outs && sync'" "${ratios[@]}"
