package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --converter qemu-img} on an uncompressed OVA converts the disk straight from the archive;
 * the copy is written only when something needs it (hyper2kvm, {@code --keep-export-files}).
 */
class ZeroCopyConversionTest {
    @TempDir Path tmp;

    private Cli.Result qemuImg(Path ova, Path out, String... extra) {
        List<String> args =
                new java.util.ArrayList<>(
                        List.of(
                                "--provider",
                                "local",
                                "--vm",
                                ova.toString(),
                                "--output",
                                out.toString(),
                                "--pipeline",
                                "--converter",
                                "qemu-img"));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int compare(Path a, Path b) throws Exception {
        Process p =
                new ProcessBuilder("qemu-img", "compare", "-q", a.toString(), b.toString())
                        .redirectErrorStream(true)
                        .start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    @Test
    void theDiskIsConvertedFromTheOvaWithoutACopyAndMatchesTheCopyPathsImage() throws Exception {
        Path zero = tmp.resolve("zero");
        Path kept = tmp.resolve("kept");

        qemuImg(Cli.SAMPLE, zero).succeeds();
        qemuImg(Cli.SAMPLE, kept, "--keep-export-files").succeeds();

        assertThat(names(zero))
                .containsExactly(
                        "artifact-manifest.json",
                        "sample-appliance-disk-0.qcow2",
                        "sample-appliance.mf",
                        "sample-appliance.ovf");
        assertThat(names(kept)).contains("sample-appliance-disk1.vmdk");
        assertThat(
                        compare(
                                zero.resolve("sample-appliance-disk-0.qcow2"),
                                kept.resolve("sample-appliance-disk-0.qcow2")))
                .isZero();
        assertThat(Files.readString(zero.resolve("artifact-manifest.json")))
                .contains("disk-0 source: ova member, not copied")
                .contains("\"disk_source\": \"ova-member-not-copied\"");
        assertThat(Files.readString(kept.resolve("artifact-manifest.json")))
                .doesNotContain("not copied");
    }

    @Test
    void hyper2kvmDirectModeStillGetsTheCopy() throws Exception {
        Path h2k = Cli.standin(Files.createDirectories(tmp.resolve("bin")), Map.of());
        Path out = tmp.resolve("out");

        Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        out.toString(),
                        "--pipeline",
                        "--hyper2kvm-path",
                        h2k.toString())
                .succeeds();

        assertThat(names(out)).contains("sample-appliance-disk1.vmdk");
    }

    @Test
    void aCorruptedByteInsideTheDiskMemberFailsWithTheDigestErrorAndLeavesNoImage()
            throws Exception {
        byte[] ova = Files.readAllBytes(Cli.SAMPLE);
        int vmdk = new String(ova, StandardCharsets.ISO_8859_1).indexOf("KDMV");
        assertThat(vmdk).isPositive();
        // the sparse header's padding (bytes 77-511): qemu-img ignores it, only the digest sees it
        ova[vmdk + 400] ^= 0x01;
        Path bad = tmp.resolve("bad.ova");
        Files.write(bad, ova);
        Path out = tmp.resolve("out");

        Cli.Result r = qemuImg(bad, out);

        r.failsWith(
                ExitCodes.CONVERSION_FAILED,
                "bad.ova!sample-appliance-disk1.vmdk does not match its SHA-256 in"
                        + " bad.ova!sample-appliance.mf");
        assertThat(names(out)).noneMatch(n -> n.endsWith(".qcow2") || n.endsWith(".part"));
        assertThat(names(out)).noneMatch(n -> n.endsWith(".vmdk"));
        assertThat(bad).exists();
    }
}
