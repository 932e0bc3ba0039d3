/**
 * hypersdk-provider-vsphere: the {@code vsphere} export provider and its vim25 client.
 *
 * <p>Entry points: {@link io.hypersdk.provider.vsphere.VsphereExportProvider} (registered in {@code
 * META-INF/services}), {@link io.hypersdk.provider.vsphere.VsphereSettings} and the client {@link
 * io.hypersdk.provider.vsphere.VimClient}. The parts live in sub-packages: {@code soap} (transport,
 * codec, XML element, faults, TLS, the vim25 connection and its session), {@code inventory}
 * (property retrieval with paging, inventory paths, VM/disk/NIC mapping, listing), {@code power}
 * (tasks and power operations) and {@code nfc} (ExportVm, HttpNfcLease, keep-alive, the downloads,
 * OVF descriptors, the export's manifest). Dependencies point one way: this package &rarr; nfc
 * &rarr; power &rarr; inventory &rarr; soap.
 */
package io.hypersdk.provider.vsphere;
