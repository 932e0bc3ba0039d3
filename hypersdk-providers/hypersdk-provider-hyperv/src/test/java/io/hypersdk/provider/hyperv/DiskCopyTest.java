package io.hypersdk.provider.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code method=copy}: a differencing chain (base VHDX, two overlays) merged on the host with
 * Convert-VHD, a plain VHDX read in place, the result compared with the merged source by {@code
 * qemu-img compare}.
 */
class DiskCopyTest {
    private static final String PASSWORD = "copy-Pa55word";

    @TempDir static Path images;
    @TempDir Path tmp;
    private FakeHypervHost host;
    private FakeHypervHost.Vm vm;
    private static Path rawTop;
    private static Path rawBase;
    private static Path rawData;
    private static Path base;
    private static Path mid;
    private static Path top;
    private static Path data;
    private String chainDrive;
    private String dataDrive;

    /** The images once for the class: the host copies them for each test. */
    @BeforeAll
    static void images() throws Exception {
        rawBase = TestImages.raw(images, "base", 16, 7);
        base = TestImages.convert(rawBase, images.resolve("web-base.vhdx"));
        // two generations of changes over the base, each a qcow2 overlay holding only its blocks
        Path rawMid = images.resolve("mid.raw");
        Files.copy(rawBase, rawMid);
        write(rawMid, 1 << 20, "first checkpoint's changes");
        rawTop = images.resolve("top.raw");
        Files.copy(rawMid, rawTop);
        write(rawTop, 9 << 20, "the running VM's latest changes");
        mid = overlay(rawMid, images.resolve("web-mid.qcow2"), base, "vhdx");
        top = overlay(rawTop, images.resolve("web-top.qcow2"), mid, "qcow2");
        rawData = TestImages.raw(images, "data", 8, 8);
        data = TestImages.convert(rawData, images.resolve("web-data.vhdx"));
    }

    @BeforeEach
    void start() throws Exception {
        host = new FakeHypervHost(Files.createDirectories(tmp.resolve("host")), PASSWORD);
        vm = host.addVm("web", 3, 2, List.of(data));
        chainDrive = host.addChain(vm, base, List.of(mid, top));
        dataDrive = vm.disks.get(0);
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
    }

    private static void write(Path raw, long at, String text) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.seek(at);
            f.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** {@code raw} as a qcow2 overlay on {@code backing}: only the blocks that differ. */
    private static Path overlay(Path raw, Path target, Path backing, String backingFormat)
            throws Exception {
        TestImages.run(
                "qemu-img",
                "convert",
                "-f",
                "raw",
                "-O",
                "qcow2",
                raw.toString(),
                target.toString());
        TestImages.run(
                "qemu-img",
                "rebase",
                "-f",
                "qcow2",
                "-b",
                backing.toString(),
                "-F",
                backingFormat,
                target.toString());
        return target;
    }

    private ExportResult export(Path out) throws Exception {
        return export(out, "copy");
    }

    private ExportResult export(Path out, String method) throws Exception {
        ProviderConfig c = host.config().set("method", method).build();
        try (ProviderSession s =
                new HypervExportProvider(Map.of("HYPERV_PASSWORD", PASSWORD), Clock.systemUTC())
                        .connect(c)) {
            return s.export(
                    ExportRequest.builder("web", out).checksums(true).build(),
                    ProgressListener.NONE,
                    Cancellation.create());
        }
    }

    @Test
    void aDifferencingChainIsMergedOnTheHostAndAPlainDiskIsReadInPlace() throws Exception {
        ArtifactManifest m = export(tmp.resolve("out")).manifest();
        assertThat(m.disks()).hasSize(2);
        // the firmware boots the last drive first: the chain
        DiskArtifact merged = m.disks().get(0);
        DiskArtifact data = m.disks().get(1);
        assertThat(TestImages.identical(merged.localPath(), rawTop))
                .as("the merged chain is the top of the chain")
                .isTrue();
        assertThat(TestImages.identical(merged.localPath(), rawBase)).isFalse();
        assertThat(TestImages.identical(data.localPath(), rawData)).isTrue();
        assertThat(merged.bytes()).isEqualTo(Files.size(merged.localPath()));
        assertThat(data.bytes())
                .as("read in place: the host file itself")
                .isEqualTo(Files.size(host.local(dataDrive)));
        assertThat(host.merges())
                .singleElement()
                .satisfies(
                        x -> {
                            assertThat(x.source()).isEqualTo(chainDrive);
                            assertThat(x.destination())
                                    .startsWith("C:\\ProgramData\\hypersdk\\staging\\")
                                    .endsWith("\\web-top.vhdx");
                        });
        assertThat(host.invocations()).noneMatch(i -> i.script().equals(Scripts.EXPORT));
        assertThat(m.source().orElseThrow().exportMethod()).contains("copy-vhd");
        assertThat(m.notes())
                .anyMatch(
                        n -> n.contains("web-top.avhdx -> web-mid.avhdx -> web-base.vhdx merged"));
        assertThat(host.local("C:\\ProgramData\\hypersdk\\staging")).isEmptyDirectory();
    }

    @Test
    void aRunningVmIsCopiedFromACheckpointRemovedOnlyAfterTheTransfer() throws Exception {
        vm.state = 2;
        ArtifactManifest m = export(tmp.resolve("out")).manifest();
        assertThat(TestImages.identical(m.disks().get(0).localPath(), rawTop)).isTrue();
        assertThat(host.removedCheckpoints()).hasSize(1);
        assertThat(host.checkpoints()).isEmpty();
        List<String> scripts = host.invocations().stream().map(i -> i.script()).toList();
        assertThat(scripts.indexOf(Scripts.REMOVE_CHECKPOINT))
                .isGreaterThan(scripts.indexOf(Scripts.MERGE_DISK))
                .isGreaterThan(scripts.indexOf(Scripts.DISK_CHAINS));
        assertThat(
                        new ObjectMapper()
                                .readTree(
                                        host.invocations()
                                                .get(scripts.indexOf(Scripts.DISK_CHAINS))
                                                .stdin())
                                .path("checkpoint")
                                .asText())
                .isEqualTo(host.removedCheckpoints().get(0));
    }

    @Test
    void exportVmOfADifferencingChainIsRefusedWithTheMethodThatMergesIt() {
        assertThatThrownBy(() -> export(tmp.resolve("out"), "export"))
                .isInstanceOf(InvalidSourceException.class)
                .hasMessageContaining(chainDrive)
                .hasMessageContaining("differencing")
                .hasMessageContaining("method=copy");
        assertThat(host.invocations()).noneMatch(i -> i.script().equals(Scripts.EXPORT));
    }
}
