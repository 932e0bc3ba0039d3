/**
 * The vSphere inventory: properties read through the PropertyCollector with paging, VMs listed with
 * their inventory paths, a VM found by path, the datacenter of an object, and a VM's configuration
 * mapped to {@link io.hypersdk.provider.vsphere.inventory.VirtualMachineInfo} (disks, NICs with
 * their network names, CD-ROMs, boot disk).
 *
 * <p>API: the value records {@code VmListing}, {@code VirtualMachineInfo}, {@code VirtualDiskInfo},
 * {@code VirtualNicInfo}. The classes that read are module-internal (use {@code VimClient}).
 */
package io.hypersdk.provider.vsphere.inventory;
