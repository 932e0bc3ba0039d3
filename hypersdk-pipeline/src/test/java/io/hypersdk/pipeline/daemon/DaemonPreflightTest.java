package io.hypersdk.pipeline.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.core.spool.SpoolDirectories.Origin;
import io.hypersdk.core.spool.SpoolEnvironmentException;
import io.hypersdk.pipeline.PreflightException;
import io.hypersdk.pipeline.testing.Disks;
import io.hypersdk.systemd.PosixAccess;
import io.hypersdk.systemd.UnitStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DaemonPreflightTest {
    @TempDir Path tmp;
    private SpoolDirectories workflow;
    private final DaemonPreflight preflight = DaemonPreflight.using(PosixAccess.system());

    @BeforeEach
    void spool() throws Exception {
        Files.createDirectories(tmp.resolve("queue/to_be_processed"));
        Files.createDirectories(tmp.resolve("output"));
        workflow = spool(tmp.resolve("queue"), tmp.resolve("output"), QueueLayout.WORKFLOW);
    }

    private static SpoolDirectories spool(Path watch, Path output, QueueLayout layout) {
        return spool(watch, output, layout, Origin.SETTINGS);
    }

    private static SpoolDirectories spool(
            Path watch, Path output, QueueLayout layout, Origin layoutOrigin) {
        return new SpoolDirectories(
                "hyper2kvm.service",
                watch,
                Origin.SETTINGS,
                output,
                Origin.SETTINGS,
                layout,
                layoutOrigin);
    }

    private static ArtifactManifest manifestAt(Path disk) throws Exception {
        return Disks.manifest(
                "vm",
                List.of(
                        io.hypersdk.core.manifest.DiskArtifact.builder()
                                .id("disk-0")
                                .sourceFormat(DiskFormat.VMDK)
                                .bytes(1)
                                .localPath(disk)
                                .bootOrderHint(0)
                                .build()));
    }

    private static UnitStatus.Builder unit() {
        return UnitStatus.builder("hyper2kvm@vsphere-prod.service")
                .activeState("active")
                .subState("running");
    }

    @Test
    void diskUnderTmpOfAPrivateTmpUnitIsRefusedWithTheFix() throws Exception {
        List<String> problems =
                preflight.problems(
                        workflow,
                        manifestAt(Path.of("/tmp/export/disk-0.vmdk")),
                        Optional.of(unit().privateTmp(true).build()));
        assertThat(problems)
                .contains(
                        "daemon cannot read /tmp/export/disk-0.vmdk:"
                                + " hyper2kvm@vsphere-prod.service has PrivateTmp=yes; export under"
                                + " /var/lib/hyper2kvm/exports or use direct mode");
    }

    @Test
    void diskUnderHomeOfAProtectHomeUnitIsRefused() throws Exception {
        assertThatThrownBy(
                        () ->
                                preflight.check(
                                        workflow,
                                        manifestAt(Path.of("/home/alice/vm.vmdk")),
                                        Optional.of(unit().protectHome("yes").build())))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining(
                        "daemon cannot read /home/alice/vm.vmdk:"
                                + " hyper2kvm@vsphere-prod.service has ProtectHome=yes;");
        // read-only home is readable
        assertThat(
                        preflight.problems(
                                workflow,
                                manifestAt(Path.of("/home/alice/vm.vmdk")),
                                Optional.of(unit().protectHome("read-only").build())))
                .isEmpty();
    }

    @Test
    void spoolOutsideReadWritePathsOfAStrictUnitIsRefused() throws Exception {
        List<String> problems =
                preflight.problems(
                        workflow,
                        manifestAt(Path.of("/srv/vm.vmdk")),
                        Optional.of(
                                unit().protectSystem("strict")
                                        .readWritePath(Path.of("/var/lib/hyper2kvm"))
                                        .build()));
        assertThat(problems)
                .anyMatch(
                        p ->
                                p.startsWith(
                                                "daemon cannot write "
                                                        + tmp.resolve("queue")
                                                        + ": hyper2kvm@vsphere-prod.service has ProtectSystem=strict")
                                        && p.contains("ReadWritePaths"));
        assertThat(
                        preflight.problems(
                                workflow,
                                manifestAt(Path.of("/srv/vm.vmdk")),
                                Optional.of(
                                        unit().protectSystem("strict").readWritePath(tmp).build())))
                .isEmpty();
    }

    @Test
    void spoolInAStateDirectoryOfAStrictUnitIsWritable() throws Exception {
        // the shipped hyper2kvm@.service: StateDirectory= only, ProtectSystem=strict
        SpoolDirectories shipped =
                spool(
                        Path.of("/var/lib/hyper2kvm/vsphere-prod/queue"),
                        Path.of("/var/lib/hyper2kvm/vsphere-prod/output"),
                        QueueLayout.WORKFLOW);
        UnitStatus.Builder strict = unit().protectSystem("strict");
        assertThat(
                        preflight.problems(
                                shipped,
                                manifestAt(Path.of("/srv/vm.vmdk")),
                                Optional.of(strict.build())))
                .anyMatch(p -> p.contains("has ProtectSystem=strict"));

        List<String> problems =
                preflight.problems(
                        shipped,
                        manifestAt(Path.of("/srv/vm.vmdk")),
                        Optional.of(
                                strict.stateDirectory(Path.of("hyper2kvm/vsphere-prod/queue"))
                                        .stateDirectory(Path.of("hyper2kvm/vsphere-prod/output"))
                                        .build()));
        assertThat(problems).noneMatch(p -> p.contains("ProtectSystem=strict"));
        // a CacheDirectory= is writable too, but only below /var/cache
        assertThat(
                        preflight.problems(
                                shipped,
                                manifestAt(Path.of("/srv/vm.vmdk")),
                                Optional.of(
                                        unit().protectSystem("strict")
                                                .cacheDirectory(Path.of("hyper2kvm"))
                                                .build())))
                .anyMatch(p -> p.contains("has ProtectSystem=strict"));
    }

    @Test
    void rootWithPrivateUsersCannotReadAnotherUsersPrivateDisk() throws Exception {
        assumeTrue(
                ProcessHandle.current().info().user().orElse("").equals("root"),
                "chown to another user needs root");
        var lookup = tmp.getFileSystem().getUserPrincipalLookupService();
        Path disk = Files.writeString(tmp.resolve("alice.vmdk"), "x");
        Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rw-r-----"));
        Files.setOwner(disk, lookup.lookupPrincipalByName("nobody"));
        Files.getFileAttributeView(disk, PosixFileAttributeView.class)
                .setGroup(lookup.lookupPrincipalByGroupName("nogroup"));

        // plain root reads anything
        assertThat(
                        preflight.problems(
                                workflow,
                                manifestAt(disk),
                                Optional.of(unit().user("root").build())))
                .isEmpty();
        assertThat(preflight.problems(workflow, manifestAt(disk), Optional.of(unit().build())))
                .isEmpty();
        // uid 0 of a user namespace without capabilities does not
        assertThat(
                        preflight.problems(
                                workflow,
                                manifestAt(disk),
                                Optional.of(unit().user("root").privateUsers(true).build())))
                .containsExactly(
                        "daemon cannot read "
                                + disk
                                + ": hyper2kvm@vsphere-prod.service runs as"
                                + " User=root with PrivateUsers=yes (no capabilities, so file permissions apply) and"
                                + " the file or a parent directory denies it (owner uid 65534, gid 65534, mode 0640);"
                                + " make it readable for that user or export under /var/lib/hyper2kvm/exports");
        assertThat(
                        preflight.problems(
                                workflow,
                                manifestAt(disk),
                                Optional.of(unit().privateUsers(true).build())))
                .anyMatch(p -> p.startsWith("daemon cannot read " + disk));
        // ... unless its Group= may read it
        assertThat(
                        preflight.problems(
                                workflow,
                                manifestAt(disk),
                                Optional.of(
                                        unit().user("root")
                                                .group("nogroup")
                                                .privateUsers(true)
                                                .build())))
                .isEmpty();
    }

    @Test
    void rootWithPrivateUsersCannotWriteASpoolItDoesNotOwn() throws Exception {
        assumeTrue(
                ProcessHandle.current().info().user().orElse("").equals("root"),
                "chown to another user needs root");
        Path submit = tmp.resolve("queue/to_be_processed");
        Files.setOwner(
                submit,
                tmp.getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName("nobody"));
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path disk = Files.writeString(tmp.resolve("disk.vmdk"), "x");

        assertThat(preflight.problems(workflow, manifestAt(disk), Optional.of(unit().build())))
                .isEmpty();
        assertThat(
                        preflight.problems(
                                workflow,
                                manifestAt(disk),
                                Optional.of(unit().privateUsers(true).build())))
                .anyMatch(p -> p.startsWith("daemon user root cannot write " + submit));
    }

    @Test
    void diskTheDaemonsUserCannotReadIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("private"));
        Path disk = Files.writeString(dir.resolve("disk.vmdk"), "x");
        Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(
                tmp.resolve("queue/to_be_processed"), PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> problems =
                preflight.problems(
                        workflow, manifestAt(disk), Optional.of(unit().user("nobody").build()));
        assertThat(problems)
                .anyMatch(
                        p ->
                                p.startsWith("daemon cannot read " + disk + ":")
                                        && p.contains("runs as User=nobody"));
    }

    @Test
    void spoolTheDaemonsUserCannotWriteIsRefused() throws Exception {
        Files.setPosixFilePermissions(
                tmp.resolve("queue/to_be_processed"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path disk = Files.writeString(tmp.resolve("disk.vmdk"), "x");
        List<String> problems =
                preflight.problems(
                        workflow, manifestAt(disk), Optional.of(unit().user("nobody").build()));
        assertThat(problems)
                .anyMatch(
                        p ->
                                p.startsWith(
                                        "daemon user nobody cannot write "
                                                + tmp.resolve("queue/to_be_processed")));
    }

    @Test
    void aUnitUserMissingOnThisHostIsNamed() throws Exception {
        List<String> problems =
                preflight.problems(
                        workflow,
                        manifestAt(Path.of("/srv/vm.vmdk")),
                        Optional.of(unit().user("no-such-user-hypersdk").build()));
        assertThat(problems)
                .anyMatch(
                        p ->
                                p.contains(
                                        "User=no-such-user-hypersdk, which does not"
                                                + " exist on this host"));
    }

    @Test
    void aSpoolOfAnotherLayoutNamesTheSettingToChange() throws Exception {
        Path q = Files.createDirectories(tmp.resolve("dw"));
        Files.createDirectories(q.resolve(".processed"));
        SpoolDirectories dirs =
                spool(q, tmp.resolve("output"), QueueLayout.WORKFLOW, Origin.DEFAULT);
        assertThatThrownBy(
                        () ->
                                preflight.check(
                                        dirs,
                                        manifestAt(Path.of("/srv/vm.vmdk")),
                                        Optional.empty()))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("looks like a disk-watch spool")
                .hasMessageContaining("set Hyper2KVMQueueLayout=disk-watch");
        Path wf = tmp.resolve("queue");
        assertThat(
                        preflight.problems(
                                spool(wf, tmp.resolve("output"), QueueLayout.DISK_WATCH),
                                manifestAt(Path.of("/srv/vm.vmdk")),
                                Optional.empty()))
                .anyMatch(p -> p.contains("looks like a workflow spool"));
    }

    @Test
    void missingSpoolDirectoriesAreNamed() throws Exception {
        SpoolDirectories dirs =
                spool(tmp.resolve("nope/queue"), tmp.resolve("nope/output"), QueueLayout.WORKFLOW);
        List<String> problems =
                preflight.problems(dirs, manifestAt(Path.of("/srv/vm.vmdk")), Optional.empty());
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0))
                .startsWith("watch directory " + tmp.resolve("nope/queue") + " does not exist");
        assertThat(problems.get(1))
                .startsWith(
                        "daemon output directory "
                                + tmp.resolve("nope/output")
                                + " does not exist");
    }

    @Test
    void aHealthySpoolPasses() throws Exception {
        Path disk = Files.writeString(tmp.resolve("disk.vmdk"), "x");
        assertThat(preflight.problems(workflow, manifestAt(disk), Optional.of(unit().build())))
                .isEmpty();
    }

    @Test
    void directoriesComeFromTheUnitUnlessSetExplicitly() {
        UnitStatus u =
                unit().environment("WATCH_DIR", "/var/lib/hyper2kvm/vsphere-prod/queue")
                        .environment("OUTPUT_DIR", "/var/lib/hyper2kvm/vsphere-prod/output")
                        .environment("QUEUE_LAYOUT", "disk-watch")
                        .build();
        Hyper2KvmSettings s =
                Hyper2KvmSettings.builder().daemon(true).instance("vsphere-prod").build();
        SpoolDirectories d = SpoolDirectories.resolve(s, u.id(), u.environment());
        assertThat(d.watchDir()).isEqualTo(Path.of("/var/lib/hyper2kvm/vsphere-prod/queue"));
        assertThat(d.outputDir()).isEqualTo(Path.of("/var/lib/hyper2kvm/vsphere-prod/output"));
        assertThat(d.layout()).isEqualTo(QueueLayout.DISK_WATCH);
        assertThat(d.origin()).contains("Environment WATCH_DIR").contains("QUEUE_LAYOUT");

        SpoolDirectories explicit =
                SpoolDirectories.resolve(
                        s.toBuilder()
                                .watchDir(Path.of("/srv/q"))
                                .queueLayout(QueueLayout.FLAT)
                                .build(),
                        u.id(),
                        u.environment());
        assertThat(explicit.watchDir()).isEqualTo(Path.of("/srv/q"));
        assertThat(explicit.outputDir())
                .isEqualTo(Path.of("/var/lib/hyper2kvm/vsphere-prod/output"));
        assertThat(explicit.layout()).isEqualTo(QueueLayout.FLAT);

        SpoolDirectories convention = SpoolDirectories.resolve(s, "the unit", Map.of());
        assertThat(convention.watchDir())
                .isEqualTo(Path.of("/var/lib/hyper2kvm/vsphere-prod/queue"));
        assertThat(convention.layout()).isEqualTo(QueueLayout.WORKFLOW);
        assertThat(
                        SpoolDirectories.resolve(Hyper2KvmSettings.defaults(), "the unit", Map.of())
                                .outputDir())
                .isEqualTo(Path.of("/var/lib/hyper2kvm/output"));
    }

    @Test
    void aUnitDeclaringAnUnknownLayoutIsAnError() {
        UnitStatus u = unit().environment("QUEUE_LAYOUT", "spool-v9").build();
        assertThatThrownBy(
                        () ->
                                SpoolDirectories.resolve(
                                        Hyper2KvmSettings.defaults(), u.id(), u.environment()))
                .isInstanceOf(SpoolEnvironmentException.class)
                .hasMessageContaining("QUEUE_LAYOUT=spool-v9");
    }
}
