/**
 * Libvirt definition of a converted VM: {@link io.hypersdk.pipeline.libvirt.LibvirtDefiner}, domain
 * XML written with a real XML writer ({@link io.hypersdk.pipeline.libvirt.DomainXml}) and UEFI
 * firmware lookup ({@link io.hypersdk.pipeline.libvirt.OvmfFirmware}).
 */
package io.hypersdk.pipeline.libvirt;
