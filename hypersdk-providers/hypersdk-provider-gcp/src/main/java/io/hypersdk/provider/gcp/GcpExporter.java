package io.hypersdk.provider.gcp;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestMetadata;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.core.manifest.ValidationOptions;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Exports one instance's disks, {@code parallel=} at a time (the manifest lists the boot disk
 * first), and writes the Artifact Manifest the way every provider does (source, vm, disks, nics,
 * metadata, the caller's template).
 */
final class GcpExporter {
    static final String HYPERSDK_VERSION = "0.1.0";

    private final GoogleApi api;
    private final ComputeClients compute;
    private final com.google.cloud.storage.Storage storage;
    private final GcpSettings settings;
    private final String project;
    private final DownloadEngine engine;
    private final Clock clock;

    GcpExporter(
            GoogleApi api,
            ComputeClients compute,
            com.google.cloud.storage.Storage storage,
            GcpSettings settings,
            String project,
            DownloadEngine engine,
            Clock clock) {
        this.api = api;
        this.compute = compute;
        this.storage = storage;
        this.settings = settings;
        this.project = project;
        this.engine = engine;
        this.clock = clock;
    }

    ExportResult export(
            ComputeInventory.GceVm vm,
            ExportRequest request,
            ProgressListener listener,
            Cancellation cancellation) {
        Instant started = clock.instant();
        settings.requireBucket();
        if (vm.disks().isEmpty()) {
            throw new ExportException(
                    "instance "
                            + vm.description().name()
                            + " has no persistent disk to export"
                            + " (local SSDs cannot be imaged)");
        }
        if (vm.running() && !settings.snapshot()) {
            throw new ExportException(
                    "instance "
                            + vm.description().name()
                            + " is RUNNING, and Compute Engine images a"
                            + " disk in use only from a snapshot: add --provider-option snapshot=true (crash-consistent), or stop the"
                            + " instance first");
        }
        Path out = request.outputDirectory().toAbsolutePath().normalize();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new TransferException(
                    "cannot create the output directory " + out + ": " + e.getMessage(), e);
        }
        String base = io.hypersdk.core.naming.VmNames.forFileName(vm.description().name());
        String runId =
                request.jobId()
                        .map(Object::toString)
                        .orElse(UUID.randomUUID().toString())
                        .replaceAll("[^a-z0-9]", "")
                        .toLowerCase(java.util.Locale.ROOT);
        runId = runId.substring(0, Math.min(8, runId.length()));
        DiskExport one =
                new DiskExport(
                        api,
                        compute,
                        storage,
                        settings,
                        project,
                        engine.withConnectionsPerFile(request.connectionsPerFile()));
        List<Callable<DiskExport.Written>> disks = new ArrayList<>();
        Cancellation all = Cancellation.create();
        ProgressListener serial =
                e -> {
                    synchronized (all) {
                        listener.onEvent(e);
                    }
                };
        for (int i = 0; i < vm.disks().size(); i++) {
            ComputeInventory.GceDisk disk = vm.disks().get(i);
            Path target = out.resolve(base + "-disk-" + i);
            String id = runId;
            disks.add(() -> one.run(vm, disk, target, id, request.checksums(), serial, all));
        }
        List<DiskExport.Written> written;
        try (Cancellation.Registration r = cancellation.onCancel(all::cancel)) {
            written = Bounded.run(disks, settings.parallel(), all, "gcp-disk-");
        }
        ArtifactManifest manifest = manifest(vm, written, request, started);
        ManifestValidator.requireValid(manifest, ValidationOptions.withDiskFiles());
        Path manifestPath = out.resolve(ExportResult.MANIFEST_FILE_NAME);
        ManifestCodec.write(manifest, manifestPath);
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT, "exported " + vm.description().name() + " to " + out));
        return new ExportResult(
                manifest,
                manifestPath,
                written.stream().map(DiskExport.Written::path).toList(),
                written.stream().mapToLong(DiskExport.Written::bytes).sum(),
                Duration.between(started, clock.instant()));
    }

    private ArtifactManifest manifest(
            ComputeInventory.GceVm vm,
            List<DiskExport.Written> disks,
            ExportRequest request,
            Instant started) {
        VmDescription d = vm.description();
        ArtifactManifest.Builder b = ArtifactManifest.builder();
        b.source(
                ManifestSource.of("gcp")
                        .withVmId(d.id())
                        .withVmName(d.name())
                        .withDatacenter(project + "/" + vm.zone())
                        .withExportMethod("image-export-" + settings.format().id())
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
            DiskExport.Written w = disks.get(i);
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
        b.addNote(
                "Exported from Google Compute Engine ("
                        + project
                        + "/"
                        + vm.zone()
                        + ") by hypersdk-java "
                        + HYPERSDK_VERSION);
        request.manifest().notes().forEach(b::addNote);
        ManifestMetadata meta =
                ManifestMetadata.empty()
                        .withHypersdkVersion(HYPERSDK_VERSION)
                        .withCreatedAt(clock.instant())
                        .withTag("provider", "gcp")
                        .withTag("gcp_project", project)
                        .withTag("gcp_zone", vm.zone());
        request.completeManifest(b, meta);
        return b.build();
    }
}
