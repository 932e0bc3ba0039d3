package io.hypersdk.systemd.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.pipeline.ConversionMode;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.PipelineExecutor;
import io.hypersdk.pipeline.PipelineResult;
import io.hypersdk.pipeline.PreflightException;
import io.hypersdk.systemd.SystemdClient;
import io.hypersdk.systemd.UnitName;
import io.hypersdk.systemd.UnitStatus;
import io.hypersdk.systemd.testing.SystemdFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped units, installed by install.sh and run by a real systemd (the fixture) with the
 * stand-in hyper2kvm of hypersdk-pipeline at the configured path: the sandboxed daemon converts a
 * disk a submitter drops into its queue, people outside the submitters' group get nowhere, the SDK
 * reads the spool back from the unit, and hyper2kvm.target starts and stops both daemons.
 *
 * <p>The fixture shares the host's file system, so the installed units are used with their paths
 * and group renamed to a name unique to this run ({@code /var/lib/hsdk-it-XXXXXXXX}, group {@code
 * hsdk-it-XXXXXXXX-submit}); every other line, the whole sandbox included, is the shipped one.
 * Everything is removed afterwards.
 */
class HardenedDaemonTest {

    private static final int SUBMITTER_UID = 61_234;
    private static final int OUTSIDER_UID = 61_235;
    private static final Duration CONVERSION_TIMEOUT = Duration.ofSeconds(40);

    private static String tag;
    private static String group;
    private static int gid;
    private static Path stage;
    private static Path spool;
    private static SystemdFixture fixture;

    @BeforeAll
    static void installAndStart() throws IOException {
        Optional<String> reason = SystemdFixture.unavailableReason();
        assumeTrue(reason.isEmpty(), () -> reason.orElse(""));
        for (String tool :
                List.of(
                        "qemu-img",
                        "qemu-io",
                        "groupadd",
                        "groupdel",
                        "setpriv",
                        "systemd-tmpfiles")) {
            assumeTrue(
                    Exec.available(tool),
                    tool + " is not installed (scripts/install-test-deps.sh installs it)");
        }
        Path standIn = standIn();

        tag = "hsdk-it-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        group = tag + "-submit";
        stage = Path.of("/var/lib/" + tag + "-stage");
        spool = Path.of("/var/lib/" + tag);
        retryWhileLocked(Exec.argv("groupadd", "--system", group));
        gid = Integer.parseInt(Exec.run("getent", "group", group).stdout().split(":")[2]);

        // the stand-in behind a wrapper that, like hyper2kvm, reads each --config file (it must be
        // readable inside the sandbox) and then drops it: the stand-in takes flags only
        Path bin = stage.resolve("opt/hyper2kvm/bin");
        Files.createDirectories(bin);
        Files.copy(standIn, bin.resolve("hyper2kvm-standin"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.writeString(
                bin.resolve("hyper2kvm"),
                """
                #!/bin/bash
                args=()
                while [ $# -gt 0 ]; do
                  if [ "$1" = --config ]; then
                    [ -r "$2" ] || { echo "Config $2 cannot be read" >&2; exit 1; }
                    grep -q '^cmd: daemon$' "$2" || { echo "Config $2 has no 'cmd: daemon'" >&2; exit 1; }
                    shift 2
                  else
                    args+=("$1"); shift
                  fi
                done
                exec "$(dirname "$0")/hyper2kvm-standin" "${args[@]}"
                """);
        // the stand-in needs no libguestfs appliance: hyper2kvm-appliance.service (which the
        // daemons require) runs a builder that only creates the directory
        Files.writeString(
                bin.resolve("make-fixed-appliance"),
                """
                #!/bin/sh
                mkdir -p "$1" && echo "stand-in appliance" > "$1/README.fixed"
                """);
        for (Path p :
                List.of(
                        bin.resolve("hyper2kvm"),
                        bin.resolve("hyper2kvm-standin"),
                        bin.resolve("make-fixed-appliance"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        StagingRoot root = new StagingRoot(stage);
        Exec.Result first = root.install("--binary", bin.resolve("hyper2kvm"));
        assertThat(first.exitCode()).as("%s", first).isZero();
        Exec.Result second = root.install("--instance", "vsphere-prod");
        assertThat(second.exitCode()).as("%s", second).isZero();

        // the staged tmpfiles.d entries, applied to the host under this run's names
        Path tmpfiles = stage.resolve("fixture-tmpfiles.conf");
        Files.writeString(
                tmpfiles,
                renamed(ShippedFiles.read(root.resolve("/etc/tmpfiles.d/hyper2kvm.conf")))
                        + renamed(
                                ShippedFiles.read(
                                        root.resolve(
                                                "/etc/tmpfiles.d/hyper2kvm-vsphere-prod.conf"))));
        Exec.Result created = Exec.run("systemd-tmpfiles", "--create", tmpfiles.toString());
        assertThat(created.exitCode()).as("%s", created).isZero();

        Path units = stage.resolve("fixture-units");
        copyUnits(root.resolve("/etc/systemd/system"), units);
        fixture = SystemdFixture.start(units);
    }

    @AfterAll
    static void removeEverything() {
        if (fixture != null) {
            // a clean stop lets systemd remove the units' PrivateTmp directories from the host's
            // /tmp
            // (the fixture itself ends with SIGKILL, which would leave them behind)
            fixture.systemctl(
                    "stop",
                    "hyper2kvm.target",
                    "hyper2kvm.service",
                    "hyper2kvm@vsphere-prod.service");
            fixture.close();
        }
        if (tag != null) {
            for (String dir :
                    List.of(
                            "/var/lib/" + tag,
                            "/var/lib/" + tag + "-stage",
                            "/var/cache/" + tag,
                            "/var/cache/" + tag + "-appliance",
                            "/var/log/" + tag)) {
                deleteTree(Path.of(dir));
            }
            if (gid > 0) {
                retryWhileLocked(Exec.argv("groupdel", group));
            }
        }
    }

    @BeforeEach
    void bothDaemonsRun() {
        fixture.systemctlOk("start", "hyper2kvm.target");
        fixture.awaitProperty("hyper2kvm.service", "ActiveState", "active", Duration.ofSeconds(10));
        fixture.awaitProperty(
                "hyper2kvm@vsphere-prod.service", "ActiveState", "active", Duration.ofSeconds(10));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"hyper2kvm.service, ''", "hyper2kvm@vsphere-prod.service, vsphere-prod"})
    void theSandboxedDaemonConvertsADiskASubmitterDropsIntoItsQueue(String unit, String instance)
            throws IOException {
        Path dir = instance.isEmpty() ? spool : spool.resolve(instance);
        Path queue = dir.resolve("queue");
        String job = "job-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

        Exec.Result submit =
                asSubmitter(
                        "umask 0027"
                                + " && qemu-img create -q -f vmdk \"$1/$3.vmdk\" 16M"
                                + " && qemu-io -f vmdk -c 'write -P 0xab 0 1M' \"$1/$3.vmdk\" >/dev/null"
                                + " && mv \"$1/$3.vmdk\" \"$2/.$3.vmdk.tmp\" && mv \"$2/.$3.vmdk.tmp\" \"$2/$3.vmdk\"",
                        spool.resolve("exports"),
                        queue,
                        job);
        assertThat(submit.exitCode()).as("%s", submit).isZero();

        Path processed = awaitFile(queue.resolve(".processed"), job + ".vmdk", unit);
        Path image = awaitFile(dir.resolve("output"), "disk.qcow2", unit, job);
        assertThat(Exec.run("qemu-img", "check", "-f", "qcow2", image.toString()).exitCode())
                .isZero();
        Exec.Result same =
                Exec.run(
                        "qemu-img",
                        "compare",
                        "-f",
                        "vmdk",
                        "-F",
                        "qcow2",
                        processed.toString(),
                        image.toString());
        assertThat(same.stdout()).as("%s", same).contains("Images are identical.");
        // written by uid 0 for the submitters' group only (setgid spool, UMask=0027)
        assertThat(StagingRoot.uid(image)).isZero();
        assertThat(StagingRoot.gid(image)).isEqualTo(gid);
        assertThat(Integer.toOctalString(StagingRoot.mode(image))).isEqualTo("640");

        Exec.Result read = asSubmitter("qemu-img info -f qcow2 \"$1\"", image);
        assertThat(read.exitCode()).as("a submitter reads the result: %s", read).isZero();
        Exec.Result outsider = asOutsider("cat \"$1\" >/dev/null", image);
        assertThat(outsider.exitCode()).isNotZero();
        assertThat(outsider.stderr()).contains("Permission denied");
    }

    @Test
    void someoneOutsideTheSubmittersGroupCanNeitherSubmitNorLookAround() {
        for (Path dir :
                List.of(
                        spool.resolve("queue"),
                        spool.resolve("exports"),
                        spool.resolve("vsphere-prod/queue"))) {
            Exec.Result submit = asOutsider("touch \"$1/intruder.vmdk\"", dir);
            Exec.Result look = asOutsider("ls \"$1\"", dir);

            assertThat(submit.exitCode()).as("%s", submit).isNotZero();
            assertThat(submit.stderr()).contains("Permission denied");
            assertThat(look.exitCode()).as("%s", look).isNotZero();
            assertThat(dir.resolve("intruder.vmdk")).doesNotExist();
        }
    }

    @Test
    void theDaemonCannotOverrideFilePermissionsSoAnOwnerOnlySubmissionFails() throws IOException {
        Path queue = spool.resolve("queue");
        String job = "private-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

        Exec.Result submit =
                asSubmitter(
                        "umask 0077 && qemu-img create -q -f vmdk \"$1/.$2.vmdk.tmp\" 16M"
                                + " && mv \"$1/.$2.vmdk.tmp\" \"$1/$2.vmdk\"",
                        queue,
                        job);
        assertThat(submit.exitCode()).as("%s", submit).isZero();

        Path error =
                awaitFile(queue.resolve(".errors"), job + ".vmdk.error.json", "hyper2kvm.service");
        assertThat(Files.readString(error)).contains("\"filename\": \"" + job + ".vmdk\"");
        assertThat(queue.resolve(job + ".vmdk")).as("a failed input stays in the queue").exists();

        // the same file, made readable for the group and submitted under a new name, converts
        Exec.Result again =
                asSubmitter(
                        "chmod 0640 \"$1/$2.vmdk\" && mv \"$1/$2.vmdk\" \"$1/$2-readable.vmdk\"",
                        queue,
                        job);
        assertThat(again.exitCode()).as("%s", again).isZero();
        awaitFile(spool.resolve("output"), "disk.qcow2", "hyper2kvm.service", job + "-readable");
    }

    @Test
    void theSdkReadsTheSpoolAndTheLayoutBackFromEachUnit() throws IOException {
        SystemdClient client =
                SystemdClient.builder().systemctl(fixture.systemctlWrapper()).build();

        UnitStatus main = client.status(UnitName.service("hyper2kvm"));
        UnitStatus named = client.status(UnitName.instance("hyper2kvm", "vsphere-prod"));

        assertThat(main.environment())
                .containsEntry("WATCH_DIR", spool + "/queue")
                .containsEntry("OUTPUT_DIR", spool + "/output")
                .containsEntry("QUEUE_LAYOUT", "disk-watch");
        assertThat(named.environment())
                .containsEntry("WATCH_DIR", spool + "/vsphere-prod/queue")
                .containsEntry("OUTPUT_DIR", spool + "/vsphere-prod/output")
                .containsEntry("QUEUE_LAYOUT", "disk-watch");
        for (UnitStatus s : List.of(main, named)) {
            assertThat(s.isActive()).as(s.id()).isTrue();
            assertThat(s.group()).as(s.id()).contains(group);
            assertThat(s.privateTmp()).as(s.id()).isTrue();
            assertThat(s.protectHome()).as(s.id()).isEqualTo("yes");
            assertThat(s.protectSystem()).as(s.id()).isEqualTo("strict");
            // the process really runs with the unit's environment (HOME moved off the hidden /root)
            String environ =
                    Files.readString(
                            fixture.root()
                                    .resolve("proc/" + s.mainPid().orElseThrow() + "/environ"));
            assertThat(environ.split("\0"))
                    .as(s.id())
                    .contains("WATCH_DIR=" + s.environment().get("WATCH_DIR"))
                    .anySatisfy(e -> assertThat(e).startsWith("HOME=/var/cache/" + tag));
            // what the pre-flight checks the spool against under ProtectSystem=strict
            assertThat(s.readWritePaths())
                    .as(s.id())
                    .containsExactly(
                            Path.of(s.environment().get("WATCH_DIR")),
                            Path.of(s.environment().get("OUTPUT_DIR")));
        }
    }

    @Test
    void theSdkFindsTheInstalledDaemonPassesItsPreflightAndGetsTheImage() throws IOException {
        Path export = Files.createDirectories(spool.resolve("exports/web01"));
        Path disk = export.resolve("web01-disk-0.vmdk");
        assertThat(
                        Exec.run("qemu-img", "create", "-q", "-f", "vmdk", disk.toString(), "16M")
                                .exitCode())
                .isZero();
        ArtifactManifest manifest =
                ArtifactManifest.builder()
                        .source(ManifestSource.of("vsphere").withVmName("web01"))
                        .addDisk(
                                DiskArtifact.builder()
                                        .id("disk-0")
                                        .sourceFormat(DiskFormat.VMDK)
                                        .bytes(Files.size(disk))
                                        .localPath(disk)
                                        .bootOrderHint(0)
                                        .diskType(DiskType.BOOT)
                                        .build())
                        .build();
        Path manifestPath = export.resolve("artifact-manifest.json");
        ManifestCodec.write(manifest, manifestPath);
        PipelineSettings settings =
                PipelineSettings.builder()
                        .enabled(true)
                        .hyper2kvm(
                                Hyper2KvmSettings.builder()
                                        .daemon(true)
                                        .instance("vsphere-prod")
                                        .requireDaemon(true)
                                        .build())
                        .build();
        PipelineExecutor executor =
                PipelineExecutor.builder()
                        .systemdClient(
                                SystemdClient.builder()
                                        .systemctl(fixture.systemctlWrapper())
                                        .build())
                        .pollIntervalOverride(Duration.ofMillis(200))
                        .daemonTimeoutOverride(CONVERSION_TIMEOUT)
                        .build();

        PipelineResult result =
                executor.execute(
                        manifest,
                        manifestPath,
                        settings,
                        ProgressListener.NONE,
                        Cancellation.none());

        assertThat(result.mode()).as(result.modeReason()).isEqualTo(ConversionMode.DAEMON);
        assertThat(result.modeReason())
                .contains("hyper2kvm@vsphere-prod.service is active")
                .contains("WATCH_DIR");
        assertThat(result.outcome())
                .as(result.modeReason())
                .isInstanceOf(ConversionOutcome.Converted.class);
        assertThat(result.outputImages())
                .singleElement()
                .satisfies(
                        image -> {
                            assertThat(image.toString())
                                    .startsWith(spool + "/vsphere-prod/output/")
                                    .endsWith("/" + result.jobId() + "/disk.qcow2");
                            assertThat(
                                            Exec.run(
                                                            "qemu-img",
                                                            "check",
                                                            "-f",
                                                            "qcow2",
                                                            image.toString())
                                                    .exitCode())
                                    .isZero();
                        });
    }

    @Test
    void theSdksPreflightRefusesADiskTheSandboxedDaemonCannotSee() throws IOException {
        // the workflow layout reads disks in place; /tmp is private to the daemon (PrivateTmp=yes)
        Path disk = Files.createTempFile("web02-", ".vmdk");
        try {
            ArtifactManifest manifest =
                    ArtifactManifest.builder()
                            .source(ManifestSource.of("vsphere").withVmName("web02"))
                            .addDisk(
                                    DiskArtifact.builder()
                                            .id("disk-0")
                                            .sourceFormat(DiskFormat.VMDK)
                                            .bytes(1)
                                            .localPath(disk)
                                            .bootOrderHint(0)
                                            .diskType(DiskType.BOOT)
                                            .build())
                            .build();
            PipelineSettings settings =
                    PipelineSettings.builder()
                            .enabled(true)
                            .hyper2kvm(
                                    Hyper2KvmSettings.builder()
                                            .daemon(true)
                                            .requireDaemon(true)
                                            .queueLayout(
                                                    io.hypersdk.core.settings.QueueLayout.WORKFLOW)
                                            .watchDir(spool.resolve("wf-queue"))
                                            .outputDir(spool.resolve("output"))
                                            .build())
                            .build();
            Files.createDirectories(spool.resolve("wf-queue/to_be_processed"));
            PipelineExecutor executor =
                    PipelineExecutor.builder()
                            .systemdClient(
                                    SystemdClient.builder()
                                            .systemctl(fixture.systemctlWrapper())
                                            .build())
                            .build();

            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () ->
                                    executor.execute(
                                            manifest,
                                            disk.resolveSibling("artifact-manifest.json"),
                                            settings,
                                            ProgressListener.NONE,
                                            Cancellation.none()))
                    .isInstanceOf(PreflightException.class)
                    // the fix systemd/README.md documents for this message
                    .hasMessageContaining("daemon cannot read " + disk)
                    .hasMessageContaining("PrivateTmp=yes")
                    .hasMessageContaining("/var/lib/hyper2kvm/exports");
        } finally {
            Files.deleteIfExists(disk);
        }
    }

    @Test
    void theTargetStopsAndStartsBothDaemons() {
        fixture.systemctlOk("stop", "hyper2kvm.target");

        for (String unit : List.of("hyper2kvm.service", "hyper2kvm@vsphere-prod.service")) {
            fixture.awaitProperty(unit, "ActiveState", "inactive", Duration.ofSeconds(10));
        }

        fixture.systemctlOk("start", "hyper2kvm.target");

        for (String unit : List.of("hyper2kvm.service", "hyper2kvm@vsphere-prod.service")) {
            fixture.awaitProperty(unit, "ActiveState", "active", Duration.ofSeconds(10));
            assertThat(fixture.property(unit, "MainPID")).isNotEqualTo("0");
        }
    }

    @Test
    void aDaemonThatIgnoresSigtermIsKilledWhenTheStopTimeoutExpires() {
        Path dropIn =
                fixture.root()
                        .resolve("run/systemd/system/hyper2kvm@vsphere-prod.service.d/stop.conf");
        try {
            Files.createDirectories(dropIn.getParent());
            // the stand-in then behaves like hyper2kvm 0.0.x on SIGTERM; 2 s instead of the shipped
            // 30 s
            Files.writeString(
                    dropIn, "[Service]\nEnvironment=STANDIN_IGNORE_TERM=1\nTimeoutStopSec=2s\n");
            fixture.systemctlOk("daemon-reload");
            fixture.systemctlOk("restart", "hyper2kvm@vsphere-prod.service");
            fixture.awaitProperty(
                    "hyper2kvm@vsphere-prod.service",
                    "ActiveState",
                    "active",
                    Duration.ofSeconds(10));
            awaitSigtermHandler("hyper2kvm@vsphere-prod.service");

            long start = System.nanoTime();
            assertTimeoutPreemptively(
                    Duration.ofSeconds(15),
                    () -> fixture.systemctl("stop", "hyper2kvm@vsphere-prod.service"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            assertThat(fixture.property("hyper2kvm@vsphere-prod.service", "Result"))
                    .isEqualTo("timeout");
            assertThat(fixture.property("hyper2kvm@vsphere-prod.service", "MainPID"))
                    .isEqualTo("0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dropIn.getParent());
            fixture.systemctl("daemon-reload");
            fixture.systemctl("reset-failed", "hyper2kvm@vsphere-prod.service");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Waits until the unit's main process has its SIGTERM handler installed (SigCgt bit 15). */
    private static void awaitSigtermHandler(String unit) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String pid = fixture.property(unit, "MainPID");
            Path status =
                    fixture.root().resolve("proc/" + pid + "/status"); // the fixture's own procfs
            if (!"0".equals(pid) && Files.exists(status)) {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("SigCgt:")
                            && (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 14))
                                    != 0) {
                        return;
                    }
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError(unit + " did not install a SIGTERM handler within 10 s");
    }

    private static Path standIn() {
        String repo =
                System.getProperty("hypersdk.repo.dir", ShippedFiles.dir().getParent().toString());
        Path standIn = Path.of(repo, "hypersdk-pipeline", "src", "test", "standin", "hyper2kvm");
        if (!Files.isExecutable(standIn)) {
            throw new IllegalStateException(
                    "the stand-in hyper2kvm is missing at "
                            + standIn
                            + " (hypersdk-pipeline's test sources; set -Dhypersdk.repo.dir to the repository)");
        }
        return standIn;
    }

    /** A shipped text with this run's directories and group instead of the real ones. */
    private static String renamed(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String l =
                    line.replace("/var/lib/hyper2kvm", "/var/lib/" + tag)
                            .replace("/var/cache/hyper2kvm", "/var/cache/" + tag)
                            .replace("/etc/hyper2kvm/", stage + "/etc/hyper2kvm/")
                            .replace("hyper2kvm-submit", group)
                            .replace(ShippedFiles.BINARY, stage + "/opt/hyper2kvm/bin/hyper2kvm")
                            .replace(
                                    ShippedFiles.APPLIANCE_BUILDER,
                                    stage + "/opt/hyper2kvm/bin/make-fixed-appliance");
            if (l.matches("(StateDirectory|CacheDirectory|LogsDirectory)=.*")) {
                l = l.replaceAll("(=| )hyper2kvm(?=/| |$|-appliance$)", "$1" + tag);
            }
            out.append(l).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /**
     * The installed unit tree (files renamed, enablement links as they are) as the fixture's unit
     * dir.
     */
    private static void copyUnits(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    String shipped = Files.readString(p);
                    String renamed = renamed(shipped);
                    assertThat(ShippedFiles.directives(renamed))
                            .hasSameSizeAs(ShippedFiles.directives(shipped));
                    Files.writeString(target, renamed);
                }
            }
        }
    }

    private static Exec.Result asSubmitter(String script, Object... args) {
        return Exec.run(
                Exec.argv(
                        "setpriv",
                        "--reuid=" + SUBMITTER_UID,
                        "--regid=" + gid,
                        "--groups=" + gid,
                        "bash",
                        "-c",
                        script,
                        "submit",
                        List.of(args)),
                Map.of(),
                60);
    }

    private static Exec.Result asOutsider(String script, Object... args) {
        return Exec.run(
                Exec.argv(
                        "setpriv",
                        "--reuid=" + OUTSIDER_UID,
                        "--regid=" + OUTSIDER_UID,
                        "--clear-groups",
                        "bash",
                        "-c",
                        script,
                        "outsider",
                        List.of(args)),
                Map.of(),
                60);
    }

    /**
     * Waits for a file named {@code name} somewhere under {@code dir} (the daemon adds a date
     * directory, and a job directory when {@code jobDir} is given); fails with the unit's log.
     */
    private static Path awaitFile(Path dir, String name, String unit, String... jobDir) {
        long deadline = System.nanoTime() + CONVERSION_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> all = Files.walk(dir, 4)) {
                    Optional<Path> hit =
                            all.filter(p -> p.getFileName().toString().equals(name))
                                    .filter(
                                            p ->
                                                    jobDir.length == 0
                                                            || p.getParent()
                                                                    .getFileName()
                                                                    .toString()
                                                                    .equals(jobDir[0]))
                                    .findFirst();
                    if (hit.isPresent()) {
                        return hit.get();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        String status = fixture.systemctl("status", "--no-pager", "-n", "30", unit).stdout();
        throw new AssertionError(
                name
                        + " did not appear under "
                        + dir
                        + " within "
                        + CONVERSION_TIMEOUT
                        + "\n"
                        + status);
    }

    /** groupadd/groupdel fail with exit 10 while another process holds /etc/group's lock. */
    private static void retryWhileLocked(List<String> argv) {
        for (int attempt = 0; ; attempt++) {
            Exec.Result r = Exec.run(argv);
            if (r.exitCode() == 0) {
                return;
            }
            if (r.exitCode() != 10 || attempt >= 40) {
                throw new AssertionError(r.toString());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
