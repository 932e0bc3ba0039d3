package io.hypersdk.provider.aws;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskChecksums;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestMetadata;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.ManifestWarning;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.TransferException;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNic;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.DownloadedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Exports one instance by the configured method and writes the Artifact Manifest the way every
 * provider does (source, vm, disks boot disk first, nics, metadata, the caller's template).
 */
final class AwsExporter {
    static final String HYPERSDK_VERSION = "0.1.0";

    private final AwsClients aws;
    private final AwsSettings settings;
    private final AwsClients.Tuning tuning;
    private final DownloadEngine engine;
    private final Clock clock;

    AwsExporter(
            AwsClients aws,
            AwsSettings settings,
            AwsClients.Tuning tuning,
            DownloadEngine engine,
            Clock clock) {
        this.aws = aws;
        this.settings = settings;
        this.tuning = tuning;
        this.engine = engine;
        this.clock = clock;
    }

    /** One disk written into the output directory. */
    private record Written(
            Path path, long bytes, DiskFormat format, String label, Optional<String> checksum) {}

    ExportResult export(
            Ec2Inventory.Ec2Vm vm,
            ExportRequest request,
            ProgressListener listener,
            Cancellation cancellation) {
        Instant started = clock.instant();
        Path out = request.outputDirectory().toAbsolutePath().normalize();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new TransferException(
                    "cannot create the output directory " + out + ": " + e.getMessage(), e);
        }
        String base = io.hypersdk.core.naming.VmNames.forFileName(vm.description().name());
        List<Written> written = new ArrayList<>();
        List<ManifestWarning> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<Path> extraFiles = new ArrayList<>();
        if (vm.volumes().isEmpty()) {
            throw new ExportException(
                    "instance "
                            + vm.instance().instanceId()
                            + " has no EBS volume to export"
                            + " (instance-store root devices cannot be exported)");
        }
        if (settings.method() == ExportMethod.EBS_DIRECT) {
            written.addAll(ebsDirect(vm, request, out, base, listener, cancellation));
        } else {
            if (vm.volumes().size() > 1) {
                String m =
                        "export-task exports only the root volume "
                                + vm.volumes().get(0).volumeId()
                                + "; the data volumes "
                                + String.join(
                                        ", ",
                                        vm.volumes().subList(1, vm.volumes().size()).stream()
                                                .map(Ec2Inventory.Ec2Volume::volumeId)
                                                .toList())
                                + " are not exported: use --provider-option method=ebs-direct to export every volume";
                warnings.add(ManifestWarning.of("export", m));
                listener.onEvent(new Notice(Notice.Level.WARNING, m));
            }
            ExportTaskRun run =
                    new ExportTaskRun(
                            aws,
                            settings,
                            engine.withConnectionsPerFile(request.connectionsPerFile()));
            String label = vm.volumes().get(0).deviceName();
            if (settings.ova()) {
                ExportTaskRun.Exported[] exported = new ExportTaskRun.Exported[1];
                OvaContainer.Unpacked ova =
                        OvaContainer.export(
                                target -> exported[0] = run.run(vm, target, listener, cancellation),
                                out,
                                base,
                                request.checksums(),
                                settings.keepOva(),
                                listener,
                                cancellation);
                for (int i = 0; i < ova.disks().size(); i++) {
                    OvaContainer.Disk d = ova.disks().get(i);
                    written.add(
                            new Written(
                                    d.path(),
                                    d.bytes(),
                                    d.format(),
                                    i < vm.volumes().size()
                                            ? vm.volumes().get(i).deviceName()
                                            : "ova disk " + i,
                                    d.checksum()));
                }
                for (String m : OvaContainer.contradictions(vm, ova.ovf())) {
                    warnings.add(ManifestWarning.of("ova", m));
                    listener.onEvent(new Notice(Notice.Level.WARNING, m));
                }
                ova.ovf().guestOs().ifPresent(os -> notes.add("OVF guest OS type: " + os));
                ova.kept().ifPresent(extraFiles::add);
                run.cleanup(exported[0], listener);
            } else {
                DiskFormat format = settings.diskFormat();
                Path target = out.resolve(base + "-disk-0." + format.id());
                ExportTaskRun.Exported exported = run.run(vm, target, listener, cancellation);
                DownloadedFile f = exported.file();
                written.add(
                        new Written(
                                f.path(),
                                f.bytes(),
                                format,
                                label,
                                request.checksums()
                                        ? Optional.of(f.checksum())
                                        : Optional.empty()));
                run.cleanup(exported, listener);
            }
        }
        ArtifactManifest manifest = manifest(vm, written, warnings, notes, request, started);
        ManifestValidator.requireValid(manifest, ValidationOptions.withDiskFiles());
        Path manifestPath = out.resolve(ExportResult.MANIFEST_FILE_NAME);
        ManifestCodec.write(manifest, manifestPath);
        List<Path> files = new ArrayList<>(written.stream().map(Written::path).toList());
        files.addAll(extraFiles);
        long bytes = written.stream().mapToLong(Written::bytes).sum();
        for (Path f : extraFiles) {
            try {
                bytes += Files.size(f);
            } catch (IOException e) {
                throw new TransferException(
                        "cannot read the size of " + f + ": " + e.getMessage(), e);
            }
        }
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT, "exported " + vm.description().name() + " to " + out));
        return new ExportResult(
                manifest, manifestPath, files, bytes, Duration.between(started, clock.instant()));
    }

    private List<Written> ebsDirect(
            Ec2Inventory.Ec2Vm vm,
            ExportRequest request,
            Path out,
            String base,
            ProgressListener listener,
            Cancellation cancellation) {
        SnapshotLifecycle snapshots = new SnapshotLifecycle(aws.ec2, settings);
        String instanceId = vm.instance().instanceId();
        List<SnapshotLifecycle.SnapshotRef> refs;
        List<SnapshotLifecycle.SnapshotRef> created = List.of();
        if (settings.snapshotIds().isEmpty()) {
            listener.onEvent(new PhaseChanged(Phase.EXPORT, "creating snapshots of " + instanceId));
            String tag = request.jobId().map(Object::toString).orElse(UUID.randomUUID().toString());
            refs = snapshots.create(instanceId, tag);
            created = refs;
        } else {
            refs = snapshots.existing(settings.snapshotIds());
        }
        try {
            List<SnapshotLifecycle.SnapshotRef> ordered = inBootOrder(refs, vm);
            snapshots.awaitCompleted(ordered, listener, cancellation);
            SnapshotBlockReader reader =
                    new SnapshotBlockReader(
                            aws.ebs, settings.blockParallel(), tuning.blockAttempts());
            List<Written> out2 = new ArrayList<>();
            for (int i = 0; i < ordered.size(); i++) {
                SnapshotLifecycle.SnapshotRef s = ordered.get(i);
                Path target = out.resolve(base + "-disk-" + i + ".raw");
                listener.onEvent(
                        new PhaseChanged(
                                Phase.EXPORT,
                                "reading the written blocks of "
                                        + s.snapshotId()
                                        + " ("
                                        + s.volumeId()
                                        + ")"));
                SnapshotBlockReader.Result r =
                        reader.read(s.snapshotId(), target, listener, cancellation);
                listener.onEvent(
                        new Notice(
                                Notice.Level.INFO,
                                s.snapshotId()
                                        + ": "
                                        + r.blocks()
                                        + " written blocks, "
                                        + r.bytesTransferred()
                                        + " of "
                                        + r.volumeBytes()
                                        + " bytes transferred"));
                String label =
                        vm.volumes().stream()
                                .filter(v -> v.volumeId().equals(s.volumeId()))
                                .map(Ec2Inventory.Ec2Volume::deviceName)
                                .findFirst()
                                .orElse(s.volumeId());
                out2.add(
                        new Written(
                                target,
                                r.volumeBytes(),
                                DiskFormat.RAW,
                                label,
                                request.checksums()
                                        ? Optional.of(DiskChecksums.sha256(target))
                                        : Optional.empty()));
            }
            return out2;
        } finally {
            if (!created.isEmpty()) {
                if (settings.keepSnapshots()) {
                    listener.onEvent(
                            new Notice(
                                    Notice.Level.INFO,
                                    "kept snapshots "
                                            + String.join(
                                                    ", ",
                                                    created.stream()
                                                            .map(
                                                                    SnapshotLifecycle.SnapshotRef
                                                                            ::snapshotId)
                                                            .toList())
                                            + " (keep-snapshots=true)"));
                } else {
                    snapshots.delete(created, listener);
                }
            }
        }
    }

    /** The snapshots in the order of the instance's volumes (root first); unknown volumes last. */
    private static List<SnapshotLifecycle.SnapshotRef> inBootOrder(
            List<SnapshotLifecycle.SnapshotRef> refs, Ec2Inventory.Ec2Vm vm) {
        List<String> order = vm.volumes().stream().map(Ec2Inventory.Ec2Volume::volumeId).toList();
        List<SnapshotLifecycle.SnapshotRef> sorted = new ArrayList<>(refs);
        sorted.sort(
                java.util.Comparator.comparingInt(
                        r -> {
                            int i = order.indexOf(r.volumeId());
                            return i < 0 ? Integer.MAX_VALUE : i;
                        }));
        return sorted;
    }

    private ArtifactManifest manifest(
            Ec2Inventory.Ec2Vm vm,
            List<Written> disks,
            List<ManifestWarning> warnings,
            List<String> notes,
            ExportRequest request,
            Instant started) {
        VmDescription d = vm.description();
        ArtifactManifest.Builder b = ArtifactManifest.builder();
        b.source(
                ManifestSource.of("aws")
                        .withVmId(d.id())
                        .withVmName(d.name())
                        .withDatacenter(aws.region.id())
                        .withExportMethod(settings.method().id())
                        .withExportTimestamp(started));
        // whole GiB, rounded up as the other providers do: a VM never gets less memory than it had
        ManifestVm mvm =
                ManifestVm.of(
                        d.cpu(),
                        (int) Math.min(Integer.MAX_VALUE, (d.memoryBytes() + (1L << 30) - 1) >> 30),
                        d.firmware());
        if (d.guestOs().isPresent()) {
            mvm = mvm.withOsHint(d.osHint()).withOsVersion(d.guestOs().get());
        }
        b.vm(mvm);
        for (int i = 0; i < disks.size(); i++) {
            Written w = disks.get(i);
            DiskArtifact.Builder db =
                    DiskArtifact.builder()
                            .id("disk-" + i)
                            .sourceFormat(w.format())
                            .bytes(w.bytes())
                            .localPath(w.path())
                            .bootOrderHint(i)
                            .diskType(i == 0 ? DiskType.BOOT : DiskType.DATA)
                            .label(w.label());
            w.checksum().ifPresent(db::checksum);
            b.addDisk(db.build());
        }
        for (VmNic n : d.nics()) {
            b.addNic(new NicArtifact(n.id(), n.mac(), n.network()));
        }
        warnings.forEach(b::addWarning);
        b.addNote(
                "Exported from AWS EC2 ("
                        + aws.region.id()
                        + ") by hypersdk-java "
                        + HYPERSDK_VERSION);
        b.addNote(
                "Export method: "
                        + settings.method().id()
                        + (settings.ova()
                                ? " (container ova, unpacked by the local provider)"
                                : ""));
        notes.forEach(b::addNote);
        request.manifest().notes().forEach(b::addNote);
        ManifestMetadata meta =
                ManifestMetadata.empty()
                        .withHypersdkVersion(HYPERSDK_VERSION)
                        .withCreatedAt(clock.instant())
                        .withTag("provider", "aws")
                        .withTag("export_method", settings.method().id())
                        .withTag("aws_region", aws.region.id());
        request.completeManifest(b, meta);
        return b.build();
    }
}
