package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input: one clear line on stderr naming the input and the fix, exit 2, nothing written. */
class BadInputTest {
    @TempDir Path tmp;

    @Test
    void unknownProviderIsAUsageErrorListingTheAvailableOnes() {
        Cli.run("--provider", "hyperv-nope", "--vm", "x", "--output", tmp.resolve("out").toString())
                .rejects(2, "unknown provider 'hyperv-nope'", "local");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void missingVmSaysWhatToGive() {
        Cli.Result r = Cli.run("--provider", "local", "--output", tmp.resolve("out").toString());
        r.rejects(2, "missing --vm", "--batch FILE", "--interactive");
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void outputUnderARegularFileIsRefusedBeforeAnythingIsExported() throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Path out = file.resolve("export");
        Cli.run("--provider", "local", "--vm", Cli.SAMPLE.toString(), "--output", out.toString())
                .rejects(2, "--output " + out, "not a directory");
        assertThat(Cli.filesUnder(tmp)).containsExactly(file);
    }

    @Test
    void outputThatIsAFileIsRefused() throws IOException {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        Cli.run("--provider", "local", "--vm", Cli.SAMPLE.toString(), "--output", file.toString())
                .rejects(2, "exists and is not a directory");
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void unwritableOutputDirectoryIsRefused() throws Exception {
        Path locked = Files.createDirectory(tmp.resolve("locked"));
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            // root ignores permission bits: a read-only tmpfs is unwritable even for root
            Process m =
                    new ProcessBuilder(
                                    "mount",
                                    "-t",
                                    "tmpfs",
                                    "-o",
                                    "ro,size=64k",
                                    "tmpfs",
                                    locked.toString())
                            .redirectErrorStream(true)
                            .start();
            String why = new String(m.getInputStream().readAllBytes());
            org.junit.jupiter.api.Assumptions.assumeTrue(
                    m.waitFor() == 0, "cannot mount a read-only tmpfs here: " + why);
        } else {
            Files.setPosixFilePermissions(
                    locked, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
        }
        try {
            Cli.run("--provider", "recording", "--vm", "alpha", "--output", locked.toString())
                    .rejects(2, "--output " + locked, "not readable and writable");
            Cli.run(
                            "--provider",
                            "recording",
                            "--vm",
                            "alpha",
                            "--output",
                            locked.resolve("sub").toString())
                    .rejects(2, "cannot be created", "not writable");
            assertThat(Cli.filesUnder(locked)).isEmpty();
        } finally {
            if (root) {
                new ProcessBuilder("umount", locked.toString()).inheritIO().start().waitFor();
            } else {
                Files.setPosixFilePermissions(
                        locked,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            }
        }
        assertThat(RecordingProvider.REQUESTS)
                .noneMatch(r -> r.outputDirectory().startsWith(locked));
    }

    @Test
    void instanceWithAShellMetacharacterIsRefused() {
        Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        tmp.resolve("out").toString(),
                        "--pipeline",
                        "--hyper2kvm-daemon",
                        "--hyper2kvm-instance",
                        "a;b")
                .rejects(2, "--hyper2kvm-instance 'a;b' is not a valid instance name");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--hyper2kvm-poll-interval, 0, 1-60 seconds",
        "--hyper2kvm-poll-interval, 61, 1-60 seconds",
        "--hyper2kvm-daemon-timeout, 0, 1-240 minutes",
        "--hyper2kvm-daemon-timeout, 241, 1-240 minutes",
        "--parallel, 0, 1-16",
        "--parallel, 17, 1-16",
        "--connections-per-file, 0, 1-16",
        "--connections-per-file, 17, 1-16",
    })
    void numbersOutOfRangeShowTheRange(String flag, String value, String range) {
        Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--pipeline",
                        "--hyper2kvm-daemon",
                        flag,
                        value)
                .rejects(2, flag + " " + value + " is out of range: use " + range);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "'--format,qcow2', is not an export format",
        "'--manifest-target,vmdk', is not a target format",
        "'--pipeline,--converter,virt-v2v', is not a converter",
        "'--pipeline,--pipeline-timeout,30', is not a duration",
        "'--pipeline,--hyper2kvm-daemon,--hyper2kvm-queue-layout,spool', is not a queue layout",
        "'--pipeline,--pipeline-compress,--compress-level,10', 1-9",
        "'--pipeline,--libvirt,--libvirt-uri,nonsense', --libvirt-uri",
        "'--libvirt', --libvirt needs --pipeline",
        "'--hyper2kvm-daemon', --hyper2kvm-daemon needs --pipeline",
        "'--pipeline,--hyper2kvm-instance,x', --hyper2kvm-instance needs --hyper2kvm-daemon",
        "'--pipeline,--libvirt-uri,test:///default', --libvirt-uri needs --libvirt",
        "'--pipeline,--compress-level,3', --compress-level needs --pipeline-compress",
        "'--pipeline,--converter,qemu-img,--hyper2kvm-daemon', does nothing with --converter qemu-img",
        "'--nonsense', Unknown option: '--nonsense'",
    })
    void badFlagsAreOneLineUsageErrors(String args, String fragment) {
        java.util.List<String> all =
                new java.util.ArrayList<>(
                        java.util.List.of(
                                "--provider",
                                "local",
                                "--vm",
                                Cli.SAMPLE.toString(),
                                "--output",
                                tmp.resolve("out").toString()));
        all.addAll(java.util.List.of(args.split(",")));
        Cli.run(all.toArray(String[]::new)).rejects(2, fragment);
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void vmAndBatchTogetherAreRefused() throws IOException {
        Path batch = Files.writeString(tmp.resolve("vms.txt"), "a\n");
        Cli.run("--provider", "local", "--vm", "x", "--batch", batch.toString())
                .rejects(2, "--vm and --batch exclude each other");
    }

    @Test
    void batchFileProblemsNameTheFileAndLine() throws IOException {
        Path missing = tmp.resolve("nope.txt");
        Cli.run("--provider", "local", "--batch", missing.toString())
                .rejects(2, "--batch " + missing, "no such file");
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "# only a comment\n\n");
        Cli.run("--provider", "local", "--batch", empty.toString()).rejects(2, "lists no VM");
        Path dup = Files.writeString(tmp.resolve("dup.txt"), "a\nb\na\n");
        Cli.run("--provider", "local", "--batch", dup.toString())
                .rejects(2, "line 3 repeats 'a' from line 1");
    }

    @Test
    void optionsFileWithAnUnknownKeyIsRefused() throws IOException {
        Path yaml =
                Files.writeString(
                        tmp.resolve("opts.yaml"), "pipeline: true\nhyper2kvm-pol-interval: 5\n");
        Cli.run("--options-file", yaml.toString(), "--provider", "local", "--vm", "x")
                .rejects(2, "--options-file " + yaml, "unknown option 'hyper2kvm-pol-interval'");
    }

    @Test
    void optionsFileThatIsNotAMappingIsRefused() throws IOException {
        Path yaml = Files.writeString(tmp.resolve("opts.yaml"), "- pipeline\n- json\n");
        Cli.run("--options-file", yaml.toString(), "--vm", "x").rejects(2, "must be a mapping");
        Path bad = Files.writeString(tmp.resolve("bad.yaml"), "pipeline: [unclosed\n");
        Cli.run("--options-file", bad.toString(), "--vm", "x").rejects(2, "not valid YAML");
    }

    @Test
    void optionsFileValuesAreRangeCheckedLikeFlags() throws IOException {
        Path yaml =
                Files.writeString(
                        tmp.resolve("opts.yaml"),
                        "pipeline: true\nhyper2kvm-daemon: true\nhyper2kvm-poll-interval: 61\n");
        Cli.run("--options-file", yaml.toString(), "--provider", "local", "--vm", "x")
                .rejects(2, "--hyper2kvm-poll-interval 61 is out of range: use 1-60 seconds");
    }

    @Test
    void credentialsAreRefusedOnTheCommandLine() {
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
        r.rejects(2, "--provider-option password", "credential");
        assertThat(r.err()).doesNotContain("hunter2");
    }

    @Test
    void vsphereWithoutItsEnvironmentSaysWhatToSet() {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                System.getenv("GOVC_URL") == null, "GOVC_URL is set in this environment");
        Cli.Result r = Cli.run("--vm", "web-01", "--output", tmp.resolve("o").toString());
        r.failsWith(2, "cannot connect with provider 'vsphere'", "GOVC_URL", "--provider-option");
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("o")).doesNotExist();
    }

    @Test
    void interactiveWithoutATerminalSaysSo() throws Exception {
        Cli.Result r =
                Cli.process(
                        tmp,
                        java.util.Map.of(),
                        "--provider",
                        "recording",
                        "--interactive",
                        "--output",
                        tmp.resolve("o").toString());
        r.rejects(2, "--interactive needs a terminal on standard input");
        assertThat(tmp.resolve("o")).doesNotExist();
    }
}
