package io.hypersdk.provider.hyperv;

/**
 * The fixed PowerShell scripts the provider runs on the Hyper-V host. None of them is ever built
 * from a value: each reads its parameters as JSON from standard input ({@code $p}), so a VM named
 * {@code x'; Remove-VM -Force; '} is only ever compared with {@code -eq}. VMs are found by exact
 * name or id, never with {@code Get-VM -Name} (which treats {@code [ ] * ?} as wildcards).
 *
 * <p>Output is {@code ConvertTo-Json} of the cmdlets' own objects, reduced with {@code
 * Select-Object} to the properties read here. Windows PowerShell 5.1 writes enums as numbers and
 * dates as {@code /Date(ms)/}; PowerShell 7 writes the same enums as numbers (unless {@code
 * -EnumsAsStrings}) and ISO dates. {@link HypervInventory} reads both.
 */
final class Scripts {
    private Scripts() {}

    /**
     * Common start: stop on errors, read the parameters, find a VM by exact name or id (exit 3).
     */
    private static final String PRELUDE =
            """
      $ErrorActionPreference = 'Stop'
      $ProgressPreference = 'SilentlyContinue'
      $p = [Console]::In.ReadToEnd() | ConvertFrom-Json
      function Find-HsVm([string]$key) {
        $found = @(Get-VM | Where-Object { $_.Name -eq $key -or $_.Id.ToString() -eq $key })
        if ($found.Count -eq 0) { [Console]::Error.WriteLine('no VM has that name or id'); exit 3 }
        if ($found.Count -gt 1) { [Console]::Error.WriteLine('more than one VM has that name; give its Id'); exit 4 }
        return $found[0]
      }
      """;

    /** Every VM: Get-VM, reduced. */
    static final String LIST =
            PRELUDE
                    + """
      $vms = @(Get-VM | Select-Object Name, @{n='Id';e={$_.Id.ToString()}}, State, Generation, ProcessorCount, MemoryStartup)
      ConvertTo-Json -InputObject $vms -Depth 3 -Compress
      """;

    /**
     * One VM ({@code $p.vm}): Get-VM, Get-VMHardDiskDrive + Get-VHD, Get-VMNetworkAdapter,
     * Get-VMFirmware.
     */
    static final String DESCRIBE =
            PRELUDE
                    + """
      $vm = Find-HsVm $p.vm
      $drives = @(Get-VMHardDiskDrive -VM $vm)
      $fw = $null
      if ($vm.Generation -eq 2) {
        $fw = Get-VMFirmware -VM $vm | Select-Object SecureBoot, SecureBootTemplate,
          @{n='BootOrder';e={@($_.BootOrder | ForEach-Object { [pscustomobject]@{ BootType = $_.BootType; Path = $_.Device.Path } })}}
      }
      $out = [pscustomobject]@{
        VM = $vm | Select-Object Name, @{n='Id';e={$_.Id.ToString()}}, State, Generation, ProcessorCount,
          MemoryStartup, DynamicMemoryEnabled, MemoryMinimum, MemoryMaximum, CreationTime
        HardDrives = @($drives | Select-Object ControllerType, ControllerNumber, ControllerLocation, Path, Name)
        Vhds = @($drives | Where-Object { $_.Path } | ForEach-Object { Get-VHD -Path $_.Path } |
          Select-Object Path, VhdFormat, VhdType, FileSize, Size, ParentPath)
        NetworkAdapters = @(Get-VMNetworkAdapter -VM $vm | Select-Object Name, MacAddress, SwitchName)
        Firmware = $fw
      }
      ConvertTo-Json -InputObject $out -Depth 5 -Compress
      """;

    /** Checkpoint-VM of {@code $p.vm} named {@code $p.name}; answers the checkpoint's Id. */
    static final String CHECKPOINT =
            PRELUDE
                    + """
      $vm = Find-HsVm $p.vm
      $cp = Checkpoint-VM -VM $vm -SnapshotName $p.name -Passthru
      ConvertTo-Json -InputObject ($cp | Select-Object Name, @{n='Id';e={$_.Id.ToString()}}, CreationTime) -Compress
      """;

    /**
     * Export-VM of {@code $p.vm} into {@code $p.path}, or Export-VMSnapshot of checkpoint {@code
     * $p.checkpoint} when given; answers the exported virtual disks (Get-ChildItem).
     */
    static final String EXPORT =
            PRELUDE
                    + """
      $vm = Find-HsVm $p.vm
      New-Item -ItemType Directory -Force -Path $p.path | Out-Null
      if ($p.checkpoint) {
        $cp = Get-VMSnapshot -VM $vm | Where-Object { $_.Id.ToString() -eq $p.checkpoint }
        Export-VMSnapshot -VMSnapshot $cp -Path $p.path
      } else {
        if ($vm.State -ne 'Off') { [Console]::Error.WriteLine('the VM is not off'); exit 5 }
        Export-VM -VM $vm -Path $p.path
      }
      $files = @(Get-ChildItem -LiteralPath $p.path -Recurse -File |
        Where-Object { @('.vhdx', '.vhd', '.avhdx', '.avhd') -contains $_.Extension.ToLowerInvariant() } |
        Select-Object Name, FullName, Length)
      ConvertTo-Json -InputObject $files -Depth 3 -Compress
      """;

    /** Remove-VMSnapshot of checkpoint {@code $p.checkpoint} of {@code $p.vm}. */
    static final String REMOVE_CHECKPOINT =
            PRELUDE
                    + """
      $vm = Find-HsVm $p.vm
      Get-VMSnapshot -VM $vm | Where-Object { $_.Id.ToString() -eq $p.checkpoint } | Remove-VMSnapshot
      ConvertTo-Json -InputObject $true
      """;

    /** Removes the staging directory {@code $p.path}. */
    static final String REMOVE_STAGING =
            PRELUDE
                    + """
      if (Test-Path -LiteralPath $p.path) { Remove-Item -LiteralPath $p.path -Recurse -Force }
      ConvertTo-Json -InputObject $true
      """;

    /**
     * Every link of each disk chain of {@code $p.vm} (or of its checkpoint {@code $p.checkpoint},
     * whose files no longer change): Get-VHD of each drive's file, then of its ParentPath, down to
     * the base disk. One flat list; {@code Drive} names the drive's file and {@code Depth} counts
     * from it (0) to the base.
     */
    static final String DISK_CHAINS =
            PRELUDE
                    + """
      $vm = Find-HsVm $p.vm
      if ($p.checkpoint) {
        $cp = Get-VMSnapshot -VM $vm | Where-Object { $_.Id.ToString() -eq $p.checkpoint }
        $drives = @(Get-VMHardDiskDrive -VMSnapshot $cp)
      } else {
        if ($vm.State -ne 'Off') { [Console]::Error.WriteLine('the VM is not off'); exit 5 }
        $drives = @(Get-VMHardDiskDrive -VM $vm)
      }
      $links = @()
      foreach ($d in @($drives | Where-Object { $_.Path })) {
        $at = $d.Path
        $depth = 0
        while ($at) {
          if ($depth -ge 64) { [Console]::Error.WriteLine('a differencing chain is longer than 64 disks'); exit 6 }
          $v = Get-VHD -Path $at
          $links += [pscustomobject]@{ Drive = $d.Path; Depth = $depth; Path = $v.Path; VhdFormat = $v.VhdFormat;
            VhdType = $v.VhdType; FileSize = $v.FileSize; Size = $v.Size; ParentPath = $v.ParentPath }
          $at = $v.ParentPath
          $depth++
        }
      }
      ConvertTo-Json -InputObject $links -Depth 3 -Compress
      """;

    /**
     * Convert-VHD of {@code $p.source} into {@code $p.destination} as a dynamic VHDX: for a
     * differencing disk this merges the whole chain into one file. Answers the new file (Get-Item).
     */
    static final String MERGE_DISK =
            PRELUDE
                    + """
      New-Item -ItemType Directory -Force -Path (Split-Path -Parent $p.destination) | Out-Null
      Convert-VHD -Path $p.source -DestinationPath $p.destination -VHDType Dynamic
      ConvertTo-Json -InputObject (Get-Item -LiteralPath $p.destination | Select-Object Name, FullName, Length) -Compress
      """;
}
