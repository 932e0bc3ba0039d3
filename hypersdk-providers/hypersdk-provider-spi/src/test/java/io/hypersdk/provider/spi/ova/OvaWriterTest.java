package io.hypersdk.provider.spi.ova;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OvaWriterTest {
    @TempDir Path dir;

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve("src").resolve(name);
        Files.createDirectories(p.getParent());
        return Files.write(p, content);
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Runs tar with TZ=UTC; returns stdout, failing on a non-zero exit or any diagnostic. */
    private static String tar(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("tar"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("TZ", "UTC");
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(err).as("tar %s stderr", argv).isEmpty();
        assertThat(p.exitValue()).as("tar %s exit code", argv).isZero();
        return out;
    }

    /** "name size" per member, in archive order, from {@code tar -tvf}. */
    private static List<String> listing(Path ova) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String line : tar("-tvf", ova.toString()).split("\n")) {
            String[] f = line.trim().split("\\s+", 6);
            assertThat(f[0]).as("mode of %s", line).isEqualTo("-rw-r--r--");
            assertThat(f[1]).as("owner of %s", line).isEqualTo("0/0");
            rows.add(f[5] + " " + f[2]);
        }
        return rows;
    }

    @Test
    void tarReadsTheMembersInOrderDescriptorFirstWithTheirNamesSizesAndBytes() throws Exception {
        byte[] ovf = "<Envelope/>\n".getBytes(StandardCharsets.UTF_8);
        byte[] mf = "SHA256(web-01.ovf)= 00\n".getBytes(StandardCharsets.UTF_8);
        byte[] disk = random(3 * 512 + 17, 1);
        byte[] aligned = random(2 * 512, 2);
        List<Path> members =
                List.of(
                        file("web-01.ovf", ovf),
                        file("web-01.mf", mf),
                        file("web-01-disk-0.vmdk", disk),
                        file("web-01-disk-1.vmdk", aligned),
                        file("empty.iso", new byte[0]));
        Path ova = dir.resolve("out/web-01.ova");
        Files.createDirectories(ova.getParent());

        OvaWriter.write(ova, members, Cancellation.none());

        assertThat(listing(ova))
                .containsExactly(
                        "web-01.ovf " + ovf.length,
                        "web-01.mf " + mf.length,
                        "web-01-disk-0.vmdk " + disk.length,
                        "web-01-disk-1.vmdk " + aligned.length,
                        "empty.iso 0");
        Path x = Files.createDirectories(dir.resolve("x"));
        tar("-xf", ova.toString(), "-C", x.toString());
        for (Path m : members) {
            assertThat(x.resolve(m.getFileName()))
                    .as("extracted %s", m.getFileName())
                    .hasSameBinaryContentAs(m);
        }
        long size = Files.size(ova);
        assertThat(size % 512).as("archive length in blocks").isZero();
        byte[] all = Files.readAllBytes(ova);
        assertThat(Arrays.copyOfRange(all, all.length - 1024, all.length))
                .as("two zero blocks end the archive")
                .containsOnly(0);
        try (Stream<Path> s = Files.list(ova.getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("web-01.ova");
        }
    }

    @Test
    void aNameLongerThanTheUstarFieldIsStoredWholeWithAGnuLongNameEntry() throws Exception {
        String longName = "a-vm-with-a-very-long-name-".repeat(5) + "disk-0.vmdk";
        assertThat(longName.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(100);
        byte[] disk = random(700, 3);
        List<Path> members =
                List.of(
                        file("vm.ovf", "<Envelope/>".getBytes(StandardCharsets.UTF_8)),
                        file(longName, disk));
        Path ova = dir.resolve("vm.ova");

        OvaWriter.write(ova, members, Cancellation.none());

        assertThat(listing(ova)).containsExactly("vm.ovf 11", longName + " 700");
        Path x = Files.createDirectories(dir.resolve("x"));
        tar("-xf", ova.toString(), "-C", x.toString());
        assertThat(x.resolve(longName)).hasBinaryContent(disk);
    }

    @Test
    void eachMemberKeepsItsModificationTime() throws Exception {
        Path ovf = file("vm.ovf", "<Envelope/>".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(ovf, FileTime.from(Instant.parse("2024-03-01T10:20:30Z")));
        Path ova = dir.resolve("vm.ova");

        OvaWriter.write(ova, List.of(ovf), Cancellation.none());

        assertThat(tar("--full-time", "-tvf", ova.toString()))
                .contains(" 2024-03-01 10:20:30 vm.ovf");
    }

    @Test
    void aCancelledPackLeavesNeitherArchiveNorPartFileAndKeepsTheOldArchive() throws Exception {
        Path ovf = file("vm.ovf", "<Envelope/>".getBytes(StandardCharsets.UTF_8));
        Path disk = file("vm-disk-0.vmdk", random(4096, 4));
        Path ova = Files.writeString(dir.resolve("vm.ova"), "previous export");
        Cancellation cancellation = Cancellation.create();
        cancellation.cancel();

        assertThatThrownBy(() -> OvaWriter.write(ova, List.of(ovf, disk), cancellation))
                .isInstanceOf(CancelledException.class);

        assertThat(ova).hasContent("previous export");
        assertThat(dir.resolve(".vm.ova.part")).doesNotExist();
    }

    @Test
    void aMissingMemberFailsNamingItAndLeavesNoPartFile() throws Exception {
        Path ovf = file("vm.ovf", "<Envelope/>".getBytes(StandardCharsets.UTF_8));
        Path missing = dir.resolve("src/vm-disk-0.vmdk");
        Path ova = dir.resolve("vm.ova");

        assertThatThrownBy(() -> OvaWriter.write(ova, List.of(ovf, missing), Cancellation.none()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("vm-disk-0.vmdk");

        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("src");
        }
    }

    @Test
    void sizesFromEightGibOnAreWrittenBase256AndSmallerOnesInOctal() {
        long big = 9L << 30;
        byte[] h = OvaWriter.header("disk.vmdk", big, 0, '0');
        assertThat(h[124] & 0xff).isEqualTo(0x80);
        long decoded = 0;
        for (int i = 128; i < 136; i++) {
            decoded = (decoded << 8) | (h[i] & 0xff);
        }
        assertThat(decoded).isEqualTo(big);
        assertThat(checksumOk(h)).isTrue();

        byte[] max = OvaWriter.header("disk.vmdk", 077777777777L, 0, '0');
        assertThat(new String(max, 124, 12, StandardCharsets.US_ASCII)).isEqualTo("77777777777\0");
        assertThat(new String(max, 257, 8, StandardCharsets.US_ASCII)).isEqualTo("ustar\u000000");
        assertThat(checksumOk(max)).isTrue();
    }

    private static boolean checksumOk(byte[] h) {
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : h[i] & 0xff;
        }
        return Long.parseLong(new String(h, 148, 6, StandardCharsets.US_ASCII), 8) == sum;
    }
}
