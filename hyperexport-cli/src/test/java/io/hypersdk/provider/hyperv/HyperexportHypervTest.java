package io.hypersdk.provider.hyperv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hyperexport --provider hyperv ... --pipeline --converter qemu-img} as a separate JVM
 * against the provider's test Hyper-V host (MINA SSH + SFTP playing PowerShell) and a real smbd:
 * the password only in {@code HYPERV_PASSWORD}, real VHDX disks, the qcow2 compared with the source
 * by {@code qemu-img compare}. In this package only to reach the package-private test host.
 */
class HyperexportHypervTest {
    private static final String PASSWORD = "Hv-e2e-Pa55word";

    @TempDir Path tmp;
    private String user;
    private FakeHypervHost host;
    private Path raw;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        raw = TestImages.raw(images, "web", 16, 11);
        Path vhdx = TestImages.convert(raw, images.resolve("web-boot.vhdx"));
        user = SambaServer.newUserName();
        host =
                new FakeHypervHost(
                        Files.createDirectories(tmp.resolve("host")),
                        user,
                        PASSWORD,
                        FakeHypervHost.newKey());
        host.addVm("web01", 3, 2, List.of(vhdx));
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
    }

    private Run hyperexport(String password, String options, Path out) throws Exception {
        return hyperexport(Map.of("HYPERV_PASSWORD", password), options, out);
    }

    private Run hyperexport(Map<String, String> env, String options, Path out) throws Exception {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "--add-opens=java.base/java.io=ALL-UNNAMED",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "io.hypersdk.cli.export.HyperExport",
                                "--provider",
                                "hyperv",
                                "--provider-option",
                                "host=127.0.0.1,port="
                                        + host.port()
                                        + ",user="
                                        + user
                                        + ",host-key="
                                        + host.fingerprint()
                                        + (options.isEmpty() ? "" : "," + options),
                                "--vm",
                                "web01",
                                "--output",
                                out.toString(),
                                "--pipeline",
                                "--converter",
                                "qemu-img",
                                "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("HYPERV_PASSWORD");
        pb.environment().remove("SSH_AUTH_SOCK");
        pb.environment().putAll(env);
        Path stdout = tmp.resolve("stdout.json");
        Path stderr = tmp.resolve("stderr.txt");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("hyperexport finished").isTrue();
        return new Run(p.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    private void assertConvertedIdentically(Run r, Path out) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(r.out()).at("/results/0");
        assertThat(result.get("status").asText()).isEqualTo("success");
        Path qcow2 = Path.of(result.at("/pipeline/outputs/0").asText());
        assertThat(qcow2).isRegularFile();
        assertThat(TestImages.identical(qcow2, raw))
                .as("qemu-img compare %s %s", qcow2, raw)
                .isTrue();
        String manifest = Files.readString(out.resolve("artifact-manifest.json"));
        assertThat(manifest)
                .contains("\"source_format\": \"vhdx\"")
                .contains("\"provider\": \"hyperv\"");
        Map.of("stdout", r.out(), "stderr", r.err(), "manifest", manifest)
                .forEach((what, text) -> assertThat(text).as(what).doesNotContain(PASSWORD));
    }

    @Test
    void exportsOverSftpAndConvertsWithQemuImg() throws Exception {
        Path out = tmp.resolve("out");
        assertConvertedIdentically(hyperexport(PASSWORD, "", out), out);
    }

    @Test
    void exportsOverSmbAndConvertsWithQemuImg() throws Exception {
        Path shared = Files.createDirectories(host.local("D:\\exports"));
        try (SambaServer smb =
                new SambaServer(
                        Files.createDirectories(tmp.resolve("samba")),
                        user,
                        "exports",
                        shared,
                        PASSWORD)) {
            Path out = tmp.resolve("out");
            Run r =
                    hyperexport(
                            PASSWORD,
                            "transfer=smb,share=exports,share-path=D:\\exports,smb-port="
                                    + smb.port(),
                            out);
            assertConvertedIdentically(r, out);
            assertThat(shared).as("staging removed").isEmptyDirectory();
        }
    }

    @Test
    void aWrongPasswordExitsWith3AndIsNeverShown() throws Exception {
        String wrong = "Wr0ng-e2e-Secret";
        Run r = hyperexport(wrong, "", tmp.resolve("out"));
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.out() + r.err())
                .contains("refused the login")
                .contains("HYPERV_PASSWORD")
                .doesNotContain(wrong);
    }

    @Test
    void anSshAgentWithoutTheRightKeyExitsWith3NamingTheKeysItOffered() throws Exception {
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        Path offered = SshAgentProcess.newKey(keys, "ed25519");
        try (SshAgentProcess agent =
                new SshAgentProcess(Files.createDirectories(tmp.resolve("agent")))) {
            agent.add(offered);
            Run r =
                    hyperexport(
                            Map.of("SSH_AUTH_SOCK", agent.socket().toString()),
                            "",
                            tmp.resolve("out"));
            assertThat(r.code()).as(r.err()).isEqualTo(3);
            assertThat(r.out() + r.err())
                    .contains("refused the login")
                    .contains("SSH_AUTH_SOCK=" + agent.socket())
                    .contains(HostKeyCheck.fingerprint(SshAgentProcess.publicKey(offered)))
                    .contains("ssh-add");
        }
    }
}
