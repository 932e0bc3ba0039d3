package io.hypersdk.provider.hyperv;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.TransferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export: a running VM gets a checkpoint (removed after the transfer, also on failure);
 * Export-VM (or Export-VMSnapshot) writes to a staging directory on the host, or with {@code
 * method=copy} ({@link DiskCopy}) each disk chain is read in place, differencing chains merged into
 * staging; the virtual disks travel over SFTP or SMB, the staging copy is removed unless kept, and
 * the manifest is written.
 */
final class HypervExporter {
    private static final Logger LOG = LoggerFactory.getLogger(HypervExporter.class);

    private final PowerShellHost host;
    private final Clock clock;

    HypervExporter(PowerShellHost host, Clock clock) {
        this.host = host;
        this.clock = clock;
    }

    HypervVm describe(String vm) {
        return HypervInventory.describe(host.run(Scripts.DESCRIBE, Map.of("vm", vm)));
    }

    ExportResult export(
            ExportRequest request, ProgressListener listener, Cancellation cancellation) {
        HypervSettings settings = host.settings();
        Instant started = clock.instant();
        listener.onEvent(new PhaseChanged(Phase.EXPORT, "reading " + request.vm()));
        HypervVm vm = describe(request.vm());
        boolean fromCheckpoint = vm.power() != PowerState.OFF;
        if (fromCheckpoint && !settings.checkpoint()) {
            throw new InvalidSourceException(
                    "Hyper-V VM "
                            + vm.name()
                            + " is "
                            + vm.stateName()
                            + "; shut it down (Stop-VM), or export it from a checkpoint with --provider-option checkpoint=true");
        }
        if (settings.method() == HypervSettings.Method.EXPORT && !fromCheckpoint) {
            vm.disks().stream()
                    .filter(d -> d.parentPath().isPresent())
                    .findFirst()
                    .ifPresent(
                            d -> {
                                throw new InvalidSourceException(
                                        "disk "
                                                + d.path()
                                                + " of Hyper-V VM "
                                                + vm.name()
                                                + " is a differencing disk (parent "
                                                + d.parentPath().get()
                                                + "); Export-VM would copy the chain as it is, which qemu cannot read: "
                                                + "use --provider-option method=copy, which merges it on the host with Convert-VHD");
                            });
        }
        Path out = request.outputDirectory();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new ExportException(
                    "cannot create output directory "
                            + out
                            + ": "
                            + e.getMessage()
                            + "; check its parent's permissions",
                    e);
        }
        String staging =
                settings.stagingRoot()
                        + "\\hypersdk-"
                        + request.jobId()
                                .map(Object::toString)
                                .orElse(UUID.randomUUID().toString());
        Optional<String> checkpoint = Optional.empty();
        List<DiskDownloads.Fetched> fetched;
        Staged staged;
        boolean stagingUsed = false;
        try {
            if (fromCheckpoint) {
                listener.onEvent(
                        new PhaseChanged(
                                Phase.EXPORT,
                                vm.name() + " is " + vm.stateName() + ": taking a checkpoint"));
                JsonNode cp =
                        host.run(
                                Scripts.CHECKPOINT,
                                Map.of(
                                        "vm",
                                        vm.id(),
                                        "name",
                                        "hypersdk-export-" + UUID.randomUUID()));
                checkpoint = Optional.of(cp.path("Id").asText());
            }
            // the checkpoint's files must not change until they are read: it goes after the
            // transfer
            try {
                stagingUsed = true;
                staged =
                        settings.method() == HypervSettings.Method.COPY
                                ? DiskCopy.stage(
                                        host,
                                        vm,
                                        checkpoint,
                                        staging,
                                        settings.transfer() == HypervSettings.Transfer.SMB,
                                        out,
                                        listener)
                                : exportVm(vm, checkpoint, staging, out, listener);
                cancellation.throwIfCancelled();
                listener.onEvent(
                        new PhaseChanged(
                                Phase.EXPORT,
                                "copying "
                                        + staged.plan().size()
                                        + " disk(s) of "
                                        + vm.name()
                                        + " over "
                                        + settings.transfer().name().toLowerCase(Locale.ROOT)));
                Supplier<RemoteFiles> opener =
                        settings.transfer() == HypervSettings.Transfer.SMB
                                ? () -> new SmbFiles(settings)
                                : () -> {
                                    try {
                                        return new SftpFiles(host);
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                };
                fetched =
                        DiskDownloads.fetch(
                                staged.plan(), request.parallel(), opener, listener, cancellation);
            } finally {
                if (checkpoint.isPresent()) {
                    removeCheckpoint(vm, checkpoint.get(), listener);
                }
            }
        } catch (UncheckedIOException e) {
            throw new TransferException(
                    "cannot open an SFTP channel to "
                            + settings.hostPort()
                            + ": "
                            + e.getCause().getMessage()
                            + "; check that the host's sshd has the sftp subsystem",
                    e);
        } finally {
            if (stagingUsed && !settings.keepStaging()) {
                removeStaging(staging);
            }
        }

        List<HypervManifests.ExportedDisk> disks = new ArrayList<>();
        for (int i = 0; i < fetched.size(); i++) {
            disks.add(new HypervManifests.ExportedDisk(fetched.get(i), staged.disks().get(i)));
        }
        String method =
                settings.method() == HypervSettings.Method.COPY
                        ? "copy-vhd"
                        : fromCheckpoint ? "export-vmsnapshot" : "export-vm";
        ArtifactManifest manifest =
                HypervManifests.manifest(
                        vm,
                        disks,
                        request,
                        settings.hostPort(),
                        method,
                        fromCheckpoint,
                        staged.notes(),
                        started,
                        clock.instant());
        ManifestValidator.requireValid(manifest, ValidationOptions.withDiskFiles());
        Path manifestPath = out.resolve(ExportResult.MANIFEST_FILE_NAME);
        ManifestCodec.write(manifest, manifestPath);
        List<Path> written = fetched.stream().map(DiskDownloads.Fetched::path).toList();
        long bytes = fetched.stream().mapToLong(DiskDownloads.Fetched::bytes).sum();
        listener.onEvent(new PhaseChanged(Phase.EXPORT, "exported " + vm.name() + " to " + out));
        return new ExportResult(
                manifest, manifestPath, written, bytes, Duration.between(started, clock.instant()));
    }

    /**
     * What goes over the wire: the files in the VM's boot order, the VM disk each one is (empty
     * when none matches), and notes for the manifest.
     */
    record Staged(
            List<DiskDownloads.Planned> plan,
            List<Optional<HypervVm.Disk>> disks,
            List<String> notes) {
        Staged {
            plan = List.copyOf(plan);
            disks = List.copyOf(disks);
            notes = List.copyOf(notes);
        }
    }

    /** {@code method=export}: Export-VM (or Export-VMSnapshot) into {@code staging}. */
    private Staged exportVm(
            HypervVm vm,
            Optional<String> checkpoint,
            String staging,
            Path out,
            ProgressListener listener) {
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT,
                        "exporting " + vm.name() + " to " + staging + " on the host"));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("vm", vm.id());
        p.put("path", staging);
        p.put("checkpoint", checkpoint.orElse(""));
        JsonNode files = host.run(Scripts.EXPORT, p);
        List<DiskDownloads.Planned> plan = plan(vm, HypervInventory.elements(files), out);
        return new Staged(
                plan, plan.stream().map(x -> matching(vm, x.windowsPath())).toList(), List.of());
    }

    /**
     * The exported virtual disks in the VM's boot order (unknown files last), each going to {@code
     * <out>/<vm>-disk-<i>.<ext>}.
     */
    static List<DiskDownloads.Planned> plan(HypervVm vm, List<JsonNode> files, Path out) {
        if (files.isEmpty()) {
            throw new InvalidSourceException(
                    "Export-VM of "
                            + vm.name()
                            + " wrote no virtual disk; "
                            + "check that the VM has VHD/VHDX disks (pass-through disks cannot be exported)");
        }
        List<JsonNode> ordered = new ArrayList<>();
        Set<JsonNode> used = new HashSet<>();
        for (HypervVm.Disk d : vm.disks()) {
            for (JsonNode f : files) {
                if (!used.contains(f) && f.path("Name").asText().equalsIgnoreCase(d.fileName())) {
                    ordered.add(f);
                    used.add(f);
                    break;
                }
            }
        }
        files.stream().filter(f -> !used.contains(f)).forEach(ordered::add);
        String base = VmNames.forFileName(vm.name());
        List<DiskDownloads.Planned> plan = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            JsonNode f = ordered.get(i);
            String name = f.path("Name").asText().toLowerCase(Locale.ROOT);
            String ext = name.endsWith(".vhd") || name.endsWith(".avhd") ? "vhd" : "vhdx";
            plan.add(
                    new DiskDownloads.Planned(
                            f.path("FullName").asText(),
                            f.path("Length").asLong(),
                            out.resolve(base + "-disk-" + i + "." + ext)));
        }
        return plan;
    }

    private static Optional<HypervVm.Disk> matching(HypervVm vm, String windowsPath) {
        String name = windowsPath.substring(windowsPath.lastIndexOf('\\') + 1);
        return vm.disks().stream().filter(d -> d.fileName().equalsIgnoreCase(name)).findFirst();
    }

    private void removeCheckpoint(HypervVm vm, String id, ProgressListener listener) {
        try {
            host.run(Scripts.REMOVE_CHECKPOINT, Map.of("vm", vm.id(), "checkpoint", id));
            listener.onEvent(
                    new PhaseChanged(
                            Phase.EXPORT, "removed checkpoint " + id + " of " + vm.name()));
        } catch (ExportException e) {
            LOG.warn(
                    "could not remove checkpoint {} of Hyper-V VM {}: {}; remove it with Remove-VMSnapshot",
                    id,
                    vm.name(),
                    e.getMessage());
        }
    }

    private void removeStaging(String staging) {
        try {
            host.run(Scripts.REMOVE_STAGING, Map.of("path", staging));
        } catch (ExportException e) {
            LOG.warn(
                    "could not remove the staging copy {} on the Hyper-V host: {}; remove it by hand",
                    staging,
                    e.getMessage());
        }
    }
}
