package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.OutputSpec;
import io.hypersdk.core.manifest.PipelineStages;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.settings.PipelineSettings;
import io.hypersdk.pipeline.ConversionExitCodes;
import io.hypersdk.pipeline.ConversionMode;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.PipelineExecutor;
import io.hypersdk.pipeline.PipelineResult;
import io.hypersdk.provider.spi.ExportDirectory;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.ManifestTemplate;
import io.hypersdk.provider.spi.PreviousFile;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmDisk;
import io.hypersdk.provider.spi.VmSummary;
import io.hypersdk.systemd.SystemdClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * One run of the command: look the provider up, connect, (ask the wizard,) then for each VM export,
 * optionally verify the manifest, convert, and report. Composition only: every step is a library
 * call.
 */
final class ExportSession {
    private final Invocation invocation;
    private final HyperExportCommand cmd;
    private final CommandSpec spec;
    private final Io streams;
    private final Cancellation cancellation;

    ExportSession(Invocation invocation, CommandSpec spec, Io io, Cancellation cancellation) {
        this.invocation = invocation;
        this.cmd = invocation.cmd;
        this.spec = spec;
        this.streams = io;
        this.cancellation = cancellation;
    }

    int run() {
        // 1. everything that can be checked without touching anything
        PipelineSettings settings = Settings.pipeline(cmd, spec);
        String providerId = cmd.source.provider;
        ExportProvider provider =
                BundledProviders.find(providerId)
                        .orElseThrow(
                                () ->
                                        new ParameterException(
                                                spec.commandLine(),
                                                "unknown provider '"
                                                        + providerId
                                                        + "': available providers are "
                                                        + String.join(
                                                                ", ", ExportProviders.ids())));
        ProviderConfig config =
                ProviderConfigs.from(cmd.source.providerOptions, streams.env(), spec);
        List<String> vms = new ArrayList<>(invocation.vms());
        boolean perVmDirs = invocation.batch() || cmd.source.interactive;
        if (!cmd.source.interactive) {
            checkOutputs(perVmDirs);
        } else if (!streams.stdinIsTerminal()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--interactive needs a terminal on standard input: run it in a terminal, or name the VMs with --vm or --batch");
        }

        // 2. connect; the wizard needs the VM list
        List<VmOutcome> outcomes = new ArrayList<>();
        try (ProviderSession session = connect(provider, config)) {
            if (cmd.source.interactive) {
                Optional<List<String>> chosen = runWizard(session);
                if (chosen.isEmpty()) {
                    streams.err()
                            .println("hyperexport: cancelled in the wizard; nothing was exported");
                    return ExitCodes.CANCELLED;
                }
                vms = chosen.get();
                settings = Settings.pipeline(cmd, spec);
                checkOutputs(true);
            }
            Results results = new Results(cmd, streams);
            for (String vm : vms) {
                if (cancellation.isCancelled()) {
                    outcomes.add(
                            new VmOutcome(
                                    vm,
                                    directoryFor(vm, perVmDirs, Optional.empty()),
                                    ExitCodes.CANCELLED,
                                    Optional.of("cancelled before it started"),
                                    Optional.empty(),
                                    Optional.empty(),
                                    Optional.empty(),
                                    false,
                                    Optional.empty(),
                                    Optional.empty()));
                    continue;
                }
                VmOutcome o = exportOne(session, vm, perVmDirs, settings);
                outcomes.add(o);
                results.printOne(o);
            }
            return results.finish(outcomes, invocation.batch() || vms.size() > 1);
        }
    }

    private ProviderSession connect(ExportProvider provider, ProviderConfig config) {
        progressFor(provider.id()).phase("connect", provider.description());
        try {
            return provider.connect(config);
        } catch (RuntimeException e) {
            throw ExitCodeMapper.asFailure(
                    e, "cannot connect with provider '" + provider.id() + "'");
        }
    }

    private void checkOutputs(boolean perVmDirs) {
        if (perVmDirs || cmd.export.output().isPresent()) {
            Path dir =
                    perVmDirs
                            ? cmd.export.output().orElse(Path.of("."))
                            : cmd.export.output().get();
            OutputDirs.problem(dir)
                    .ifPresent(
                            p -> {
                                throw new ParameterException(
                                        spec.commandLine(), "--output " + dir + ": " + p);
                            });
        }
    }

    private Path directoryFor(String vm, boolean perVmDirs, Optional<String> vmName) {
        String name = vmName.orElse(vm);
        if (perVmDirs) {
            return cmd.export
                    .output()
                    .orElse(Path.of("."))
                    .resolve(VmNames.forFileName(name, VmNames.budget()))
                    .toAbsolutePath()
                    .normalize();
        }
        return cmd.export
                .output()
                .orElse(Path.of("export-" + VmNames.forFileName(name, VmNames.budget("export-"))))
                .toAbsolutePath()
                .normalize();
    }

    private VmOutcome exportOne(
            ProviderSession session, String vm, boolean perVmDirs, PipelineSettings settings) {
        Path dir = directoryFor(vm, perVmDirs, Optional.empty());
        ProgressSink sink = ProgressSink.NONE;
        ProgressListener listener = ProgressListener.NONE;
        Optional<ExportResult> export = Optional.empty();
        Optional<Path> manifestPath = Optional.empty();
        Optional<VmDescription> described = Optional.empty();
        boolean dirExisted = true;
        try {
            VmDescription description = session.describe(vm);
            described = Optional.of(description);
            sink = progressFor(description.name());
            listener = ProgressEvents.to(sink);
            dir = directoryFor(vm, perVmDirs, Optional.of(description.name()));
            if (cmd.export.output().isEmpty() || perVmDirs) {
                Path d = dir;
                OutputDirs.problem(d)
                        .ifPresent(
                                p -> {
                                    throw new CliFailure(
                                            ExitCodes.USAGE, "output directory " + d + ": " + p);
                                });
            }
            ExportDirectory before = ExportDirectory.of(dir, description.name());
            if (!cmd.export.overwrite && before == ExportDirectory.FOREIGN) {
                throw new CliFailure(
                        ExitCodes.USAGE,
                        "output directory "
                                + dir
                                + " is not empty and is not a previous export of "
                                + description.name()
                                + ": choose an empty or new directory, or pass --overwrite to write over its files");
            }
            if (cmd.export.dryRun) {
                return new VmOutcome(
                        vm,
                        dir,
                        ExitCodes.SUCCESS,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        true,
                        Optional.of(description),
                        Optional.of(settings));
            }
            if (cmd.pipeline.pipeline) {
                // everything the conversion needs is checked before a byte is downloaded
                if (settings.libvirt().enabled()) {
                    LibvirtQuiet.install();
                }
                long declared = description.disks().stream().mapToLong(VmDisk::capacityBytes).sum();
                PipelineExecutor executor = executor();
                executor.preflight(settings, dir, declared);
                Path previous = dir.resolve(ExportResult.MANIFEST_FILE_NAME);
                if (settings.hyper2kvm().remote() && before == ExportDirectory.PREVIOUS_EXPORT) {
                    // the same export again: its job in the shared spool is waited for, not redone
                    ArtifactManifest previousManifest = ManifestCodec.read(previous);
                    if (executor.pendingRemoteJob(previousManifest, previous, settings)
                            .isPresent()) {
                        PipelineResult pr =
                                executor.execute(
                                        previousManifest,
                                        previous,
                                        settings,
                                        listener,
                                        cancellation);
                        sink.close();
                        return converted(
                                vm,
                                dir,
                                pr,
                                Optional.empty(),
                                Optional.of(previous),
                                described,
                                settings);
                    }
                }
                if (!cmd.export.overwrite && before == ExportDirectory.PREVIOUS_EXPORT) {
                    List<Path> images =
                            executor.existingImages(
                                    ManifestCodec.read(previous), previous, settings);
                    if (!images.isEmpty()) {
                        throw new CliFailure(
                                ExitCodes.USAGE,
                                "converted image "
                                        + images.get(0)
                                        + " from a previous run exists"
                                        + (images.size() > 1
                                                ? " (and " + (images.size() - 1) + " more)"
                                                : "")
                                        + ": pass --overwrite to replace it, or choose another output directory");
                    }
                }
            }
            dirExisted = Files.exists(dir);
            JobId jobId = JobId.generate();
            ExportRequest request =
                    ExportRequest.builder(vm, dir)
                            .format(cmd.export.format)
                            .parallel(cmd.export.parallel)
                            .connectionsPerFile(cmd.export.connectionsPerFile)
                            .checksums(cmd.manifest.manifestChecksum)
                            .jobId(jobId)
                            .manifest(template(dir, settings))
                            .previousFiles(previousFiles(dir, before))
                            .leaveDisksInArchive(readsDisksInPlace(settings))
                            .build();
            ExportResult result = session.export(request, listener, cancellation);
            export = Optional.of(result);
            manifestPath = Optional.of(result.manifestPath());
            boolean keepManifest =
                    cmd.manifest.manifest || cmd.manifest.verifyManifest || cmd.pipeline.pipeline;
            if (!keepManifest) {
                Files.deleteIfExists(result.manifestPath());
                manifestPath = Optional.empty();
            }
            if (cmd.manifest.verifyManifest) {
                verify(result.manifestPath());
            }
            if (!cmd.pipeline.pipeline) {
                sink.close();
                return new VmOutcome(
                        vm,
                        dir,
                        ExitCodes.SUCCESS,
                        Optional.empty(),
                        export,
                        manifestPath,
                        Optional.empty(),
                        false,
                        described,
                        Optional.empty());
            }
            if (settings.libvirt().enabled()) {
                LibvirtQuiet.install();
            }
            PipelineResult pr =
                    executor()
                            .execute(
                                    result.manifest(),
                                    result.manifestPath(),
                                    settings,
                                    listener,
                                    cancellation,
                                    result.inArchive());
            sink.close();
            return converted(vm, dir, pr, export, manifestPath, described, settings);
        } catch (IOException e) {
            sink.close();
            removeIfCreatedAndEmpty(dir, dirExisted);
            return failed(
                    vm,
                    dir,
                    ExitCodes.EXPORT_FAILED,
                    "cannot remove the manifest " + e.getMessage(),
                    export,
                    manifestPath,
                    described);
        } catch (RuntimeException e) {
            sink.close();
            int code =
                    export.isPresent()
                                    && cmd.pipeline.pipeline
                                    && !(e instanceof CancelledException)
                            ? ExitCodeMapper.codeForPipeline(e)
                            : ExitCodeMapper.codeFor(e);
            if (code == ExitCodes.INTERNAL && !(e instanceof CliFailure)) {
                throw e;
            }
            String message = ExitCodeMapper.oneLine(e);
            if (code == ExitCodes.CANCELLED && export.isEmpty()) {
                message += "; " + KeptFiles.describe(dir);
            }
            removeIfCreatedAndEmpty(dir, dirExisted);
            return failed(vm, dir, code, message, export, manifestPath, described);
        }
    }

    /**
     * Whether the provider may leave disks in their source archive (zero-copy): only when qemu-img
     * converts them and nothing asks for the export files themselves (hyper2kvm, an OVA export,
     * {@code --verify-manifest}, {@code --keep-export-files}).
     */
    private boolean readsDisksInPlace(PipelineSettings settings) {
        return cmd.pipeline.pipeline
                && settings.converter() == io.hypersdk.core.settings.Converter.QEMU_IMG
                && cmd.export.format == io.hypersdk.provider.spi.ExportFormat.OVF
                && !cmd.pipeline.keepExportFiles
                && !cmd.manifest.verifyManifest;
    }

    /**
     * The disks a previous export of the same VM left in {@code dir}, which the provider keeps when
     * they are unchanged (the resume rule); none for any other directory.
     */
    private static java.util.Map<String, PreviousFile> previousFiles(
            Path dir, ExportDirectory before) {
        if (before != ExportDirectory.PREVIOUS_EXPORT) {
            return java.util.Map.of();
        }
        return PreviousFile.of(
                ManifestCodec.read(dir.resolve(ExportResult.MANIFEST_FILE_NAME)), dir);
    }

    /** A failed run leaves no empty output directory behind that it created itself. */
    private static void removeIfCreatedAndEmpty(Path dir, boolean existedBefore) {
        if (existedBefore || !Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // left in place: it is empty or holds what the export kept, and the message says which
        }
    }

    /** The VM's outcome once the pipeline ran: its exit code and message come from the outcome. */
    private static VmOutcome converted(
            String vm,
            Path dir,
            PipelineResult pr,
            Optional<ExportResult> export,
            Optional<Path> manifest,
            Optional<VmDescription> described,
            PipelineSettings settings) {
        return new VmOutcome(
                vm,
                dir,
                ConversionExitCodes.of(pr.outcome()),
                messageFor(pr.outcome(), pr.mode()),
                export,
                manifest,
                Optional.of(pr),
                false,
                described,
                Optional.of(settings));
    }

    private static VmOutcome failed(
            String vm,
            Path dir,
            int code,
            String message,
            Optional<ExportResult> export,
            Optional<Path> manifest,
            Optional<VmDescription> described) {
        return new VmOutcome(
                vm,
                dir,
                code,
                Optional.of(message),
                export,
                manifest,
                Optional.empty(),
                false,
                described,
                Optional.empty());
    }

    /** The executor, finding hyper2kvm, qemu-img and systemctl on this command's PATH. */
    private PipelineExecutor executor() {
        String path = streams.env().getOrDefault("PATH", "");
        PipelineExecutor.Builder b =
                PipelineExecutor.builder().searchPath(path).replaceImages(cmd.export.overwrite);
        onPath("systemctl", path)
                .ifPresent(p -> b.systemdClient(SystemdClient.builder().systemctl(p).build()));
        return streams.executor().apply(b).build();
    }

    static Optional<Path> onPath(String name, String path) {
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private ManifestTemplate template(Path dir, PipelineSettings settings) {
        ManifestTemplate.Builder t =
                ManifestTemplate.builder()
                        .output(OutputSpec.of(dir, settings.targetFormat().id()))
                        .tag("exported_by", "hyperexport");
        if (settings.enabled()) {
            t.pipeline(
                    PipelineStages.of(
                            settings.inspect(),
                            settings.fix(),
                            settings.convert(),
                            settings.validate(),
                            settings.compress(),
                            settings.compressLevel()));
            t.options(
                    new io.hypersdk.core.manifest.ManifestOptions(
                            settings.dryRun(),
                            1,
                            io.hypersdk.core.manifest.ManifestOptions.defaults().report()));
        }
        return t.build();
    }

    private void verify(Path manifestPath) {
        ArtifactManifest m = ManifestCodec.read(manifestPath);
        ValidationOptions options =
                cmd.manifest.manifestChecksum
                        ? ValidationOptions.withChecksums()
                        : ValidationOptions.withDiskFiles();
        ManifestValidator.requireValid(m, options);
    }

    private Optional<List<String>> runWizard(ProviderSession session) {
        List<Wizard.Vm> vms = wizardVms(session.listVms());
        try (JLinePrompter prompter = JLinePrompter.open()) {
            Optional<Wizard.Answers> answers =
                    new Wizard(prompter, vms, Wizard.Defaults.from(cmd)).run();
            answers.ifPresent(a -> a.applyTo(cmd));
            return answers.map(Wizard.Answers::vms);
        } catch (Prompter.Cancelled e) {
            return Optional.empty();
        }
    }

    /**
     * The VMs the wizard offers, each under what {@code --vm} accepts: its name, or, when several
     * VMs share that name (which {@code --vm} would refuse), its inventory path (else its id).
     */
    static List<Wizard.Vm> wizardVms(List<VmSummary> listed) {
        java.util.Map<String, Long> perName =
                listed.stream()
                        .collect(
                                java.util.stream.Collectors.groupingBy(
                                        VmSummary::name, java.util.stream.Collectors.counting()));
        List<Wizard.Vm> vms = new ArrayList<>();
        for (VmSummary s : listed) {
            String label = perName.get(s.name()) > 1 ? s.path().orElse(s.id()) : s.name();
            vms.add(
                    new Wizard.Vm(
                            label,
                            s.cpu(),
                            s.memoryBytes(),
                            0L,
                            s.powerState().name().toLowerCase(java.util.Locale.ROOT)));
        }
        return vms;
    }

    private ProgressSink progressFor(String vm) {
        if (cmd.output.quiet) {
            return ProgressSink.NONE;
        }
        return streams.errIsTerminal()
                ? new TerminalProgress(streams.err(), vm, System::nanoTime)
                : new PlainProgress(streams.err(), vm);
    }

    static Optional<String> messageFor(ConversionOutcome outcome, ConversionMode mode) {
        if (outcome instanceof ConversionOutcome.Failed f) {
            return Optional.of(ExitCodeMapper.message(f));
        }
        if (outcome instanceof ConversionOutcome.TimedOut t) {
            return Optional.of(
                    "conversion timed out after "
                            + Units.duration(t.after())
                            + (mode != ConversionMode.DAEMON
                                    ? ""
                                    : t.claimed()
                                            ? " (the daemon had claimed the job; it may still finish)"
                                            : " (the submission was withdrawn)")
                            + ": raise "
                            + (mode == ConversionMode.DAEMON
                                    ? "--hyper2kvm-daemon-timeout (minutes)"
                                    : "--pipeline-timeout")
                            + " if the conversion needs longer");
        }
        if (outcome instanceof ConversionOutcome.Cancelled c) {
            return Optional.of(
                    "conversion cancelled"
                            + (c.claimed()
                                    ? " (the daemon had already claimed the job)"
                                    : " (the submission was withdrawn)"));
        }
        return Optional.empty();
    }
}
