package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 14, defect 9: the small messages say what is true and what to do. */
class SmallMessagesTest {
    @TempDir Path tmp;

    /** The sample OVA unpacked into an OVF directory. */
    private Path unpackedSample() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(tmp.resolve("ovf"));
        Process p =
                new ProcessBuilder("tar", "xf", Cli.SAMPLE.toString())
                        .directory(dir.toFile())
                        .inheritIO()
                        .start();
        assertThat(p.waitFor()).isZero();
        return dir;
    }

    @Test
    void aUsageErrorWithJsonPrintsAJsonErrorDocumentOnStdout() {
        Cli.Result r =
                Cli.run("--provider", "recording", "--vm", "alpha", "--json", "--parallel", "99");
        assertThat(r.code()).isEqualTo(2);
        JsonNode doc = r.json();
        assertThat(doc.get("exit_code").asInt()).isEqualTo(2);
        assertThat(doc.get("status").asText()).isEqualTo("usage_error");
        assertThat(doc.get("error").asText()).contains("--parallel 99");
        assertThat(r.err()).contains("--parallel 99");
    }

    @Test
    void aTypoInTheOptionsFileGetsADidYouMeanAndTheFileName() throws IOException {
        Path yaml =
                Files.writeString(
                        tmp.resolve("opts.yaml"), "pipeline: true\nhyper2kvm-pol-interval: 10\n");
        Cli.run("--options-file", yaml.toString(), "--provider", "recording", "--vm", "alpha")
                .rejects(
                        2,
                        yaml.toString(),
                        "unknown option 'hyper2kvm-pol-interval'",
                        "did you mean 'hyper2kvm-poll-interval'");
    }

    @Test
    void thePasswordRefusalSpeaksOfTheEnvironmentVariableNotAJavaMethod() {
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "recording",
                        "--vm",
                        "alpha",
                        "--output",
                        tmp.resolve("o").toString(),
                        "--provider-option",
                        "password=hunter2");
        r.rejects(2, "--provider-option password", "environment", "GOVC_PASSWORD");
        assertThat(r.err())
                .doesNotContain("secret(")
                .doesNotContain("Secret)")
                .doesNotContain("hunter2");
    }

    @Test
    void aDiskThatIsAFifoIsCalledThat() throws Exception {
        Path dir = unpackedSample();
        Path disk = dir.resolve("sample-appliance-disk1.vmdk");
        Files.delete(disk);
        assertThat(new ProcessBuilder("mkfifo", disk.toString()).inheritIO().start().waitFor())
                .isZero();
        Path out = tmp.resolve("out");
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        dir.resolve("sample-appliance.ovf").toString(),
                        "--output",
                        out.toString());
        r.failsWith(3, disk.toString(), "is a FIFO (named pipe)");
        assertThat(r.err()).doesNotContain("does not exist");
        assertThat(out).doesNotExist();
    }

    @Test
    void aFailedExportRemovesTheOutputDirectoryItCreatedWhenEmpty() throws Exception {
        Path dir = unpackedSample();
        Path mf = dir.resolve("sample-appliance.mf");
        Files.writeString(mf, Files.readString(mf).replace("14afa77bb29f", "000000000000"));
        Path out = tmp.resolve("out");
        Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        dir.resolve("sample-appliance.ovf").toString(),
                        "--output",
                        out.toString())
                .failsWith(3, "sample-appliance-disk1.vmdk");
        assertThat(out).as("the empty output directory this run created").doesNotExist();
    }

    @Test
    void aFailedExportKeepsAnOutputDirectoryThatExistedBefore() throws Exception {
        Path dir = unpackedSample();
        Path mf = dir.resolve("sample-appliance.mf");
        Files.writeString(mf, Files.readString(mf).replace("14afa77bb29f", "000000000000"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        dir.resolve("sample-appliance.ovf").toString(),
                        "--output",
                        out.toString())
                .failsWith(3, "sample-appliance-disk1.vmdk");
        assertThat(out).isDirectory();
    }
}
