/**
 * The Azure provider ({@code --provider azure}): VMs of a subscription or resource group, their
 * managed disks read through a time-limited SAS, only the allocated page ranges transferred. Entry
 * point: {@link io.hypersdk.provider.azure.AzureExportProvider}, found through {@link
 * java.util.ServiceLoader}.
 */
package io.hypersdk.provider.azure;
