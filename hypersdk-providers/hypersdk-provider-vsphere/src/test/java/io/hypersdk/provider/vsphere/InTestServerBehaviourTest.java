package io.hypersdk.provider.vsphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.TransferException;
import io.hypersdk.provider.vsphere.inventory.VmListing;
import io.hypersdk.provider.vsphere.nfc.VsphereExporter;
import io.hypersdk.provider.vsphere.soap.InvalidLoginException;
import io.hypersdk.provider.vsphere.soap.NotAuthenticatedException;
import io.hypersdk.provider.vsphere.soap.TlsContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviours the simulator cannot show (it ignores maxObjects, never expires sessions or leases),
 * against {@link FakeVimServer}.
 */
class InTestServerBehaviourTest {
    @TempDir Path dir;
    FakeVimServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private VsphereSession session(VsphereExporter.Tuning tuning) {
        VimClient vim = server.clientBuilder().build();
        vim.login();
        return new VsphereSession(vim, tuning);
    }

    private static VsphereExporter.Tuning tuning(boolean keepAlive) {
        return new VsphereExporter.Tuning(
                Duration.ofSeconds(10),
                Optional.empty(),
                keepAlive,
                b -> b.maxAttempts(2).backoff(Duration.ofMillis(50), Duration.ofMillis(100)),
                java.time.Clock.systemUTC());
    }

    @Test
    void propertyPagesAreFollowedWithContinueRetrievePropertiesEx() throws Exception {
        server = new FakeVimServer(6);
        try (VimClient vim = server.clientBuilder().pageSize(3).build()) {
            vim.login();
            List<VmListing> vms = vim.listVirtualMachines();
            assertThat(vms).hasSize(7);
            assertThat(vms.get(0).name()).isEqualTo("web-01");
            assertThat(vms.get(0).path()).contains("/Lab DC/vm/web-01");
            assertThat(vms).extracting(v -> v.ref().value()).doesNotHaveDuplicates();
            assertThat(server.maxObjectsSeen).contains("3");
            assertThat(server.continueCalls.get()).isEqualTo(2);
        }
    }

    @Test
    void anExpiredSessionIsRenewedOnceAndTheCallRetried() throws Exception {
        server = new FakeVimServer(0);
        try (VimClient vim = server.clientBuilder().build()) {
            vim.login();
            server.expireSessions();
            assertThat(vim.listVirtualMachines())
                    .extracting(VmListing::name)
                    .containsExactly("web-01");
            assertThat(server.logins.get()).isEqualTo(2);
            vim.logout();
            assertThatThrownBy(vim::listVirtualMachines)
                    .isInstanceOf(NotAuthenticatedException.class)
                    .hasMessageContaining("log in again");
            assertThat(server.logins.get())
                    .as("no silent re-login after an explicit logout")
                    .isEqualTo(2);
        }
    }

    @Test
    void badCredentialsAreNotRetried() throws Exception {
        server = new FakeVimServer(0);
        try (VimClient vim = server.clientBuilder().password("wrong").build()) {
            assertThatThrownBy(vim::login)
                    .isInstanceOf(InvalidLoginException.class)
                    .hasMessageContaining("incorrect user name or password");
            assertThat(server.methods.stream().filter("Login"::equals)).hasSize(1);
        }
    }

    @Test
    void exportWritesTheManifestWithBootDiskFirstUefiAndNics() throws Exception {
        server = new FakeVimServer(0);
        byte[] d0 = bytes(200_000, 1);
        byte[] d1 = bytes(300_000, 2);
        server.files.put("disk-0.vmdk", d0); // unit 0 (data)
        server.files.put("disk-1.vmdk", d1); // unit 1, named first by the boot order
        Path out = dir.resolve("out");
        JobId job = JobId.generate();
        try (VsphereSession s = session(tuning(true))) {
            ExportResult r =
                    s.export(
                            ExportRequest.builder("Lab DC/vm/web-01", out).jobId(job).build(),
                            e -> {},
                            Cancellation.create());
            ArtifactManifest m = r.manifest();
            assertThat(m.disks()).hasSize(2);
            assertThat(m.disks().get(0).diskType()).isEqualTo(DiskType.BOOT);
            assertThat(m.disks().get(0).label()).contains("Hard disk 2");
            assertThat(Files.readAllBytes(m.disks().get(0).localPath())).isEqualTo(d1);
            assertThat(m.disks().get(1).label()).contains("Hard disk 1");
            assertThat(Files.readAllBytes(m.disks().get(1).localPath())).isEqualTo(d0);
            assertThat(m.vm().orElseThrow().firmware()).isEqualTo(Firmware.UEFI);
            assertThat(m.vm().orElseThrow().secureboot()).isTrue();
            assertThat(m.vm().orElseThrow().memGb()).isEqualTo(4);
            assertThat(m.disks())
                    .allSatisfy(d -> assertThat(d.checksum()).isEmpty()); // not asked for
            assertThat(m.vm().orElseThrow().osHint()).contains("linux");
            assertThat(m.source().orElseThrow().datacenter()).contains("Lab DC");
            assertThat(m.metadata().orElseThrow().jobId()).contains(job.toString());
            assertThat(m.nics())
                    .singleElement()
                    .satisfies(
                            n -> {
                                assertThat(n.mac()).contains("00:50:56:aa:bb:cc");
                                assertThat(n.network()).contains("VM Network");
                            });
            ManifestValidator.requireValid(
                    ManifestCodec.read(r.manifestPath()), ValidationOptions.withChecksums());
            assertThat(Files.readString(r.manifestPath())).doesNotContain("secret");
            assertThat(server.completes.get()).isEqualTo(1);
            assertThat(server.aborts).isEmpty();
        }
    }

    @Test
    void aTransferLongerThanTheLeaseTimeoutSurvivesBecauseOfTheKeepAlive() throws Exception {
        server = new FakeVimServer(0);
        server.leaseTimeoutMillis = 1_500;
        server.bytesPerSecond = 300_000;
        byte[] d0 = bytes(1_200_000, 3); // ~4 s at 300 kB/s, more than twice the lease timeout
        server.files.put("disk-0.vmdk", d0);
        Path out = dir.resolve("out");
        try (VsphereSession s = session(tuning(true))) {
            long t0 = System.nanoTime();
            ExportResult r =
                    s.export(
                            ExportRequest.builder("web-01", out).build(),
                            e -> {},
                            Cancellation.create());
            long took = (System.nanoTime() - t0) / 1_000_000;
            assertThat(took).isGreaterThan(2 * server.leaseTimeoutMillis);
            assertThat(Files.readAllBytes(r.manifest().disks().get(0).localPath())).isEqualTo(d0);
            assertThat(s.exporter().lastKeepAliveCalls()).isGreaterThanOrEqualTo(3);
            assertThat(server.progressCalls.get()).isGreaterThanOrEqualTo(3);
            assertThat(server.longestSilenceMillis).isLessThan(server.leaseTimeoutMillis);
            assertThat(server.completes.get()).isEqualTo(1);
            assertThat(server.aborts).isEmpty();
        }
    }

    @Test
    void withoutKeepAliveTheSameTransferLosesItsLease() throws Exception {
        server = new FakeVimServer(0);
        server.leaseTimeoutMillis = 1_500;
        server.bytesPerSecond = 300_000;
        server.files.put("disk-0.vmdk", bytes(1_200_000, 3));
        Path out = dir.resolve("out");
        try (VsphereSession s = session(tuning(false))) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("web-01", out).build(),
                                            e -> {},
                                            Cancellation.create()))
                    .isInstanceOf(TransferException.class)
                    .hasMessageContaining("lease of web-01 failed during the transfer")
                    .hasMessageContaining("Timedout");
            assertThat(server.progressCalls.get()).isZero();
            assertThat(server.aborts).hasSize(1);
            assertThat(out.resolve("artifact-manifest.json")).doesNotExist();
        }
    }

    @Test
    void aLeaseErrorMidTransferAbortsTheLeaseAndSaysWhatHappened() throws Exception {
        server = new FakeVimServer(0);
        server.bytesPerSecond = 2_000_000;
        server.failAfterBytes = 256 * 1024;
        server.files.put("disk-0.vmdk", bytes(1_000_000, 4));
        server.files.put("disk-1.vmdk", bytes(1_000_000, 5));
        Path out = dir.resolve("out");
        try (VsphereSession s = session(tuning(true))) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("web-01", out)
                                                    .parallel(2)
                                                    .build(),
                                            e -> {},
                                            Cancellation.create()))
                    .isInstanceOf(TransferException.class)
                    .hasMessageContaining(
                            "vSphere export lease of web-01 failed during the transfer")
                    .hasMessageContaining("HostCommunication")
                    .hasMessageContaining("the lease was aborted")
                    .hasMessageContaining("run the export again");
            assertThat(server.aborts)
                    .singleElement()
                    .satisfies(
                            reason ->
                                    assertThat(reason)
                                            .contains("lease failed during the transfer"));
            assertThat(server.completes.get()).isZero();
            assertThat(out.resolve("artifact-manifest.json")).doesNotExist();
            assertThat(out.resolve("web-01.ovf")).doesNotExist();
        }
    }

    @Test
    void aDroppedConnectionIsResumedWithinTheSameLease() throws Exception {
        server = new FakeVimServer(0);
        server.dropOnceAfterBytes = 300 * 1024;
        byte[] d0 = bytes(1_000_000, 7);
        server.files.put("disk-0.vmdk", d0);
        try (VsphereSession s = session(tuning(true))) {
            ExportResult r =
                    s.export(
                            ExportRequest.builder("web-01", dir.resolve("out")).build(),
                            e -> {},
                            Cancellation.create());
            assertThat(Files.readAllBytes(r.manifest().disks().get(0).localPath())).isEqualTo(d0);
            assertThat(server.rangeHeaders)
                    .anySatisfy(h -> assertThat(h).matches("bytes=[1-9][0-9]*-"));
            assertThat(server.completes.get()).isEqualTo(1);
            assertThat(server.aborts).isEmpty();
        }
    }

    /**
     * A self-signed key pair made by the JDK's keytool, as an SSLContext, and its SHA-1
     * fingerprint.
     */
    private static Object[] esxCertificate(Path dir) throws Exception {
        Path ks = dir.resolve("esx.p12");
        Process p =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "keytool")
                                        .toString(),
                                "-genkeypair",
                                "-keystore",
                                ks.toString(),
                                "-storetype",
                                "PKCS12",
                                "-storepass",
                                "changeit",
                                "-alias",
                                "esx",
                                "-keyalg",
                                "EC",
                                "-dname",
                                "CN=esx1.example",
                                "-validity",
                                "2")
                        .redirectErrorStream(true)
                        .start();
        String out =
                new String(
                        p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(ks)) {
            store.load(in, "changeit".toCharArray());
        }
        javax.net.ssl.KeyManagerFactory kmf =
                javax.net.ssl.KeyManagerFactory.getInstance(
                        javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        String sha1 =
                TlsContexts.fingerprint(
                        (java.security.cert.X509Certificate) store.getCertificate("esx"), false);
        return new Object[] {ssl, sha1};
    }

    @Test
    void filesOnAnotherHostArePinnedToTheLeaseThumbprintAndGetNoSessionCookie() throws Exception {
        server = new FakeVimServer(0);
        Object[] cert = esxCertificate(dir);
        server.serveNfcOverTls((javax.net.ssl.SSLContext) cert[0]);
        server.leaseThumbprint = (String) cert[1];
        byte[] d0 = bytes(150_000, 8);
        server.files.put("disk-0.vmdk", d0);
        try (VsphereSession s = session(tuning(true))) {
            ExportResult r =
                    s.export(
                            ExportRequest.builder("web-01", dir.resolve("out")).build(),
                            e -> {},
                            Cancellation.create());
            assertThat(Files.readAllBytes(r.manifest().disks().get(0).localPath())).isEqualTo(d0);
            assertThat(server.nfcCookies)
                    .as("the vCenter session cookie never goes to another host")
                    .isEmpty();
        }
        String right = (String) cert[1];
        server.leaseThumbprint =
                (right.charAt(0) == '0' ? "1" : "0") + right.substring(1); // always a different one
        try (VsphereSession s = session(tuning(true))) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("web-01", dir.resolve("out2"))
                                                    .build(),
                                            e -> {},
                                            Cancellation.create()))
                    .isInstanceOf(io.hypersdk.provider.spi.ExportException.class)
                    .hasMessageContaining("does not match the pinned thumbprint");
            assertThat(server.aborts).hasSize(1);
            assertThat(dir.resolve("out2/artifact-manifest.json")).doesNotExist();
        }
    }

    @Test
    void aSizeThatDisagreesWithTheLeaseManifestIsAnIntegrityErrorAndAbortsTheLease()
            throws Exception {
        server = new FakeVimServer(0);
        server.files.put("disk-0.vmdk", bytes(100_000, 9));
        server.manifestSizeDelta = 1L;
        try (VsphereSession s = session(tuning(true))) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("web-01", dir.resolve("out"))
                                                    .build(),
                                            e -> {},
                                            Cancellation.create()))
                    .isInstanceOf(io.hypersdk.provider.spi.IntegrityException.class)
                    .hasMessageContaining(
                            "has 100000 bytes but the vSphere lease manifest says 100001");
            assertThat(server.aborts)
                    .singleElement()
                    .satisfies(r -> assertThat(r).contains("lease manifest"));
            assertThat(dir.resolve("out/artifact-manifest.json")).doesNotExist();
        }
        server.manifestSizeDelta = 0L;
        try (VsphereSession s = session(tuning(true))) {
            s.export(
                    ExportRequest.builder("web-01", dir.resolve("out")).build(),
                    e -> {},
                    Cancellation.create());
            assertThat(server.methods).contains("HttpNfcLeaseGetManifest");
            assertThat(server.completes.get()).isEqualTo(1);
        }
    }

    @Test
    void cancellationSendsHttpNfcLeaseAbort() throws Exception {
        server = new FakeVimServer(0);
        server.bytesPerSecond = 300_000;
        server.files.put("disk-0.vmdk", bytes(1_000_000, 6));
        Cancellation cancel = Cancellation.create();
        try (VsphereSession s = session(tuning(true))) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder("web-01", dir.resolve("out"))
                                                    .build(),
                                            e -> {
                                                if (e
                                                                instanceof
                                                                io.hypersdk.core.progress
                                                                                .TransferProgress
                                                                        t
                                                        && t.bytesDone() > 0) {
                                                    cancel.cancel();
                                                }
                                            },
                                            cancel))
                    .isInstanceOf(io.hypersdk.core.CancelledException.class);
            assertThat(server.aborts)
                    .singleElement()
                    .satisfies(r -> assertThat(r).contains("cancelled"));
            assertThat(server.completes.get()).isZero();
        }
    }
}
