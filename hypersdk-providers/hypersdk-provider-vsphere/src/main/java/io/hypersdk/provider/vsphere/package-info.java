/** hypersdk-provider-vsphere. */
package io.hypersdk.provider.vsphere;
