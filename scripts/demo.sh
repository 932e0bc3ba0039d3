#!/usr/bin/env bash
# The README's main command, on a fresh Debian machine from a fresh clone:
#   1. installs qemu-utils and libvirt-clients/libvirt0 when missing (apt-get, as root),
#   2. builds the project when hyperexport is not built or its sources changed,
#   3. exports samples/sample-appliance.ova with the local provider, converts it to qcow2 with
#      --converter qemu-img (the sample holds no operating system for hyper2kvm to repair) and
#      defines its libvirt domain on the test driver (test:///default, needs no daemon).
# Usage: bash scripts/demo.sh [OUTPUT_DIR]     (default: a new directory under /tmp)
# Extra hyperexport flags can follow the directory, e.g. bash scripts/demo.sh /tmp/x --json
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# 1. Debian packages: qemu-img converts, libvirt0 is the library libvirt-java loads
missing=()
command -v qemu-img >/dev/null 2>&1 || missing+=(qemu-utils)
command -v virsh >/dev/null 2>&1 || missing+=(libvirt-clients)
ldconfig -p 2>/dev/null | grep -q 'libvirt\.so\.0' || missing+=(libvirt0)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "demo: missing Debian packages: ${missing[*]}; run as root or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "demo: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
for tool in java mvn; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "demo: $tool not found: install JDK 17+ and Maven 3.8+ (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
    exit 1
  fi
done

# 2. build when needed (a reactor `package`: nothing is installed into ~/.m2)
jar=$(ls hyperexport-cli/target/hyperexport-cli-*.jar 2>/dev/null | grep -v -e '-sources' -e '-javadoc' -e '-tests' | head -n1 || true)
if [ -z "$jar" ] || [ ! -d hyperexport-cli/target/lib ] \
   || [ -n "$(find . -path '*/target' -prune -o \( -name '*.java' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
  echo "demo: building (mvn -B -q -DskipTests package) ..."
  mvn -B -q -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package
fi

# 3. the main command. The sample appliance's disk holds no operating system, so there is nothing
#    for hyper2kvm to repair (it would stop at "Failed to mount root filesystem"): the demo converts
#    with qemu-img, installed or not. A real appliance goes through hyper2kvm without --converter.
out=${1:-$(mktemp -d /tmp/hyperexport-demo.XXXXXX)}
shift || true
converter=(--converter qemu-img)
echo "demo: bin/hyperexport --provider local --vm samples/sample-appliance.ova --output $out --pipeline ${converter[*]} --libvirt --libvirt-uri test:///default $*"
bin/hyperexport --provider local --vm samples/sample-appliance.ova --output "$out" \
  --pipeline "${converter[@]}" --libvirt --libvirt-uri test:///default "$@"
echo
echo "demo: converted images:"
find "$out" -name '*.qcow2' -print0 | while IFS= read -r -d '' img; do
  qemu-img info -f qcow2 "$img" | sed -n -e '1,3p' | sed 's/^/  /'
done
echo "demo: the sample appliance has no operating system to repair, so this demo used"
echo "      --converter qemu-img (conversion only). For a real appliance leave out --converter:"
echo "      hyper2kvm then repairs the guest (or hyperexport says what to install)."
