/**
 * The export over NFC: {@code ExportVm} and its {@code HttpNfcLease} (ready, progress keep-alive,
 * complete, abort), the downloads of the lease's files through the download engine, the OVF
 * descriptor and {@code .mf}, and the Artifact Manifest. Module-internal: the provider session
 * drives {@link io.hypersdk.provider.vsphere.nfc.VsphereExporter}.
 */
package io.hypersdk.provider.vsphere.nfc;
