#!/bin/bash
# Builds an OVA whose disk holds a Linux-root-like ext4 filesystem in partition 1, with an
# /etc/fstab that names /dev/sda1 (what hyper2kvm's fstab repair rewrites to UUID=), for the
# real-converter tests (RealHyper2kvmIT). The OVF descriptor is the sample appliance's
# (samples/sample-appliance.ova), with this disk's size.
#
#   make-root-ova.sh SAMPLE.ova OUT.ova [blank]
#
# With "blank" the partition holds no file system (hyper2kvm fails: no root to mount).
#
# Needs: qemu-img, sfdisk, mkfs.ext4 (e2fsprogs), sha256sum, GNU tar.
set -euo pipefail
sample=$1 out=$2 blank=${3:-}
name=sample-appliance
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

root=$work/root
mkdir -p "$root"/{bin,sbin,etc,dev,proc,sys,tmp,root,var/log,usr/bin,usr/lib,usr/sbin,boot/grub,home}
cat >"$root/etc/fstab" <<'FSTAB'
# <file system> <mount point> <type> <options>         <dump> <pass>
/dev/sda1       /             ext4   errors=remount-ro 0      1
proc            /proc         proc   defaults          0      0
FSTAB
cat >"$root/etc/os-release" <<'OS'
PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
OS
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\n' >"$root/etc/group"
echo rootlike >"$root/etc/hostname"
echo 12.0 >"$root/etc/debian_version"
printf '#!/bin/sh\nexit 0\n' >"$root/bin/sh"
printf '#!/bin/sh\nexec /bin/sh\n' >"$root/sbin/init"
chmod 0755 "$root/bin/sh" "$root/sbin/init"

# an MBR with one partition from 1 MiB, the ext4 filesystem written straight into it
raw=$work/disk.raw
truncate -s 128M "$raw"
echo 'start=2048, type=83' | sfdisk -q "$raw"
if [ "$blank" != blank ]; then
  mkfs.ext4 -q -F -L rootfs -E offset=1048576,root_owner=0:0 -d "$root" "$raw" 127M
fi
vmdk=$work/$name-disk1.vmdk
qemu-img convert -q -f raw -O vmdk -o subformat=streamOptimized "$raw" "$vmdk"
size=$(stat -c %s "$vmdk")

tar -xOf "$sample" "$name.ovf" \
  | sed -E "s/ovf:size=\"[0-9]+\"/ovf:size=\"$size\"/; s/ovf:populatedSize=\"[0-9]+\"/ovf:populatedSize=\"$size\"/; s/ovf:capacity=\"[0-9]+\"/ovf:capacity=\"128\"/" \
  >"$work/$name.ovf"
(cd "$work" && for f in "$name.ovf" "$name-disk1.vmdk"; do
   printf 'SHA256(%s)= %s\n' "$f" "$(sha256sum "$f" | cut -d' ' -f1)"
 done) >"$work/$name.mf"
tar --format=ustar --owner=0 --group=0 -C "$work" -cf "$out" "$name.ovf" "$name.mf" "$name-disk1.vmdk"
