package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.Cancellation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: hyperexport as an attacker or a careless operator would run it (defects 2, 4, 5 and 8).
 */
class HostileInputTest {
    private static final Map<String, String> SECRETS =
            Map.of(
                    "GOVC_PASSWORD", "govc-pw-7f3a",
                    "AWS_SECRET_ACCESS_KEY", "aws-secret-9c1d",
                    "AWS_SESSION_TOKEN", "aws-token-2b8e",
                    "AZURE_CLIENT_SECRET", "azure-secret-5e6f",
                    "HYPERV_PASSWORD", "hyperv-pw-0a4c",
                    "GOVC_URL", "https://adm:url-pw-3d9b@127.0.0.1:1/sdk",
                    "SOME_TOOL_TOKEN", "tool-token-8f2c");

    @TempDir Path tmp;

    private static Path script(Path dir, String name, String body) throws IOException {
        Path s = dir.resolve(name);
        Files.writeString(s, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwxr-xr-x"));
        return s;
    }

    // ---- defect 2: no secret reaches a child process ----------------------------------------

    @Test
    void noChildProcessSeesASecretFromTheEnvironment() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path dumps = Files.createDirectories(tmp.resolve("dumps"));
        // every program hyperexport starts prints its environment into dumps/, then does its job
        script(
                bin,
                "systemctl",
                "env > '" + dumps + "'/systemctl.$$\nexec /usr/bin/systemctl \"$@\"\n");
        script(
                bin,
                "qemu-img",
                "env > '" + dumps + "'/qemu-img.$$\nexec /usr/bin/qemu-img \"$@\"\n");
        Path h2k =
                script(
                        bin,
                        "hyper2kvm",
                        "env > '" + dumps + "'/hyper2kvm.$$\nexec '" + Cli.STANDIN + "' \"$@\"\n");
        Map<String, String> env = new HashMap<>(SECRETS);
        env.put("PATH", bin + ":/usr/sbin:/usr/bin:/sbin:/bin");
        env.put("LIBGUESTFS_BACKEND", "direct");

        Cli.Result r =
                Cli.process(
                        tmp,
                        env,
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        tmp.resolve("out").toString(),
                        "--pipeline",
                        "--hyper2kvm-daemon",
                        "--hyper2kvm-path",
                        h2k.toString());

        r.succeeds();
        List<String> programs = new ArrayList<>();
        try (Stream<Path> s = Files.list(dumps)) {
            for (Path dump : s.toList()) {
                String name = dump.getFileName().toString();
                programs.add(name.substring(0, name.indexOf('.')));
                String text = Files.readString(dump);
                for (Map.Entry<String, String> secret : SECRETS.entrySet()) {
                    assertThat(text)
                            .as("%s sees %s", name, secret.getKey())
                            .doesNotContain(secret.getValue());
                }
                assertThat(text)
                        .as("%s keeps what hyper2kvm needs", name)
                        .contains("PATH=" + bin, "LIBGUESTFS_BACKEND=direct");
            }
        }
        assertThat(programs)
                .as("every path that starts a process ran")
                .contains("systemctl", "qemu-img", "hyper2kvm");
    }

    // ---- defect 4: credentials in a URL option -------------------------------------------------

    @Test
    void aUrlOptionWithAPasswordIsRefusedWithoutEchoingIt() {
        Cli.Result r =
                Cli.run(
                        Map.of("GOVC_USERNAME", "", "GOVC_PASSWORD", ""),
                        Cancellation.create(),
                        "--provider",
                        "vsphere",
                        "--vm",
                        "web-01",
                        "--output",
                        tmp.resolve("out").toString(),
                        "--provider-option",
                        "url=https://adm:Opt-Secret-42@127.0.0.1:1/sdk");
        r.rejects(2, "--provider-option url", "GOVC_USERNAME", "GOVC_PASSWORD");
        assertThat(r.err()).doesNotContain("Opt-Secret-42");
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void credentialsInGovcUrlAreUsedButNeverPrinted() {
        Cli.Result r =
                Cli.run(
                        Map.of(
                                "GOVC_URL",
                                "https://adm:Env-Secret-43@127.0.0.1:1/sdk",
                                "GOVC_USERNAME",
                                "",
                                "GOVC_PASSWORD",
                                ""),
                        Cancellation.create(),
                        "--provider",
                        "vsphere",
                        "--vm",
                        "web-01",
                        "--output",
                        tmp.resolve("out").toString(),
                        "--json");
        assertThat(r.code()).as(r.err()).isNotZero();
        assertThat(r.out() + r.err()).doesNotContain("Env-Secret-43").doesNotContain("adm:");
    }

    // ---- defect 5: long names ------------------------------------------------------------------

    /** An OVF package (from the sample appliance) whose VM is called {@code vmName}. */
    private Path sampleNamed(String vmName) throws Exception {
        Path pkg = Files.createDirectories(tmp.resolve("pkg"));
        Process p =
                new ProcessBuilder("tar", "-xf", Cli.SAMPLE.toString(), "-C", pkg.toString())
                        .inheritIO()
                        .start();
        assertThat(p.waitFor()).isZero();
        Files.delete(pkg.resolve("sample-appliance.mf"));
        Path ovf = pkg.resolve("sample-appliance.ovf");
        Files.writeString(
                ovf,
                Files.readString(ovf)
                        .replace("<Name>sample-appliance</Name>", "<Name>" + vmName + "</Name>"));
        return ovf;
    }

    @Test
    void aVmNameThatFillsTheNameLimitStillExportsIntoItsDefaultDirectoryAndAsOva()
            throws Exception {
        String name = "a".repeat(252);
        Path ovf = sampleNamed(name);
        Path work = Files.createDirectories(tmp.resolve("work"));

        Cli.Result r =
                Cli.process(
                        work,
                        Map.of(),
                        "--provider",
                        "local",
                        "--vm",
                        ovf.toString(),
                        "--format",
                        "ova");

        r.succeeds();
        List<Path> files = Cli.filesUnder(work);
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            for (Path component : work.relativize(f)) {
                assertThat(component.toString().getBytes(StandardCharsets.UTF_8).length)
                        .as("%s", component)
                        .isLessThanOrEqualTo(255);
            }
        }
        assertThat(files).anyMatch(f -> f.getFileName().toString().endsWith(".ova"));
    }

    @Test
    void aFileSystemRefusalOfALongNameNamesTheRealCause() throws Exception {
        Path out = tmp.resolve("o".repeat(300));
        Cli.Result r =
                Cli.run(
                        "--provider",
                        "local",
                        "--vm",
                        Cli.SAMPLE.toString(),
                        "--output",
                        out.toString());
        assertThat(r.code()).as(r.err()).isNotZero();
        assertThat(r.err())
                .contains("name too long")
                .doesNotContain("writable")
                .doesNotContain("free space");
    }

    // ---- defect 8: SIGTERM ---------------------------------------------------------------------

    @Test
    void sigtermCancelsLikeCtrlCSaysWhatWasKeptAndExits143() throws Exception {
        Path out = tmp.resolve("out");
        ProcessBuilder pb =
                new ProcessBuilder(
                                Cli.javaCommand(
                                        "--provider",
                                        "recording",
                                        "--vm",
                                        "alpha",
                                        "--output",
                                        out.toString(),
                                        "--provider-option",
                                        "slow=true"))
                        .redirectErrorStream(true);
        Path log = tmp.resolve("log.txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.exists(out.resolve("alpha-disk0.raw.part")));
            assertThat(
                            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid()))
                                    .start()
                                    .waitFor())
                    .isZero();
            assertThat(p.waitFor(30, TimeUnit.SECONDS))
                    .as("hyperexport ended after SIGTERM")
                    .isTrue();
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isEqualTo(143);
        assertThat(text).contains("SIGTERM").contains("cancelling");
        assertThat(text.lines().filter(l -> l.contains("kept")).toList())
                .as(text)
                .singleElement()
                .asString()
                .contains("alpha-disk0.raw.part");
    }

    @Test
    void theCancelMessageIsTrueForTheLocalProviderWhichKeepsNoPartialFile() throws Exception {
        Path pkg = Files.createDirectories(tmp.resolve("big"));
        Process tar =
                new ProcessBuilder("tar", "-xf", Cli.SAMPLE.toString(), "-C", pkg.toString())
                        .inheritIO()
                        .start();
        assertThat(tar.waitFor()).isZero();
        Files.delete(pkg.resolve("sample-appliance.mf"));
        // a 4 GiB sparse disk: long enough to copy that the cancel lands mid-file
        Path ovf = pkg.resolve("sample-appliance.ovf");
        Files.writeString(
                ovf,
                Files.readString(ovf)
                        .replace("sample-appliance-disk1.vmdk\"", "big.img\"")
                        .replaceAll("ovf:size=\"\\d+\"", "")
                        .replaceAll("ovf:format=\"[^\"]*\"", "")
                        .replaceAll("ovf:capacity=\"\\d+\"", "ovf:capacity=\"4294967296\"")
                        .replaceAll("ovf:capacityAllocationUnits=\"[^\"]*\"", ""));
        try (var f = new java.io.RandomAccessFile(pkg.resolve("big.img").toFile(), "rw")) {
            f.setLength(4L << 30);
        }
        Path out = tmp.resolve("out");
        Cancellation c = Cancellation.create();
        Thread canceller =
                new Thread(
                        () -> {
                            Awaitility.await()
                                    .atMost(Duration.ofSeconds(60))
                                    .pollInterval(Duration.ofMillis(20))
                                    .until(() -> Files.exists(out.resolve(".big.img.part")));
                            c.cancel();
                        });
        canceller.start();
        Cli.Result r =
                Cli.run(
                        Map.of(),
                        c,
                        "--provider",
                        "local",
                        "--vm",
                        ovf.toString(),
                        "--output",
                        out.toString());
        canceller.join();
        assertThat(r.code()).as(r.err()).isEqualTo(130);
        assertThat(Cli.filesUnder(out)).as("the local provider removes what it wrote").isEmpty();
        assertThat(r.err())
                .contains("no partial files were kept")
                .doesNotContain("kept for resume");
    }
}
