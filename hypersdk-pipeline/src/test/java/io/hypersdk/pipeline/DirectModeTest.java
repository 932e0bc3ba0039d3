package io.hypersdk.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.ConverterOutput;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.ProgressEvent;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.Converter;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.core.settings.Setting;
import io.hypersdk.pipeline.testing.Disks;
import io.hypersdk.pipeline.testing.Processes;
import io.hypersdk.pipeline.testing.StandIn;
import io.hypersdk.systemd.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class DirectModeTest {
    @TempDir Path tmp;

    private PipelineExecutor.Builder executor() {
        return PipelineExecutor.builder()
                .commandRunner(CommandRunner.builder().killGrace(Duration.ofMillis(300)).build())
                .searchPath(System.getenv("PATH"));
    }

    private PipelineSettings.Builder settings() {
        return PipelineSettings.builder()
                .enabled(true)
                .hyper2kvmPath(StandIn.executable())
                .timeout(Duration.ofSeconds(60));
    }

    private ArtifactManifest threeDisks(Path dir) throws Exception {
        Path boot = Disks.create(dir.resolve("web-01-disk0.vmdk"), "vmdk", 2, 0x11);
        Path data1 = Disks.create(dir.resolve("web-01-disk1.vmdk"), "vmdk", 1, 0x22);
        Path data2 = Disks.create(dir.resolve("web-01-disk2.raw"), "raw", 1, 0x33);
        return Disks.manifest(
                "web-01",
                List.of(
                        Disks.disk("disk-0", boot, DiskFormat.VMDK, 0),
                        Disks.disk("disk-1", data1, DiskFormat.VMDK, 1),
                        Disks.disk("disk-2", data2, DiskFormat.RAW, 2)));
    }

    @Test
    void multiDiskVmBecomesQcow2ImagesIdenticalToTheSources() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        Path argsLog = tmp.resolve("args.log");
        List<io.hypersdk.core.progress.TransferProgress> progress = new CopyOnWriteArrayList<>();
        PipelineResult r =
                executor()
                        .environment("STANDIN_ARGS_LOG", argsLog.toString())
                        .build()
                        .execute(
                                m,
                                tmp.resolve("artifact-manifest.json"),
                                settings().build(),
                                e -> {
                                    if (e instanceof io.hypersdk.core.progress.TransferProgress p) {
                                        progress.add(p);
                                    }
                                },
                                Cancellation.none());

        assertThat(r.outcome()).isEqualTo(new ConversionOutcome.Converted());
        assertThat(r.mode()).isEqualTo(ConversionMode.DIRECT);
        // hyper2kvm's "Conversion progress" and qemu-img -p records become TransferProgress events
        for (String disk : List.of("disk-0", "disk-1", "disk-2")) {
            assertThat(progress)
                    .filteredOn(p -> p.item().equals(disk))
                    .isNotEmpty()
                    .last()
                    .satisfies(p -> assertThat(p.fraction()).contains(1.0));
        }
        assertThat(r.modeReason()).contains("daemon mode off");
        assertThat(r.outputImages())
                .containsExactly(
                        tmp.resolve("web-01-disk-0.qcow2"),
                        tmp.resolve("web-01-disk-1.qcow2"),
                        tmp.resolve("web-01-disk-2.qcow2"));
        assertThat(
                        Disks.identical(
                                m.disks().get(0).localPath(),
                                "vmdk",
                                r.outputImages().get(0),
                                "qcow2"))
                .isTrue();
        assertThat(
                        Disks.identical(
                                m.disks().get(1).localPath(),
                                "vmdk",
                                r.outputImages().get(1),
                                "qcow2"))
                .isTrue();
        assertThat(
                        Disks.identical(
                                m.disks().get(2).localPath(),
                                "raw",
                                r.outputImages().get(2),
                                "qcow2"))
                .isTrue();
        // hyper2kvm ran once, for the boot disk, with --flatten and a work dir that is gone now
        List<String> runs = Files.readAllLines(argsLog);
        assertThat(runs).hasSize(1);
        List<String> argv = List.of(runs.get(0).substring("argv: ".length()).split("\u001f"));
        assertThat(argv).containsSubsequence("--cmd", "local");
        assertThat(argv).containsSubsequence("--vmdk", m.disks().get(0).localPath().toString());
        assertThat(argv).containsSubsequence("--to-output", "web-01-disk-0.qcow2");
        assertThat(argv).contains("--flatten");
        Path workdir = Path.of(argv.get(argv.indexOf("--workdir") + 1));
        assertThat(workdir).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(
                            n ->
                                    n.endsWith(".part")
                                            || n.startsWith(".hyper2kvm-work")
                                            || n.equals("work"));
        }
    }

    @Test
    void daemonModeWithoutSystemdFallsBackToDirectModeAndSaysWhy() throws Exception {
        // this host's PID 1 is not systemd: the real systemctl cannot answer
        ArtifactManifest m = threeDisks(tmp);
        PipelineResult r =
                executor()
                        .build()
                        .execute(
                                m,
                                tmp.resolve("m.json"),
                                settings()
                                        .hyper2kvm(
                                                io.hypersdk.core.settings.Hyper2KvmSettings
                                                        .builder()
                                                        .daemon(true)
                                                        .build())
                                        .build(),
                                ProgressListener.NONE,
                                Cancellation.none());
        org.junit.jupiter.api.Assumptions.assumeTrue(
                r.mode() == ConversionMode.DIRECT,
                "this host runs systemd; covered by SystemdModeTest");
        assertThat(r.modeReason())
                .startsWith("daemon mode requested but ")
                .contains("hyper2kvm.service")
                .endsWith("fell back to direct mode (hyper2kvm one-shot)");
        assertThat(r.outcome().succeeded()).isTrue();
    }

    @Test
    void converterFailureIsReportedWithTheConvertersMessage() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        PipelineResult r =
                executor()
                        .environment("STANDIN_FAIL", "1")
                        .build()
                        .execute(
                                m,
                                tmp.resolve("m.json"),
                                settings().build(),
                                ProgressListener.NONE,
                                Cancellation.none());

        assertThat(r.outcome()).isInstanceOf(ConversionOutcome.Failed.class);
        Path log = tmp.resolve("web-01-disk-0.hyper2kvm.log");
        assertThat(((ConversionOutcome.Failed) r.outcome()).message())
                .isEqualTo(
                        "hyper2kvm exited with status 1: Failed to mount root filesystem. (whole output: "
                                + log
                                + ")");
        assertThat(log).content().contains("Failed to mount root filesystem.");
        assertThat(r.outputImages()).isEmpty();
        assertThat(tmp.resolve("web-01-disk-0.qcow2")).doesNotExist();
        assertThat(tmp.resolve("web-01-disk-0.qcow2.part")).doesNotExist();
    }

    @Test
    void theFailureMessageNamesTheErrorLineNotLibguestfssBoilerplateAndTheLogKeepsEverything()
            throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        // what hyper2kvm 0.0.2 prints when libguestfs cannot launch (LIBGUESTFS_CACHEDIR missing)
        Path converter = tmp.resolve("hyper2kvm-libguestfs-fails");
        Files.writeString(
                converter,
                """
        #!/bin/sh
        echo '22:41:07 \u2139\ufe0f INFO     Offline filesystem fixes' >&2
        echo 'libguestfs: error: could not create appliance cache dir /nonexistent/.guestfs-0: No such file or directory' >&2
        echo 'libguestfs: error: /usr/bin/supermin exited with error status 1.' >&2
        echo 'To see full error messages you may need to enable debugging.' >&2
        echo 'Do:' >&2
        echo '  export LIBGUESTFS_DEBUG=1 LIBGUESTFS_TRACE=1' >&2
        echo 'and run the command again.  For further information, read:' >&2
        echo '  http://libguestfs.org/guestfs-faq.1.html#debugging-libguestfs' >&2
        echo 'You can also run '"'"'libguestfs-test-tool'"'"' and post the *complete* output' >&2
        echo 'into a bug report or message to the libguestfs mailing list.' >&2
        exit 1
        """);
        Files.setPosixFilePermissions(
                converter, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        PipelineResult r =
                executor()
                        .build()
                        .execute(
                                m,
                                tmp.resolve("m.json"),
                                settings().hyper2kvmPath(converter).build(),
                                ProgressListener.NONE,
                                Cancellation.none());

        Path log = tmp.resolve("web-01-disk-0.hyper2kvm.log");
        assertThat(((ConversionOutcome.Failed) r.outcome()).message())
                .isEqualTo(
                        "hyper2kvm exited with"
                                + " status 1: libguestfs: error: could not create appliance cache dir /nonexistent/.guestfs-0:"
                                + " No such file or directory (whole output: "
                                + log
                                + ")");
        assertThat(Files.readAllLines(log))
                .hasSize(10)
                .last()
                .isEqualTo("into a bug report or message to the libguestfs mailing list.");
    }

    @Test
    void hyper2kvmsOwnErrorLineWinsAndCarriesLibguestfsReason() {
        ConverterLog log = ConverterLog.inMemory();
        log.line("libguestfs: error: guestfs_launch failed.", true);
        log.line("12:00:01 \u274c ERROR    [proc=MainProcess] Failed to launch guestfs", true);
        log.line("into a bug report or message to the libguestfs mailing list.", true);
        log.line("12:00:02 progress on stdout error: not a candidate", false);

        assertThat(log.errorLine())
                .isEqualTo("Failed to launch guestfs (libguestfs: error: guestfs_launch failed.)");
        assertThat(log.file()).isEmpty();
    }

    @Test
    void aPythonTracebackIsReportedByItsExceptionLineNotByTheAdviceAfterIt() {
        // what the real hyper2kvm 0.0.2 printed when libguestfs could not start its appliance
        ConverterLog log = ConverterLog.inMemory();
        log.line("Traceback (most recent call last):", true);
        log.line(
                "  File \"/usr/lib/python3/dist-packages/guestfs.py\", line 6171, in launch", true);
        log.line("RuntimeError: guestfs_launch failed.", true);
        log.line("This usually means the libguestfs appliance failed to start or crashed.", true);
        log.line("into a bug report or message to the libguestfs mailing list.", true);

        assertThat(log.errorLine()).isEqualTo("RuntimeError: guestfs_launch failed.");
    }

    @Test
    void converterDyingMidJobLeavesNoHalfWrittenImage() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        PipelineResult r =
                executor()
                        .environment("STANDIN_DIE_MID_JOB", "1")
                        .build()
                        .execute(
                                m,
                                tmp.resolve("m.json"),
                                settings().build(),
                                ProgressListener.NONE,
                                Cancellation.none());
        assertThat(r.outcome()).isInstanceOf(ConversionOutcome.Failed.class);
        assertThat(((ConversionOutcome.Failed) r.outcome()).message())
                .startsWith("hyper2kvm exited with status 137");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .noneMatch(
                            n ->
                                    n.endsWith(".qcow2")
                                            || n.endsWith(".part")
                                            || n.startsWith(".hyper2kvm-work"));
        }
    }

    @Test
    void convertedVmIsDefinedInLibvirtWithEveryDisk() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        org.libvirt.Connect keepAlive = new org.libvirt.Connect("test:///default");
        try {
            PipelineResult r =
                    executor()
                            .build()
                            .execute(
                                    m,
                                    tmp.resolve("m.json"),
                                    settings()
                                            .libvirt(
                                                    io.hypersdk.core.settings.LibvirtSettings
                                                            .builder()
                                                            .enabled(true)
                                                            .uri("test:///default")
                                                            .autostart(true)
                                                            .build())
                                            .build(),
                                    ProgressListener.NONE,
                                    Cancellation.none());
            assertThat(r.outcome()).isEqualTo(new ConversionOutcome.Converted());
            assertThat(r.libvirtDomain()).contains("web-01");
            org.libvirt.Domain d = keepAlive.domainLookupByName("web-01");
            String xml = d.getXMLDesc(0);
            for (Path image : r.outputImages()) {
                assertThat(xml).contains(image.toString());
            }
            assertThat(d.getAutostart()).isTrue();
            d.undefine();
        } finally {
            keepAlive.close();
        }
    }

    @Test
    @Timeout(
            value = 60,
            unit = TimeUnit.SECONDS) // the converter hangs forever: only the 2 s timeout ends it
    void hangingConverterTimesOutAndItsWholeProcessTreeIsGone() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        List<Long> children = new CopyOnWriteArrayList<>();
        PipelineResult r =
                executor()
                        .environment("STANDIN_HANG", "1")
                        .build()
                        .execute(
                                m,
                                tmp.resolve("m.json"),
                                settings().timeout(Duration.ofSeconds(2)).build(),
                                childPids(children),
                                Cancellation.none());

        assertThat(r.outcome()).isInstanceOf(ConversionOutcome.TimedOut.class);
        ConversionOutcome.TimedOut t = (ConversionOutcome.TimedOut) r.outcome();
        assertThat(t.after()).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(t.claimed()).isFalse();
        assertThat(children).hasSize(1);
        assertThat(Processes.running(children.get(0)))
                .as("the converter's child process %d", children.get(0))
                .isFalse();
    }

    @Test
    @Timeout(
            value = 60,
            unit = TimeUnit.SECONDS) // the converter hangs forever: only the cancel ends it
    void cancellationFromAnotherThreadKillsTheConverter() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        List<Long> children = new CopyOnWriteArrayList<>();
        Cancellation cancel = Cancellation.create();
        ProgressListener pids = childPids(children);
        java.util.concurrent.atomic.AtomicBoolean asked =
                new java.util.concurrent.atomic.AtomicBoolean();
        ProgressListener listener =
                e -> {
                    pids.onEvent(e);
                    if (!children.isEmpty() && asked.compareAndSet(false, true)) {
                        new Thread(cancel::cancel)
                                .start(); // from another thread, while the converter hangs
                    }
                };
        PipelineResult r =
                executor()
                        .environment("STANDIN_HANG", "1")
                        .build()
                        .execute(m, tmp.resolve("m.json"), settings().build(), listener, cancel);

        assertThat(r.outcome()).isEqualTo(new ConversionOutcome.Cancelled(false));
        assertThat(Processes.running(children.get(0))).isFalse();
    }

    @Test
    void fiftyMegabytesOfOutputAndAHugeLineDoNotDeadlock() throws Exception {
        Path boot = Disks.create(tmp.resolve("vm.vmdk"), "vmdk", 1, 0x44);
        ArtifactManifest m =
                Disks.manifest("chatty", List.of(Disks.disk("disk-0", boot, DiskFormat.VMDK, 0)));
        AtomicLong stdoutBytes = new AtomicLong();
        AtomicLong stdoutLines = new AtomicLong();
        ProgressListener count =
                e -> {
                    if (e instanceof ConverterOutput o
                            && o.stream() == ConverterOutput.OutputStream.STDOUT) {
                        stdoutLines.incrementAndGet();
                        stdoutBytes.addAndGet(o.line().length() + 1);
                    }
                };
        PipelineResult r =
                executor()
                        .environment("STANDIN_STDOUT_BYTES", Integer.toString(50 << 20))
                        .environment("STANDIN_LONG_LINE_BYTES", Integer.toString(4 << 20))
                        .build()
                        .execute(
                                m,
                                tmp.resolve("m.json"),
                                settings().timeout(Duration.ofSeconds(120)).build(),
                                count,
                                Cancellation.none());

        assertThat(r.outcome()).isEqualTo(new ConversionOutcome.Converted());
        assertThat(stdoutBytes.get()).isGreaterThanOrEqualTo((50L << 20) + (4L << 20));
        assertThat(stdoutLines.get()).isGreaterThan(500_000);
        assertThat(Disks.identical(boot, "vmdk", r.outputImages().get(0), "qcow2")).isTrue();
    }

    @Test
    void qemuImgConverterConvertsEveryDiskAndNeverRunsHyper2kvm() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        Path argsLog = tmp.resolve("args.log");
        PipelineResult r =
                executor()
                        .environment("STANDIN_ARGS_LOG", argsLog.toString())
                        .build()
                        .execute(
                                m,
                                tmp.resolve("m.json"),
                                settings()
                                        .converter(Converter.QEMU_IMG)
                                        .hyper2kvmPath(Optional.empty())
                                        .build(),
                                ProgressListener.NONE,
                                Cancellation.none());

        assertThat(r.mode()).isEqualTo(ConversionMode.QEMU_IMG);
        assertThat(r.modeReason()).contains("converter qemu-img");
        assertThat(r.outcome().succeeded()).isTrue();
        assertThat(r.outputImages()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            String fmt = i == 2 ? "raw" : "vmdk";
            assertThat(
                            Disks.identical(
                                    m.disks().get(i).localPath(),
                                    fmt,
                                    r.outputImages().get(i),
                                    "qcow2"))
                    .isTrue();
        }
        assertThat(argsLog).doesNotExist();
    }

    @Test
    void hyper2kvmIsNeverSilentlyReplacedByQemuImg() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        assertThatThrownBy(
                        () ->
                                executor()
                                        .searchPath(tmp.toString())
                                        .build()
                                        .execute(
                                                m,
                                                tmp.resolve("m.json"),
                                                settings().hyper2kvmPath(Optional.empty()).build(),
                                                ProgressListener.NONE,
                                                Cancellation.none()))
                .isInstanceOf(Hyper2KvmNotFoundException.class)
                .hasMessageContaining("no hyper2kvm_path configured")
                .hasMessageContaining("PATH " + tmp)
                .satisfies(
                        e ->
                                assertThat(((Hyper2KvmNotFoundException) e).text().settings())
                                        .containsExactly(
                                                Setting.HYPER2KVM_PATH, Setting.CONVERTER));
        assertThat(tmp.resolve("web-01-disk-0.qcow2")).doesNotExist();
    }

    @Test
    void aDirectoryIsNotAHyper2kvmBinary() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        Path dir = Files.createDirectories(tmp.resolve("hyper2kvm"));
        assertThatThrownBy(
                        () ->
                                executor()
                                        .searchPath(tmp.toString())
                                        .build()
                                        .execute(
                                                m,
                                                tmp.resolve("m.json"),
                                                settings().hyper2kvmPath(dir).build(),
                                                ProgressListener.NONE,
                                                Cancellation.none()))
                .isInstanceOf(Hyper2KvmNotFoundException.class)
                .hasMessageContaining(dir + " is a directory, not a program")
                .hasMessageContaining("PATH " + tmp);
        // and on PATH a directory called hyper2kvm is skipped as well
        assertThatThrownBy(
                        () ->
                                executor()
                                        .searchPath(tmp.toString())
                                        .build()
                                        .execute(
                                                m,
                                                tmp.resolve("m.json"),
                                                settings().hyper2kvmPath(Optional.empty()).build(),
                                                ProgressListener.NONE,
                                                Cancellation.none()))
                .isInstanceOf(Hyper2KvmNotFoundException.class);
    }

    @Test
    void hyper2kvmIsFoundOnThePath() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        String path = StandIn.executable().getParent() + ":" + System.getenv("PATH");
        PipelineResult r =
                executor()
                        .searchPath(path)
                        .build()
                        .execute(
                                m,
                                tmp.resolve("m.json"),
                                settings().hyper2kvmPath(Optional.empty()).build(),
                                ProgressListener.NONE,
                                Cancellation.none());
        assertThat(r.outcome().succeeded()).isTrue();
    }

    @Test
    void existingImagesAreNeverOverwritten() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        Files.writeString(tmp.resolve("web-01-disk-1.qcow2"), "precious");
        assertThatThrownBy(
                        () ->
                                executor()
                                        .build()
                                        .execute(
                                                m,
                                                tmp.resolve("m.json"),
                                                settings().build(),
                                                ProgressListener.NONE,
                                                Cancellation.none()))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining(tmp.resolve("web-01-disk-1.qcow2") + " already exists");
        assertThat(Files.readString(tmp.resolve("web-01-disk-1.qcow2"))).isEqualTo("precious");
        assertThat(tmp.resolve("web-01-disk-0.qcow2")).doesNotExist();
    }

    @Test
    void aMissingDiskIsNamedBeforeAnythingRuns() throws Exception {
        ArtifactManifest m = threeDisks(tmp);
        Files.delete(m.disks().get(1).localPath());
        assertThatThrownBy(
                        () ->
                                executor()
                                        .build()
                                        .execute(
                                                m,
                                                tmp.resolve("m.json"),
                                                settings().build(),
                                                ProgressListener.NONE,
                                                Cancellation.none()))
                .isInstanceOf(PreflightException.class)
                .hasMessageContaining("disk-1 (" + m.disks().get(1).localPath() + ")")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aRelativeOutputDirectoryResolvesAgainstTheManifestDirectory() throws Exception {
        Path exportDir = Files.createDirectories(tmp.resolve("export"));
        Path boot = Disks.create(exportDir.resolve("d0.vmdk"), "vmdk", 1, 0x55);
        ArtifactManifest m =
                Disks.manifest("rel", List.of(Disks.disk("disk-0", boot, DiskFormat.VMDK, 0)))
                        .toBuilder()
                        .output(
                                new io.hypersdk.core.manifest.OutputSpec(
                                        Optional.of(Path.of("out")),
                                        Optional.empty(),
                                        Optional.empty()))
                        .build();
        PipelineResult r =
                executor()
                        .build()
                        .execute(
                                m,
                                exportDir.resolve("artifact-manifest.json"),
                                settings().build(),
                                ProgressListener.NONE,
                                Cancellation.none());
        assertThat(r.outputImages()).containsExactly(exportDir.resolve("out/rel-disk-0.qcow2"));
        assertThat(Disks.identical(boot, "vmdk", r.outputImages().get(0), "qcow2")).isTrue();
    }

    private static final Pattern HANG = Pattern.compile("hang: child pid (\\d+)");

    private static ProgressListener childPids(List<Long> into) {
        return (ProgressEvent e) -> {
            if (e instanceof ConverterOutput o) {
                Matcher mt = HANG.matcher(o.line());
                if (mt.find()) {
                    into.add(Long.parseLong(mt.group(1)));
                }
            } else if (e instanceof Notice n) {
                assertThat(n.message()).isNotEmpty();
            }
        };
    }
}
