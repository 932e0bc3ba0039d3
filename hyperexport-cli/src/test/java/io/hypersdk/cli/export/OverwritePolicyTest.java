package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.manifest.DiskChecksums;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14, defect 7, one rule: a non-empty output directory that is not a previous export of the
 * same VM is refused (exit 2) unless --overwrite; a previous export of the same VM is used again,
 * and its converted images are replaced only with --overwrite, refused before the export.
 */
class OverwritePolicyTest {
    @TempDir Path tmp;

    private long requestsInto(Path dir) {
        return RecordingProvider.REQUESTS.stream()
                .filter(r -> r.outputDirectory().startsWith(dir))
                .count();
    }

    @Test
    void aDirectoryHoldingSomeoneElsesFilesIsRefusedAndTheFilesAreKept() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path mine = Files.writeString(out.resolve("alpha-disk0.raw"), "my own file");
        Cli.Result r =
                Cli.run("--provider", "recording", "--vm", "alpha", "--output", out.toString());
        r.failsWith(
                2,
                "output directory " + out,
                "is not empty and is not a previous export of alpha",
                "--overwrite");
        assertThat(Files.readString(mine)).isEqualTo("my own file");
        assertThat(requestsInto(out)).isZero();
    }

    @Test
    void overwriteWritesIntoADirectoryHoldingOtherFiles() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("notes.txt"), "x");
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        out.toString(),
                        "--overwrite")
                .succeeds();
        assertThat(out.resolve("alpha-disk0.raw")).isRegularFile();
        assertThat(out.resolve("notes.txt")).hasContent("x");
    }

    @Test
    void aPreviousExportOfTheSameVmIsUsedAgainButNotOneOfAnotherVm() throws IOException {
        Path out = tmp.resolve("out");
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        out.toString(),
                        "--manifest")
                .succeeds();
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        out.toString(),
                        "--manifest")
                .succeeds();
        Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "beta-web",
                        "--output",
                        out.toString(),
                        "--manifest")
                .failsWith(2, "is not a previous export of beta-web");
    }

    @Test
    void aSecondPipelineRunIsRefusedBeforeTheExportUnlessOverwrite() throws IOException {
        Path out = tmp.resolve("out");
        String[] args = {
            "--provider",
            "recording",
            "--vm",
            "alpha",
            "--output",
            out.toString(),
            "--pipeline",
            "--converter",
            "qemu-img"
        };
        Cli.run(args).succeeds();
        Path image = out.resolve("alpha-disk-0.qcow2");
        assertThat(image).isRegularFile();
        long before = requestsInto(out);

        Cli.run(args).failsWith(2, "converted image " + image, "previous run", "--overwrite");
        assertThat(requestsInto(out)).as("nothing downloaded again").isEqualTo(before);

        String[] again = java.util.Arrays.copyOf(args, args.length + 1);
        again[args.length] = "--overwrite";
        Cli.run(again).succeeds();
        assertThat(image).isRegularFile();
    }

    @Test
    void aSecondExportOfTheApplianceKeepsItsUnchangedDiskAndFetchesATamperedOneAgain()
            throws IOException {
        Path out = tmp.resolve("appliance");
        String[] args = appliance(out, "--manifest");
        Cli.run(args).succeeds();
        Path disk = Path.of(diskOf(out));
        String sum = DiskChecksums.sha256(disk);
        Object inode = Files.getAttribute(disk, "unix:ino");
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(disk, old);

        Cli.Result again = Cli.run(args).succeeds();

        assertThat(again.err())
                .contains("kept " + disk.getFileName() + " from the previous export");
        assertThat(Files.getAttribute(disk, "unix:ino")).as("not copied again").isEqualTo(inode);
        assertThat(Files.getLastModifiedTime(disk)).as("not written").isEqualTo(old);

        // one byte changed, same size: the copy is made again and is the package's disk
        try (FileChannel ch =
                FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            long middle = ch.size() / 2;
            ch.read(b, middle);
            b.put(0, (byte) ~b.get(0)).rewind();
            ch.write(b, middle);
        }
        Cli.Result tampered = Cli.run(args).succeeds();

        assertThat(tampered.err()).doesNotContain("kept ");
        assertThat(DiskChecksums.sha256(disk)).isEqualTo(sum);
        assertThat(Files.getLastModifiedTime(disk)).isNotEqualTo(old);
    }

    @Test
    void aSecondConversionWithOverwriteKeepsTheDiskAndReplacesTheImage() throws IOException {
        Path out = tmp.resolve("converted");
        // the export files are kept (zero-copy would leave the disk in the .ova: nothing to keep)
        String[] args =
                appliance(out, "--pipeline", "--converter", "qemu-img", "--keep-export-files");
        Cli.run(args).succeeds();
        Path disk = Path.of(diskOf(out));
        Object inode = Files.getAttribute(disk, "unix:ino");

        Cli.run(args).failsWith(2, "converted image", "--overwrite");
        Cli.Result replaced = Cli.run(concat(args, "--overwrite")).succeeds();

        assertThat(replaced.err()).contains("kept " + disk.getFileName());
        assertThat(Files.getAttribute(disk, "unix:ino")).isEqualTo(inode);
    }

    /** hyperexport of the sample appliance into {@code out}, with {@code more} flags. */
    private static String[] appliance(Path out, String... more) {
        return concat(
                new String[] {
                    "--provider", "local", "--vm", Cli.SAMPLE.toString(), "--output", out.toString()
                },
                more);
    }

    private static String diskOf(Path out) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("artifact-manifest.json").toFile())
                .path("disks")
                .path(0)
                .path("local_path")
                .asText();
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
