#!/bin/bash
# Builds samples/sample-appliance.ova: a tiny VM appliance for tests and the README's main command.
#
#   bash samples/make-sample-appliance.sh [OUTPUT.ova]     (default: next to this script)
#
# What it contains (OVF 1.0 layout: descriptor first, then the manifest, then the disk):
#   sample-appliance.ovf        1 vCPU, 512 MiB, BIOS, one 64 MiB disk on SCSI, one NIC
#                               (MAC 00:50:56:aa:bb:01 on network "VM Network")
#   sample-appliance.mf         SHA256 of the two other members
#   sample-appliance-disk1.vmdk streamOptimized VMDK (as vSphere exports it) holding a bare ext4
#                               filesystem with a Linux-root-like tree: /etc/fstab, /etc/os-release,
#                               /etc/passwd, /etc/hostname, /bin/sh, /sbin/init.
# The tree is enough for guest inspection (hyper2kvm finds and mounts the root); the appliance
# does not boot: /bin/sh and /sbin/init are placeholder scripts, there is no kernel.
#
# Needs: qemu-img (qemu-utils), mke2fs (e2fsprogs), sha256sum, GNU tar. The output is
# reproducible: fixed UUID, hash seed, timestamps and tar metadata.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/sample-appliance.ova}
name=sample-appliance
disk_mib=64
epoch=1767225600   # 2026-01-01T00:00:00Z

for tool in qemu-img mke2fs debugfs perl sha256sum tar; do
  command -v "$tool" >/dev/null || { echo "make-sample-appliance: $tool not found; install qemu-utils, e2fsprogs, coreutils, tar" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# --- the root-like tree -------------------------------------------------------------------
root=$work/root
mkdir -p "$root"/{bin,sbin,etc,dev,proc,sys,tmp,root,var/log,usr/bin,usr/lib,boot,home}
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"
cat >"$root/etc/fstab" <<'EOF'
# <file system>                            <mount point> <type> <options>         <dump> <pass>
UUID=5a3c1d2e-0b4f-4c6a-9e8d-7f1a2b3c4d5e  /             ext4   errors=remount-ro 0      1
proc                                       /proc         proc   defaults          0      0
EOF
cat >"$root/etc/os-release" <<'EOF'
PRETTY_NAME="hypersdk sample appliance (Debian GNU/Linux 12 layout)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
EOF
cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
cat >"$root/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
nogroup:x:65534:
EOF
echo "sample-appliance" >"$root/etc/hostname"
echo "12.0" >"$root/etc/debian_version"
printf '#!/bin/sh\n# placeholder: the sample appliance carries no real shell\nexit 0\n' >"$root/bin/sh"
printf '#!/bin/sh\n# placeholder init of the hypersdk sample appliance\nexec /bin/sh\n' >"$root/sbin/init"
chmod 0755 "$root/bin/sh" "$root/sbin/init"
find "$root" -exec touch -h -d "@$epoch" {} +

# --- ext4 filesystem on the whole disk, then a streamOptimized VMDK -------------------------
raw=$work/disk.raw
E2FSPROGS_FAKE_TIME=$epoch mke2fs -q -F -t ext4 -L rootfs \
  -U 5a3c1d2e-0b4f-4c6a-9e8d-7f1a2b3c4d5e -E hash_seed=0d5c2b1a-3e4f-4a5b-8c6d-7e8f9a0b1c2d,root_owner=0:0 \
  -d "$root" "$raw" "${disk_mib}M" >/dev/null
# mke2fs -d copies each file's ctime (which touch cannot set): pin every inode's times
(cd "$root" && find . -mindepth 1 | sed 's|^\.||') | while read -r p; do
  for field in ctime crtime atime mtime; do echo "set_inode_field $p $field @$epoch"; done
done >"$work/times.debugfs"
for field in ctime crtime atime mtime; do echo "set_inode_field / $field @$epoch"; done >>"$work/times.debugfs"
E2FSPROGS_FAKE_TIME=$epoch debugfs -w -f "$work/times.debugfs" "$raw" >/dev/null 2>"$work/debugfs.log" \
  || { cat "$work/debugfs.log" >&2; exit 1; }
vmdk=$work/$name-disk1.vmdk
qemu-img convert -q -f raw -O vmdk -o subformat=streamOptimized "$raw" "$vmdk"
# qemu-img puts a random CID into the embedded descriptor; pin it so the output is reproducible
# (the descriptor area is NUL-padded: rewrite it in place, same length).
perl -e '
  open(my $f, "+<:raw", $ARGV[0]) or die "open $ARGV[0]: $!";
  read($f, my $hdr, 512) == 512 or die "short header";
  substr($hdr, 0, 4) eq "KDMV" or die "not a VMDK sparse header";
  my ($off, $len) = (unpack("Q<", substr($hdr, 28, 8)) * 512, unpack("Q<", substr($hdr, 36, 8)) * 512);
  seek($f, $off, 0); read($f, my $d, $len) == $len or die "short descriptor";
  $d =~ s/CID=[0-9a-f]+\n/CID=5a3c1d2e\n/ or die "no CID line";
  $d = substr($d . ("\0" x $len), 0, $len);
  seek($f, $off, 0); print $f $d; close($f) or die;' "$vmdk"
qemu-img check -q -f vmdk "$vmdk"
capacity=$((disk_mib * 1024 * 1024))
vmdk_size=$(stat -c %s "$vmdk")

# --- OVF descriptor -----------------------------------------------------------------------
ovf=$work/$name.ovf
cat >"$ovf" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<Envelope vmw:buildId="build-0" xmlns="http://schemas.dmtf.org/ovf/envelope/1"
    xmlns:cim="http://schemas.dmtf.org/wbem/wscim/1/common"
    xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1"
    xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData"
    xmlns:vmw="http://www.vmware.com/schema/ovf"
    xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <References>
    <File ovf:href="$name-disk1.vmdk" ovf:id="file1" ovf:size="$vmdk_size"/>
  </References>
  <DiskSection>
    <Info>Virtual disk information</Info>
    <Disk ovf:capacity="$disk_mib" ovf:capacityAllocationUnits="byte * 2^20" ovf:diskId="vmdisk1"
        ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"
        ovf:populatedSize="$vmdk_size"/>
  </DiskSection>
  <NetworkSection>
    <Info>The list of logical networks</Info>
    <Network ovf:name="VM Network">
      <Description>The VM Network network</Description>
    </Network>
  </NetworkSection>
  <VirtualSystem ovf:id="$name">
    <Info>A virtual machine</Info>
    <Name>$name</Name>
    <OperatingSystemSection ovf:id="96" vmw:osType="debian11_64Guest">
      <Info>The kind of installed guest operating system</Info>
    </OperatingSystemSection>
    <VirtualHardwareSection>
      <Info>Virtual hardware requirements</Info>
      <System>
        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>
        <vssd:InstanceID>0</vssd:InstanceID>
        <vssd:VirtualSystemIdentifier>$name</vssd:VirtualSystemIdentifier>
        <vssd:VirtualSystemType>vmx-13</vssd:VirtualSystemType>
      </System>
      <Item>
        <rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>
        <rasd:Description>Number of Virtual CPUs</rasd:Description>
        <rasd:ElementName>1 virtual CPU(s)</rasd:ElementName>
        <rasd:InstanceID>1</rasd:InstanceID>
        <rasd:ResourceType>3</rasd:ResourceType>
        <rasd:VirtualQuantity>1</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>
        <rasd:Description>Memory Size</rasd:Description>
        <rasd:ElementName>512MB of memory</rasd:ElementName>
        <rasd:InstanceID>2</rasd:InstanceID>
        <rasd:ResourceType>4</rasd:ResourceType>
        <rasd:VirtualQuantity>512</rasd:VirtualQuantity>
      </Item>
      <Item>
        <rasd:Address>0</rasd:Address>
        <rasd:Description>SCSI Controller</rasd:Description>
        <rasd:ElementName>SCSI controller 0</rasd:ElementName>
        <rasd:InstanceID>3</rasd:InstanceID>
        <rasd:ResourceSubType>VirtualSCSI</rasd:ResourceSubType>
        <rasd:ResourceType>6</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:AddressOnParent>0</rasd:AddressOnParent>
        <rasd:ElementName>Hard disk 1</rasd:ElementName>
        <rasd:HostResource>ovf:/disk/vmdisk1</rasd:HostResource>
        <rasd:InstanceID>4</rasd:InstanceID>
        <rasd:Parent>3</rasd:Parent>
        <rasd:ResourceType>17</rasd:ResourceType>
      </Item>
      <Item>
        <rasd:Address>00:50:56:aa:bb:01</rasd:Address>
        <rasd:AddressOnParent>7</rasd:AddressOnParent>
        <rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>
        <rasd:Connection>VM Network</rasd:Connection>
        <rasd:Description>VmxNet3 ethernet adapter on "VM Network"</rasd:Description>
        <rasd:ElementName>Network adapter 1</rasd:ElementName>
        <rasd:InstanceID>5</rasd:InstanceID>
        <rasd:ResourceSubType>VmxNet3</rasd:ResourceSubType>
        <rasd:ResourceType>10</rasd:ResourceType>
      </Item>
      <vmw:Config ovf:required="false" vmw:key="firmware" vmw:value="bios"/>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>
EOF

# --- manifest (.mf) and the OVA (tar, descriptor first) -------------------------------------
mf=$work/$name.mf
(cd "$work" && for f in "$name.ovf" "$name-disk1.vmdk"; do
   printf 'SHA256(%s)= %s\n' "$f" "$(sha256sum "$f" | cut -d' ' -f1)"
 done) >"$mf"
touch -d "@$epoch" "$ovf" "$mf" "$vmdk"
chmod 0644 "$ovf" "$mf" "$vmdk"
tmp_out=$(dirname "$out")/.$(basename "$out").tmp
tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime="@$epoch" \
  -C "$work" -cf "$tmp_out" "$name.ovf" "$name.mf" "$name-disk1.vmdk"
mv -f "$tmp_out" "$out"
echo "wrote $out ($(stat -c %s "$out") bytes; disk: ${disk_mib} MiB virtual, $vmdk_size bytes streamOptimized)"
