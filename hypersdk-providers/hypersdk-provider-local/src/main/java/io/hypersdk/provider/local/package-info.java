/**
 * The {@code local} export provider: {@link io.hypersdk.provider.local.LocalProvider} reads an OVA,
 * an OVF package or a VMware VMX directory and exports its disks plus an Artifact Manifest.
 * Registered through {@code META-INF/services}; callers find it with {@code
 * ExportProviders.require("local")}.
 */
package io.hypersdk.provider.local;
