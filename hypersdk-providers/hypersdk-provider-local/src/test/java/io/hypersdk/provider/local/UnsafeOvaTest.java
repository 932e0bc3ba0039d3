package io.hypersdk.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.UnsafeArchiveException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile OVAs are refused before anything is written, and nothing lands outside the output
 * directory.
 */
class UnsafeOvaTest {

    @TempDir Path root;

    private Path work;
    private Path out;
    private final String descriptor =
            OvfFixtures.descriptor(
                    "evil",
                    1,
                    512,
                    null,
                    List.of(
                            new OvfFixtures.Disk(
                                    "disk.vmdk",
                                    1,
                                    "Hard disk 1",
                                    "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized")),
                    List.of());

    @BeforeEach
    void dirs() throws IOException {
        work = Files.createDirectories(root.resolve("work"));
        out = root.resolve("work/out");
    }

    private List<Path> everythingUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    private void assertRefusedAndNothingWritten(UnaryOperator<TestTar> hostile, String messagePart)
            throws IOException {
        Path ova =
                hostile.apply(new TestTar().file("evil.ovf", descriptor))
                        .writeTo(work.resolve("evil.ova"));
        List<Path> before = everythingUnder(root);

        try (ProviderSession s = SampleApplianceExportTest.session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(ova.toString(), out).build(),
                                            e -> {},
                                            Cancellation.none()))
                    .isInstanceOf(UnsafeArchiveException.class)
                    .hasMessageContaining(ova.toString())
                    .hasMessageContaining(messagePart);
            assertThatThrownBy(() -> s.describe(ova.toString()))
                    .isInstanceOf(UnsafeArchiveException.class);
        }

        assertThat(everythingUnder(root)).as("files under the test root").isEqualTo(before);
        assertThat(out).doesNotExist();
    }

    @Test
    void aMemberClimbingOutWithDotDotIsRefused() throws IOException {
        assertRefusedAndNothingWritten(
                t ->
                        t.file("disk.vmdk", "x")
                                .file("../escape-" + UUID.randomUUID() + ".txt", "pwned"),
                "climbs out with '..'");
        assertRefusedAndNothingWritten(
                t -> t.file("disk.vmdk", "x").file("sub/../../escape.txt", "pwned"), "climbs out");
    }

    @Test
    void aMemberWithAnAbsolutePathIsRefused() throws IOException {
        String abs = "/tmp/hypersdk-abs-" + UUID.randomUUID() + ".txt";
        assertRefusedAndNothingWritten(
                t -> t.file("disk.vmdk", "x").file(abs, "pwned"), "has an absolute path");
        assertThat(Path.of(abs)).doesNotExist();
    }

    @Test
    void aSymlinkPointingOutsideIsRefused() throws IOException {
        assertRefusedAndNothingWritten(
                t -> t.file("disk.vmdk", "x").symlink("link", "../../outside"),
                "symlink 'link' points to '../../outside'");
        assertRefusedAndNothingWritten(
                t -> t.symlink("disk.vmdk", "/etc/passwd"), "points to '/etc/passwd'");
    }

    @Test
    void aHardlinkPointingOutsideIsRefused() throws IOException {
        assertRefusedAndNothingWritten(
                t -> t.file("disk.vmdk", "x").hardlink("h", "../../etc/shadow"), "climbs out");
    }

    @Test
    void aDiskThatIsALinkInsideTheArchiveIsRefused() throws IOException {
        assertRefusedAndNothingWritten(
                t -> t.file("real.vmdk", "x").symlink("disk.vmdk", "real.vmdk"),
                "is a symlink, not a regular file");
    }

    @Test
    void aDescriptorWhoseDiskHrefClimbsOutIsRefused() throws IOException {
        String bad =
                OvfFixtures.descriptor(
                        "evil",
                        1,
                        512,
                        null,
                        List.of(new OvfFixtures.Disk("../../disk.vmdk", 1, "Hard disk 1", "vmdk")),
                        List.of());
        Path ova = new TestTar().file("evil.ovf", bad).writeTo(work.resolve("evil2.ova"));
        try (ProviderSession s = SampleApplianceExportTest.session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(ova.toString(), out).build(),
                                            e -> {},
                                            Cancellation.none()))
                    .isInstanceOf(UnsafeArchiveException.class)
                    .hasMessageContaining("'../../disk.vmdk' climbs out");
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void anOvfOnDiskWhoseHrefLeavesItsDirectoryIsRefused() throws IOException {
        Path dir = Files.createDirectories(work.resolve("pkg"));
        Files.writeString(work.resolve("secret.vmdk"), "not yours");
        Files.writeString(
                dir.resolve("vm.ovf"),
                OvfFixtures.descriptor(
                        "vm",
                        1,
                        512,
                        null,
                        List.of(new OvfFixtures.Disk("../secret.vmdk", 1, "d", "vmdk")),
                        List.of()));
        try (ProviderSession s = SampleApplianceExportTest.session()) {
            assertThatThrownBy(
                            () ->
                                    s.export(
                                            ExportRequest.builder(
                                                            dir.resolve("vm.ovf").toString(), out)
                                                    .build(),
                                            e -> {},
                                            Cancellation.none()))
                    .isInstanceOf(UnsafeArchiveException.class)
                    .hasMessageContaining("outside its directory");
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void aFileThatIsNotATarArchiveGetsAClearError() throws IOException {
        Path ova =
                Files.writeString(
                        work.resolve("notes.ova"),
                        "this is a text file, not an archive\n".repeat(40));
        try (ProviderSession s = SampleApplianceExportTest.session()) {
            assertThatThrownBy(() -> s.describe(ova.toString()))
                    .isInstanceOf(InvalidSourceException.class)
                    .hasMessageContaining("is not an OVA: it is not a tar archive");
        }
    }

    @Test
    void aTruncatedOvaGetsAClearError() throws IOException {
        Path good =
                new TestTar()
                        .file("evil.ovf", descriptor)
                        .file("disk.vmdk", new byte[5000])
                        .writeTo(work.resolve("full.ova"));
        byte[] all = Files.readAllBytes(good);
        Path cut =
                Files.write(
                        work.resolve("cut.ova"), java.util.Arrays.copyOf(all, 1024 + 512 + 1000));
        try (ProviderSession s = SampleApplianceExportTest.session()) {
            assertThatThrownBy(() -> s.describe(cut.toString()))
                    .isInstanceOf(InvalidSourceException.class)
                    .hasMessageContaining("is truncated");
        }
    }
}
