/**
 * The {@code gcp} export provider: Compute Engine instances exported through an image, a Cloud
 * Build job running Google's image-export tool, and a download of the exported object from Cloud
 * Storage. Entry point: {@link io.hypersdk.provider.gcp.GcpExportProvider}, found through the
 * provider SPI.
 */
package io.hypersdk.provider.gcp;
