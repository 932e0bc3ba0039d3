package io.hypersdk.provider.vsphere;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.DiskChecksums;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineInfo;
import io.hypersdk.provider.vsphere.inventory.VmListing;
import io.hypersdk.provider.vsphere.nfc.VsphereExporter;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A standalone ESXi host (the simulator's esx model): ha-datacenter, HostAgent API. */
class EsxHostSimulatorTest {
    @TempDir static Path dir;
    static Vcsim sim;

    @BeforeAll
    static void startSimulator() throws Exception {
        sim = Vcsim.start(dir, "esx");
    }

    @AfterAll
    static void stopSimulator() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void listsFindsAndExportsAVmOfAStandaloneHost() throws Exception {
        try (VimClient vim = sim.clientBuilder().build()) {
            vim.login();
            assertThat(vim.serviceContent().about().apiType()).isEqualTo("HostAgent");
            List<VmListing> vms = vim.listVirtualMachines();
            assertThat(vms).isNotEmpty();
            VmListing first = vms.get(0);
            assertThat(vim.datacenterName(first.ref())).contains("ha-datacenter");
            ManagedObjectReference ref =
                    vim.findByInventoryPath("ha-datacenter/vm/" + first.name()).orElseThrow();
            assertThat(ref).isEqualTo(first.ref());
            VirtualMachineInfo info = vim.virtualMachine(ref);
            assertThat(info.disks()).isNotEmpty();
            if (info.powerState().orElseThrow() != PowerState.OFF) {
                vim.powerOff(ref);
            }
            String file = info.disks().get(0).fileName().orElseThrow();
            Path vmdk = Vcsim.makeVmdk(dir, "esx.vmdk", 512 * 1024);
            sim.upload(
                    vim,
                    file.substring(file.indexOf("] ") + 2),
                    vmdk,
                    "ha-datacenter",
                    "LocalDS_0");

            ExportResult r =
                    new VsphereSession(vim, VsphereExporter.Tuning.defaults())
                            .export(
                                    ExportRequest.builder(
                                                    "ha-datacenter/vm/" + first.name(),
                                                    dir.resolve("out"))
                                            .build(),
                                    e -> {},
                                    Cancellation.create());
            assertThat(DiskChecksums.sha256(r.manifest().bootDisk().localPath()))
                    .isEqualTo(DiskChecksums.sha256(vmdk));
            assertThat(r.manifest().source().orElseThrow().datacenter()).contains("ha-datacenter");
        }
    }
}
