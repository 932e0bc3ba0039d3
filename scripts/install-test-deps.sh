#!/usr/bin/env bash
# Installs the Debian packages the tests use (real qemu-img, libvirt test driver, virt-xml-validate,
# a real systemd for the fixture, Go + govmomi to build the vSphere simulator, tmux for the wizard
# test, OVMF for UEFI domains, Chromium for the dashboard's browser tests). Idempotent: does nothing when everything is already installed.
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
  chromium chromium-driver         # hypersdk-server's dashboard tests (Selenium, headless)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${missing[*]}; run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
