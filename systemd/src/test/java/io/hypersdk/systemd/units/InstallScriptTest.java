package io.hypersdk.systemd.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** install.sh against a staging root (--root): nothing outside the root is touched. */
class InstallScriptTest {

    private static final String STAGED_BINARY = "/opt/hyper2kvm/bin/hyper2kvm";
    private static final String GROUP = "hyper2kvm-submit";

    @TempDir Path dir;

    private StagingRoot stage;
    private Path binary;

    @BeforeAll
    static void needsRootAndSystemdTools() {
        assumeTrue(
                "root".equals(System.getProperty("user.name")),
                "install.sh creates root-owned files and groups; run the tests as root (CI does)");
        for (String tool :
                List.of("systemd-sysusers", "systemd-tmpfiles", "systemctl", "setpriv")) {
            assumeTrue(
                    Exec.available(tool),
                    tool + " is not installed (Debian packages systemd, util-linux)");
        }
    }

    @BeforeEach
    void stage() throws IOException {
        stage = new StagingRoot(dir.resolve("root"));
        Files.createDirectories(stage.root());
        binary = stage.stubBinary(STAGED_BINARY);
    }

    @Test
    void installsUnitsConfigGroupAndSpoolIntoTheStagingRoot() throws IOException {
        Exec.Result r = stage.install("--binary", binary);

        assertThat(r.exitCode()).as("%s", r).isZero();
        for (String unit : ShippedFiles.UNITS) {
            assertThat(stage.resolve("/etc/systemd/system/" + unit))
                    .hasSameTextualContentAs(ShippedFiles.file(unit));
        }
        assertThat(stage.resolve("/etc/hyper2kvm/hyper2kvm.conf"))
                .hasSameTextualContentAs(ShippedFiles.file("hyper2kvm.conf.example"));
        assertThat(Files.readSymbolicLink(stage.resolve(ShippedFiles.BINARY)))
                .isEqualTo(Path.of(STAGED_BINARY));
        int gid =
                stage.gid(GROUP)
                        .orElseThrow(
                                () -> new AssertionError("no " + GROUP + " in staged /etc/group"));
        for (String spool : List.of("exports", "queue", "output")) {
            Path d = stage.resolve("/var/lib/hyper2kvm/" + spool);
            assertThat(d).isDirectory();
            assertThat(Integer.toOctalString(StagingRoot.mode(d))).as(spool).isEqualTo("2770");
            assertThat(StagingRoot.uid(d)).as(spool).isZero();
            assertThat(StagingRoot.gid(d)).as(spool).isEqualTo(gid);
        }
        assertThat(
                        Files.readSymbolicLink(
                                stage.resolve(
                                        "/etc/systemd/system/hyper2kvm.target.wants/hyper2kvm.service")))
                .isEqualTo(Path.of("/etc/systemd/system/hyper2kvm.service"));
        assertThat(stage.resolve("/etc/systemd/system/multi-user.target.wants/hyper2kvm.target"))
                .isSymbolicLink();
    }

    @Test
    void aNamedInstanceGetsItsConfigDirectoriesAndAPlaceInTheTarget() throws IOException {
        Exec.Result r =
                stage.install(
                        "--binary", binary, "--instance", "vsphere-prod", "--instance", "lab1");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(stage.resolve("/etc/hyper2kvm/hyper2kvm-vsphere-prod.conf"))
                .hasSameTextualContentAs(ShippedFiles.file("hyper2kvm-vsphere.conf.example"));
        JsonNode lab1 =
                new ObjectMapper(new YAMLFactory())
                        .readTree(stage.resolve("/etc/hyper2kvm/hyper2kvm-lab1.conf").toFile());
        assertThat(lab1.isObject()).as("an instance config must be a YAML mapping").isTrue();
        assertThat(lab1.path("cmd").asText()).isEqualTo("daemon");
        for (String instance : List.of("vsphere-prod", "lab1")) {
            for (String spool : List.of("queue", "output")) {
                Path d = stage.resolve("/var/lib/hyper2kvm/" + instance + "/" + spool);
                assertThat(Integer.toOctalString(StagingRoot.mode(d)))
                        .as(d.toString())
                        .isEqualTo("2770");
            }
            assertThat(
                            Files.readSymbolicLink(
                                    stage.resolve(
                                            "/etc/systemd/system/hyper2kvm.target.wants/hyper2kvm@"
                                                    + instance
                                                    + ".service")))
                    .isEqualTo(Path.of("/etc/systemd/system/hyper2kvm@.service"));
        }
        // with --instance only, the default instance is installed but not enabled
        assertThat(stage.resolve("/etc/systemd/system/hyper2kvm.target.wants/hyper2kvm.service"))
                .doesNotExist();
    }

    @Test
    void runningItTwiceChangesNothing() {
        assertThat(stage.install("--binary", binary, "--instance", "vsphere-prod").exitCode())
                .isZero();
        Map<String, String> first = stage.snapshot();

        Exec.Result again = stage.install("--binary", binary, "--instance", "vsphere-prod");

        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(stage.snapshot()).isEqualTo(first);
        assertThat(again.stdout()).contains("unchanged").doesNotContain("installed ", "updated ");
    }

    @Test
    void neverOverwritesAnEditedConfig() throws IOException {
        assertThat(stage.install("--binary", binary).exitCode()).isZero();
        Path config = stage.resolve("/etc/hyper2kvm/hyper2kvm.conf");
        String edited = "cmd: daemon\nout_format: qcow2\ncompress: true\n";
        Files.writeString(config, edited);

        Exec.Result again = stage.install("--binary", binary);

        assertThat(again.exitCode()).as("%s", again).isZero();
        assertThat(config).hasContent(edited);
        assertThat(again.stdout()).contains("kept       " + config + " (edited");
    }

    @Test
    void dryRunChangesNothingOnAFreshOrAnInstalledRoot() {
        Map<String, String> fresh = stage.snapshot();
        Exec.Result plan =
                stage.install("--binary", binary, "--instance", "vsphere-prod", "--dry-run");

        assertThat(plan.exitCode()).as("%s", plan).isZero();
        assertThat(plan.stdout())
                .contains("would run: systemd-sysusers", "would run: systemctl --root=");
        assertThat(stage.snapshot()).isEqualTo(fresh);

        assertThat(stage.install("--binary", binary).exitCode()).isZero();
        Map<String, String> installed = stage.snapshot();
        assertThat(stage.install("--instance", "aws-eu", "--dry-run").exitCode()).isZero();
        assertThat(stage.install("--uninstall", "--purge", "--dry-run").exitCode()).isZero();
        assertThat(stage.snapshot()).isEqualTo(installed);
    }

    @Test
    void uninstallRemovesTheUnitsButKeepsConfigsAndData() throws IOException {
        assertThat(stage.install("--binary", binary, "--instance", "vsphere-prod").exitCode())
                .isZero();
        Path queued =
                stage.resolve("/var/lib/hyper2kvm/vsphere-prod/output/2026-11-26/job/disk.qcow2");
        Files.createDirectories(queued.getParent());
        Files.writeString(queued, "image");

        Exec.Result r = stage.install("--uninstall");

        assertThat(r.exitCode()).as("%s", r).isZero();
        for (String unit : ShippedFiles.UNITS) {
            assertThat(stage.resolve("/etc/systemd/system/" + unit)).doesNotExist();
        }
        assertThat(stage.resolve("/etc/systemd/system/hyper2kvm.target.wants")).doesNotExist();
        assertThat(stage.resolve("/etc/systemd/system/multi-user.target.wants/hyper2kvm.target"))
                .doesNotExist();
        assertThat(stage.resolve("/etc/hyper2kvm/hyper2kvm.conf")).exists();
        assertThat(stage.resolve("/etc/hyper2kvm/hyper2kvm-vsphere-prod.conf")).exists();
        assertThat(queued).hasContent("image");
    }

    @Test
    void purgeRemovesConfigsAndDataToo() {
        assertThat(stage.install("--binary", binary, "--instance", "vsphere-prod").exitCode())
                .isZero();

        Exec.Result r = stage.install("--uninstall", "--purge");

        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(stage.resolve("/etc/hyper2kvm")).doesNotExist();
        assertThat(stage.resolve("/var/lib/hyper2kvm")).doesNotExist();
        assertThat(stage.resolve("/etc/tmpfiles.d/hyper2kvm.conf")).doesNotExist();
        assertThat(stage.resolve("/etc/tmpfiles.d/hyper2kvm-vsphere-prod.conf")).doesNotExist();
        assertThat(stage.gid(GROUP)).as("the group is kept").isPresent();
    }

    @Test
    void uninstallingOneInstanceLeavesTheOthersInstalled() {
        assertThat(
                        stage.install(
                                        "--binary",
                                        binary,
                                        "--instance",
                                        "vsphere-prod",
                                        "--instance",
                                        "aws-eu")
                                .exitCode())
                .isZero();

        Exec.Result r = stage.install("--uninstall", "--purge", "--instance", "aws-eu");

        assertThat(r.exitCode()).as("%s", r).isZero();
        Path wants = stage.resolve("/etc/systemd/system/hyper2kvm.target.wants");
        assertThat(wants.resolve("hyper2kvm@aws-eu.service")).doesNotExist();
        assertThat(wants.resolve("hyper2kvm@vsphere-prod.service")).isSymbolicLink();
        assertThat(stage.resolve("/etc/systemd/system/hyper2kvm@.service")).exists();
        assertThat(stage.resolve("/etc/hyper2kvm/hyper2kvm-aws-eu.conf")).doesNotExist();
        assertThat(stage.resolve("/var/lib/hyper2kvm/aws-eu")).doesNotExist();
        assertThat(stage.resolve("/var/lib/hyper2kvm/vsphere-prod/queue")).isDirectory();
    }

    @Test
    void aMissingBinaryIsAClearErrorAndInstallsNothing() {
        Map<String, String> before = stage.snapshot();
        Exec.Result none = new StagingRoot(stage.root()).install();
        Exec.Result wrong = stage.install("--binary", stage.resolve("/opt/nothing/hyper2kvm"));

        // the stub at /opt/hyper2kvm/bin is not where the units look, so nothing is found
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr()).contains("hyper2kvm binary not found").contains("--binary PATH");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.stderr()).contains("/opt/nothing/hyper2kvm: no such file");
        assertThat(stage.snapshot()).isEqualTo(before);
    }

    @Test
    void aBinaryTheSandboxCannotSeeIsRefused() throws IOException {
        Path inTmp = Files.createTempFile("hyper2kvm", "");
        try {
            Files.writeString(inTmp, "#!/bin/sh\n");
            inTmp.toFile().setExecutable(true);

            Exec.Result r = stage.install("--binary", inTmp);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("the sandboxed daemon cannot see it (PrivateTmp=yes)");
        } finally {
            Files.delete(inTmp);
        }
    }

    @Test
    void badInstanceNamesAreRefusedWithTheRule() {
        Exec.Result traversal = stage.install("--binary", binary, "--instance", "../etc");
        Exec.Result reserved = stage.install("--binary", binary, "--instance", "queue");

        assertThat(traversal.exitCode()).isEqualTo(1);
        assertThat(traversal.stderr()).contains("--instance '../etc': invalid name");
        assertThat(reserved.exitCode()).isEqualTo(1);
        assertThat(reserved.stderr()).contains("--instance 'queue': reserved");
        assertThat(stage.resolve("/etc")).doesNotExist();
    }

    @Test
    void withoutRootItStopsBeforeDoingAnything() {
        // bash reads the script from stdin (opened by this root process), running as nobody
        Exec.Result r =
                Exec.run(
                        List.of(
                                "sh",
                                "-c",
                                "exec setpriv --reuid=65534 --regid=65534 --clear-groups bash -s -- --root \"$1\" --binary \"$2\" < \"$3\"",
                                "sh",
                                stage.root().toString(),
                                binary.toString(),
                                ShippedFiles.file("install.sh").toString()),
                        Map.of(),
                        30);

        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.stderr()).contains("install.sh: must run as root").contains("--dry-run");
        assertThat(stage.resolve("/etc")).doesNotExist();
    }
}
