/**
 * Turning untrusted VM names into safe file names and libvirt domain names: {@link
 * io.hypersdk.core.naming.VmNames}.
 */
package io.hypersdk.core.naming;
