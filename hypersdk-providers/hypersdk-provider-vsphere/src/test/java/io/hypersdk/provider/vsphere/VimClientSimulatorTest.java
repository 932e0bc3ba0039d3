package io.hypersdk.provider.vsphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineInfo;
import io.hypersdk.provider.vsphere.inventory.VmListing;
import io.hypersdk.provider.vsphere.nfc.VsphereExporter;
import io.hypersdk.provider.vsphere.soap.InvalidLoginException;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.NotAuthenticatedException;
import io.hypersdk.provider.vsphere.soap.ServiceContent;
import io.hypersdk.provider.vsphere.soap.UserSession;
import io.hypersdk.provider.vsphere.soap.VimFaultException;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.provider.vsphere.soap.VsphereTls;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vim25 client against VMware's simulator (default vpx inventory). */
class VimClientSimulatorTest {
    @TempDir static Path dir;
    static Vcsim sim;

    @BeforeAll
    static void startSimulator() throws Exception {
        sim = Vcsim.start(dir);
    }

    @AfterAll
    static void stopSimulator() throws Exception {
        if (sim != null) {
            sim.close();
        }
    }

    @Test
    void serviceContentDescribesTheSimulatedVcenter() {
        try (VimClient vim = sim.clientBuilder().build()) {
            ServiceContent sc = vim.serviceContent();
            assertThat(sc.about().apiType()).isEqualTo("VirtualCenter");
            assertThat(sc.about().apiVersion()).isEqualTo("6.5");
            assertThat(sc.rootFolder().type()).isEqualTo("Folder");
            assertThat(sc.searchIndex()).isPresent();
            assertThat(sc.ovfManager()).isPresent();
        }
    }

    @Test
    void loginWithGoodCredentialsOpensASessionWithACookie() {
        try (VimClient vim = sim.clientBuilder().build()) {
            UserSession s = vim.login();
            assertThat(s.userName()).isEqualTo("user");
            assertThat(vim.isLoggedIn()).isTrue();
            assertThat(vim.sessionCookie())
                    .hasValueSatisfying(c -> assertThat(c).startsWith("vmware_soap_session="));
        }
    }

    @Test
    void loginWithBadPasswordFailsWithInvalidLogin() {
        try (VimClient vim = sim.clientBuilder().password("wrong-password").build()) {
            assertThatThrownBy(vim::login)
                    .isInstanceOf(InvalidLoginException.class)
                    .satisfies(
                            e ->
                                    assertThat(((VimFaultException) e).faultName())
                                            .isEqualTo("InvalidLogin"))
                    .hasMessageContaining("Login failed: InvalidLogin")
                    .hasMessageContaining("check the user name and password")
                    .hasMessageNotContaining("wrong-password");
            assertThat(vim.isLoggedIn()).isFalse();
        }
    }

    @Test
    void listsTheFourVmsOfTheDefaultModel() {
        try (VimClient vim = sim.clientBuilder().build()) {
            vim.login();
            List<VmListing> vms = vim.listVirtualMachines();
            assertThat(vms)
                    .extracting(VmListing::name)
                    .containsExactlyInAnyOrder(
                            "DC0_H0_VM0", "DC0_H0_VM1", "DC0_C0_RP0_VM0", "DC0_C0_RP0_VM1");
            assertThat(vms)
                    .allSatisfy(
                            v -> {
                                assertThat(v.ref().type()).isEqualTo("VirtualMachine");
                                assertThat(v.powerState()).isPresent();
                                assertThat(v.numCpu()).isPositive();
                                assertThat(v.memoryMb()).isPositive();
                            });
        }
    }

    @Test
    void listsEveryVmWithAnInventoryPathThatFindsTheSameVmIncludingNestedFolders() {
        try (VimClient vim = sim.clientBuilder().build()) {
            vim.login();
            // move one VM two folders down, with a space in a folder name
            ManagedObjectReference dc = vim.findByInventoryPath("DC0").orElseThrow();
            ManagedObjectReference vmFolder =
                    vim.properties(dc, List.of("vmFolder")).get("vmFolder").asMoref();
            ManagedObjectReference tier =
                    vim.invoke("CreateFolder", vmFolder, XmlElement.text("name", "web tier"))
                            .child("returnval")
                            .orElseThrow()
                            .asMoref();
            ManagedObjectReference db =
                    vim.invoke("CreateFolder", tier, XmlElement.text("name", "db"))
                            .child("returnval")
                            .orElseThrow()
                            .asMoref();
            ManagedObjectReference moved =
                    vim.findByInventoryPath("DC0/vm/DC0_C0_RP0_VM1").orElseThrow();
            runTask(vim, "MoveIntoFolder_Task", db, XmlElement.moref("list", moved));

            List<VmListing> vms = vim.listVirtualMachines();
            assertThat(vms)
                    .extracting(v -> v.path().orElse("(none)"))
                    .containsExactlyInAnyOrder(
                            "/DC0/vm/DC0_H0_VM0",
                            "/DC0/vm/DC0_H0_VM1",
                            "/DC0/vm/DC0_C0_RP0_VM0",
                            "/DC0/vm/web tier/db/DC0_C0_RP0_VM1");
            for (VmListing v : vms) {
                assertThat(vim.findByInventoryPath(v.path().orElseThrow()))
                        .as(v.path().get())
                        .contains(v.ref());
            }
        }
    }

    private static void runTask(
            VimClient vim, String method, ManagedObjectReference target, XmlElement... params) {
        ManagedObjectReference task =
                vim.invoke(method, target, params).child("returnval").orElseThrow().asMoref();
        vim.waitForTask(task, method);
    }

    @Test
    void aNameTwoVmsShareIsRefusedWithBothInventoryPaths() {
        try (VimClient vim = sim.clientBuilder().build()) {
            vim.login();
            ManagedObjectReference dc = vim.findByInventoryPath("DC0").orElseThrow();
            ManagedObjectReference vmFolder =
                    vim.properties(dc, List.of("vmFolder")).get("vmFolder").asMoref();
            ManagedObjectReference twins =
                    vim.invoke("CreateFolder", vmFolder, XmlElement.text("name", "twins"))
                            .child("returnval")
                            .orElseThrow()
                            .asMoref();
            ManagedObjectReference other =
                    vim.findByInventoryPath("DC0/vm/DC0_C0_RP0_VM0").orElseThrow();
            runTask(vim, "MoveIntoFolder_Task", twins, XmlElement.moref("list", other));
            runTask(vim, "Rename_Task", other, XmlElement.text("newName", "DC0_H0_VM0"));
            try {
                VsphereSession session = new VsphereSession(vim, VsphereExporter.Tuning.defaults());
                assertThatThrownBy(() -> session.resolve("DC0_H0_VM0"))
                        .isInstanceOf(io.hypersdk.provider.spi.VmNotFoundException.class)
                        .hasMessageContaining("2 VMs are named DC0_H0_VM0")
                        .hasMessageContaining("/DC0/vm/DC0_H0_VM0")
                        .hasMessageContaining("/DC0/vm/twins/DC0_H0_VM0")
                        .hasMessageContaining("name one by inventory path or id");
                assertThat(session.resolve("/DC0/vm/twins/DC0_H0_VM0")).isEqualTo(other);
            } finally {
                runTask(vim, "Rename_Task", other, XmlElement.text("newName", "DC0_C0_RP0_VM0"));
                runTask(vim, "MoveIntoFolder_Task", vmFolder, XmlElement.moref("list", other));
            }
        }
    }

    @Test
    void findsAVmByInventoryPathWithOrWithoutLeadingSlash() {
        try (VimClient vim = sim.clientBuilder().build()) {
            vim.login();
            ManagedObjectReference vm = vim.findByInventoryPath("DC0/vm/DC0_H0_VM0").orElseThrow();
            assertThat(vm.type()).isEqualTo("VirtualMachine");
            assertThat(vim.findByInventoryPath("/DC0/vm/DC0_H0_VM0")).contains(vm);
            assertThat(vim.virtualMachine(vm).name()).isEqualTo("DC0_H0_VM0");
            assertThat(vim.findByInventoryPath("DC0/vm/no-such-vm")).isEmpty();
        }
    }

    @Test
    void readsTheConfigurationOfEveryVmOfTheDefaultModel() {
        try (VimClient vim = sim.clientBuilder().build()) {
            vim.login();
            List<VmListing> vms = vim.listVirtualMachines();
            assertThat(vms).hasSize(4);
            for (VmListing l : vms) {
                VirtualMachineInfo vm = vim.virtualMachine(l.ref());
                assertThat(vm.name()).isEqualTo(l.name());
                assertThat(vm.numCpu()).isEqualTo(1);
                assertThat(vm.memoryMb()).isEqualTo(32);
                assertThat(vm.firmware()).contains("bios");
                assertThat(vm.guestId()).contains("otherGuest");
                assertThat(vm.powerState()).contains(PowerState.ON);
                assertThat(vm.disks())
                        .singleElement()
                        .satisfies(
                                d -> {
                                    assertThat(d.capacityBytes()).isEqualTo(1024L * 1024L);
                                    assertThat(d.fileName())
                                            .contains("[LocalDS_0] " + l.name() + "/disk1.vmdk");
                                    assertThat(d.slot()).isEqualTo("ParaVirtualSCSIController0:0");
                                });
                assertThat(vm.nics())
                        .singleElement()
                        .satisfies(
                                n -> {
                                    assertThat(n.macAddress())
                                            .hasValueSatisfying(
                                                    m ->
                                                            assertThat(m)
                                                                    .matches(
                                                                            "([0-9a-f]{2}:){5}[0-9a-f]{2}"));
                                    assertThat(n.network()).contains("DC0_DVPG0");
                                    assertThat(n.adapterType()).isEqualTo("VirtualE1000");
                                });
                assertThat(vm.cdromKeys()).hasSize(1);
                assertThat(vim.datacenterName(l.ref())).contains("DC0");
            }
        }
    }

    @Test
    void aCallAfterLogoutFailsWithNotAuthenticated() {
        try (VimClient vim = sim.clientBuilder().build()) {
            vim.login();
            vim.logout();
            assertThat(vim.isLoggedIn()).isFalse();
            assertThatThrownBy(vim::listVirtualMachines)
                    .isInstanceOf(NotAuthenticatedException.class)
                    .hasMessageContaining("NotAuthenticated")
                    .hasMessageContaining("log in again");
            vim.login();
            assertThat(vim.listVirtualMachines()).hasSize(4);
        }
    }

    @Test
    void tlsVerificationIsOnByDefaultAndTheErrorNamesTheWaysOut() {
        try (VimClient vim =
                VimClient.builder().url(sim.sdk).username("user").password("pass").build()) {
            assertThatThrownBy(vim::login)
                    .isInstanceOf(VsphereException.class)
                    .hasMessageContaining(
                            "TLS verification of 127.0.0.1:" + sim.sdk.getPort() + " failed")
                    .hasMessageContaining("GOVC_TLS_CA_CERTS")
                    .hasMessageContaining("GOVC_INSECURE");
        }
    }

    @Test
    void aPinnedThumbprintIsAcceptedAndAWrongOneRefused() {
        try (VimClient vim =
                VimClient.builder()
                        .url(sim.sdk)
                        .username("user")
                        .password("pass")
                        .tls(VsphereTls.pinThumbprint(sim.thumbprint))
                        .build()) {
            assertThat(vim.login().userName()).isEqualTo("user");
        }
        String wrong = "00:" + sim.thumbprint.substring(3);
        try (VimClient vim =
                VimClient.builder()
                        .url(sim.sdk)
                        .username("user")
                        .password("pass")
                        .tls(VsphereTls.pinThumbprint(wrong))
                        .build()) {
            assertThatThrownBy(vim::login)
                    .isInstanceOf(VsphereException.class)
                    .hasMessageContaining("TLS verification");
        }
    }

    @Test
    void insecureModeMustBeAskedForAndThenConnects() {
        try (VimClient vim =
                VimClient.builder()
                        .url(sim.sdk)
                        .username("user")
                        .password("pass")
                        .tls(VsphereTls.insecure())
                        .build()) {
            assertThat(vim.login().userName()).isEqualTo("user");
        }
    }

    @Test
    void toStringNeverShowsThePassword() {
        VimClient.Builder b = sim.clientBuilder().password("s3cret-Pa55");
        try (VimClient vim = b.build()) {
            assertThat(vim.toString()).doesNotContain("s3cret-Pa55");
            assertThat(b.toString()).doesNotContain("s3cret-Pa55").contains("****");
        }
    }
}
