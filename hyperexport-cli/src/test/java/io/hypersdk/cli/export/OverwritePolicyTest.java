package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
