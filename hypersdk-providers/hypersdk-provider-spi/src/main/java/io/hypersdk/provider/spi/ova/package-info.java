/**
 * Packing an export as an OVA: {@link io.hypersdk.provider.spi.ova.OvaWriter}, shared by the
 * providers that offer {@link io.hypersdk.provider.spi.Capability#EXPORT_OVA}.
 */
package io.hypersdk.provider.spi.ova;
