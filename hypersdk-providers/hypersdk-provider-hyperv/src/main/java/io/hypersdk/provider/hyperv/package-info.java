/**
 * The Hyper-V export provider ({@code --provider hyperv}): {@link
 * io.hypersdk.provider.hyperv.HypervExportProvider} is the only public class. Inventory and export
 * run as fixed PowerShell scripts over SSH whose parameters travel as JSON on standard input; disks
 * travel over SFTP or SMB.
 */
package io.hypersdk.provider.hyperv;
