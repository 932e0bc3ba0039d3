#!/usr/bin/env bash
# Installs the Debian packages the tests use (real qemu-img, libvirt test driver, virt-xml-validate,
# a real systemd for the fixture, Go + govmomi to build the vSphere simulator, tmux for the wizard
# test, OVMF for UEFI domains, Chromium for the dashboard's browser tests), and the real hyper2kvm
# 0.0.2 for the real-converter tier (hyperexport-cli's RealHyper2kvmIT) with
# ../shared/tools/hyper2kvm/install.sh. Idempotent: does nothing when everything is already installed.
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
  e2fsprogs                        # mkfs.ext4 -d: the real-converter tier's root-like guest disk
  samba                            # smbd on a loopback port for the Hyper-V provider's SMB transfer tests
  chromium chromium-driver         # hypersdk-server's dashboard tests (Selenium, headless)
  iproute2                         # ip netns / veth: the multi-host tier's "hosts" (MultiHostIT)
  openssh-server openssh-client    # sshd (internal-sftp) serving the spool (MultiHostIT); ssh-agent, ssh-add, ssh-keygen (Hyper-V agent login)
  sshfs fuse3                      # the export hosts mount the remote spool (MultiHostIT)
  rpm                              # packaging/: rpmbuild for rpm-maven-plugin; rpm -qlp, rpm --root -i
  lintian rpmlint                  # packaging/: the .deb and the .rpm are checked by them
  debootstrap systemd-container    # packaging/: a Debian 12 root, booted with systemd-nspawn
  curl                             # packaging/: BootedContainerIT asks the job server's /health in the container's network namespace
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

# The real hyper2kvm (launcher /usr/local/bin/hyper2kvm, where the shipped units expect it, plus
# libguestfs-tools and the appliance kernel). Its tests run as root only (CI does), and there they
# fail rather than skip when it is missing, so install it whenever we are root.
if [ "$(id -u)" -eq 0 ] && ! /usr/local/bin/hyper2kvm --version >/dev/null 2>&1; then
  installer="$(cd "$(dirname "$0")/.." && pwd)/../shared/tools/hyper2kvm/install.sh"
  if [ ! -f "$installer" ]; then
    echo "the real hyper2kvm is not installed and its installer $installer is missing;" \
      "check out the shared test tools next to the repository (../shared)" >&2
    exit 1
  fi
  echo "installing the real hyper2kvm with $installer"
  bash "$installer"
fi

# Azure Blob emulator for hypersdk-provider-azure's tests (azurite-blob on the PATH; the tests
# also take AZURITE_BLOB=/path/to/azurite-blob). 3.37.0 asks for Node 22 but runs on older Node
# with a warning.
if ! command -v azurite-blob >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "azurite is missing; run as root (or: sudo npm install -g --no-audit --no-fund azurite@3.37.0)" >&2
    exit 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    # Node and npm from Debian, unless a Node with its own npm is already there (a nodesource
    # nodejs bundles npm and conflicts with Debian's npm package)
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  fi
  echo "installing azurite 3.37.0 (npm)"
  npm install -g --no-audit --no-fund azurite@3.37.0 >/dev/null
fi
