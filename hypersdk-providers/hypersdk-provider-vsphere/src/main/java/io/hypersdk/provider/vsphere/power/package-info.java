/**
 * vSphere tasks and power operations (power off, guest shutdown); module-internal, used through
 * {@code VimClient} and the export.
 */
package io.hypersdk.provider.vsphere.power;
