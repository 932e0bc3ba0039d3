#!/usr/bin/env bash
# Installs the Debian packages the tests use (real qemu-img, libvirt test driver, virt-xml-validate,
# a real systemd for the fixture, Go + govmomi to build the vSphere simulator, tmux for the wizard
# test, OVMF for UEFI domains). Idempotent: does nothing when everything is already installed.
set -euo pipefail

packages=(
  systemd                          # systemd-fixture.sh, systemd-analyze verify/security
  qemu-utils                       # qemu-img, qemu-io
  libvirt-clients libvirt0         # virsh, virt-xml-validate, the in-process test:///default driver
  libxml2-utils                    # xmllint, needed by virt-xml-validate
  ovmf                             # UEFI firmware files for q35 domains
  golang-go golang-github-vmware-govmomi-dev   # builds ../shared/tools/vcsim
  tmux                             # drives the interactive wizard through a real pseudo-terminal
  util-linux bsdutils              # unshare, nsenter, script (used by the systemd fixture)
  passwd                           # useradd/groupadd for the unit and spool permission tests
  python3                          # the stand-in hyper2kvm's workflow and flat daemon layouts
  asciidoctor                      # renders hyperexport's generated man page (AsciiDoc) to roff
  nodejs npm                       # runs azurite, the Azure Blob emulator of the Azure provider's tests
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Azure Blob emulator for hypersdk-provider-azure's tests (azurite-blob on the PATH; the tests
# also take AZURITE_BLOB=/path/to/azurite-blob). 3.37.0 asks for Node 22 but runs on older Node
# with a warning.
if ! command -v azurite-blob >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "azurite is missing; run as root (or: sudo npm install -g --no-audit --no-fund azurite@3.37.0)" >&2
    exit 1
  fi
  echo "installing azurite 3.37.0 (npm)"
  npm install -g --no-audit --no-fund azurite@3.37.0 >/dev/null
fi
