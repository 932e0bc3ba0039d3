package io.hypersdk.provider.gcp;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.DiskChecksums;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.DownloadedFile;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One disk's way out of Compute Engine: (snapshot →) temporary image → Cloud Build image export to
 * {@code gs://bucket/prefix...} → download (the native tarball unpacked into a sparse raw image
 * while it downloads). The temporary image and snapshot are always deleted; the exported object too
 * unless {@code keep=true}, also when the export fails or is cancelled.
 */
final class DiskExport {
    private final GoogleApi api;
    private final ComputeClients compute;
    private final com.google.cloud.storage.Storage storage;
    private final GcpSettings settings;
    private final String project;
    private final DownloadEngine engine;

    /** A disk written into the output directory. */
    record Written(
            Path path, long bytes, DiskFormat format, String label, Optional<String> checksum) {}

    DiskExport(
            GoogleApi api,
            ComputeClients compute,
            com.google.cloud.storage.Storage storage,
            GcpSettings settings,
            String project,
            DownloadEngine engine) {
        this.api = api;
        this.compute = compute;
        this.storage = storage;
        this.settings = settings;
        this.project = project;
        this.engine = engine;
    }

    Written run(
            ComputeInventory.GceVm vm,
            ComputeInventory.GceDisk disk,
            Path target,
            String runId,
            boolean checksums,
            ProgressListener listener,
            Cancellation cancellation) {
        ImageLifecycle images = new ImageLifecycle(compute, settings, project);
        String bucket = settings.requireBucket();
        String base = ("hypersdk-" + runId + "-" + disk.name()).toLowerCase(java.util.Locale.ROOT);
        base = base.length() > 63 ? base.substring(0, 63) : base;
        base = base.endsWith("-") ? base.substring(0, base.length() - 1) + "x" : base;
        String image = base;
        Optional<String> snapshot =
                vm.running() && settings.snapshot() ? Optional.of(base) : Optional.empty();
        String objectName =
                settings.prefix()
                        + vm.description().name()
                        + "-"
                        + disk.name()
                        + "-"
                        + runId
                        + (settings.format() == GcpSettings.ExportFormat.VMDK
                                ? ".vmdk"
                                : ".tar.gz");
        StorageObject object =
                new StorageObject(api, storage, settings.storageEndpoint(), bucket, objectName);
        boolean imageCreated = false;
        boolean snapshotCreated = false;
        boolean exported = false;
        boolean done = false;
        try {
            if (snapshot.isPresent()) {
                listener.onEvent(
                        new PhaseChanged(
                                Phase.EXPORT,
                                "snapshotting disk " + disk.name() + " as " + snapshot.get()));
                snapshotCreated = true;
                images.snapshot(disk, snapshot.get(), cancellation);
            }
            listener.onEvent(
                    new PhaseChanged(
                            Phase.EXPORT,
                            "creating temporary image " + image + " of disk " + disk.name()));
            imageCreated = true;
            images.image(disk, image, snapshot, cancellation);
            exported = true;
            new ImageExportBuild(api, settings, project)
                    .run(image, object.gsUri(), vm.zone(), listener, cancellation);
            listener.onEvent(new PhaseChanged(Phase.EXPORT, "downloading " + object.gsUri()));
            Written w =
                    settings.format() == GcpSettings.ExportFormat.VMDK
                            ? vmdk(
                                    object,
                                    target.resolveSibling(target.getFileName() + ".vmdk"),
                                    disk,
                                    checksums,
                                    listener,
                                    cancellation)
                            : tarball(
                                    object,
                                    target.resolveSibling(target.getFileName() + ".raw"),
                                    disk,
                                    checksums,
                                    listener,
                                    cancellation);
            done = true;
            return w;
        } finally {
            if (imageCreated) {
                images.delete("image", image, listener);
            }
            if (snapshotCreated) {
                images.delete("snapshot", snapshot.get(), listener);
            }
            if (exported) {
                if (settings.keep()) {
                    if (done) {
                        listener.onEvent(
                                new Notice(
                                        Notice.Level.INFO,
                                        "kept " + object.gsUri() + " (keep=true)"));
                    }
                } else {
                    object.delete(listener);
                }
            }
        }
    }

    private Written vmdk(
            StorageObject object,
            Path target,
            ComputeInventory.GceDisk disk,
            boolean checksums,
            ProgressListener listener,
            Cancellation cancellation) {
        DownloadedFile f =
                object.download(
                        engine, target, settings.checksumAttempts(), listener, cancellation);
        return new Written(
                f.path(),
                f.bytes(),
                DiskFormat.VMDK,
                disk.deviceName(),
                checksums ? Optional.of(f.checksum()) : Optional.empty());
    }

    private Written tarball(
            StorageObject object,
            Path target,
            ComputeInventory.GceDisk disk,
            boolean checksums,
            ProgressListener listener,
            Cancellation cancellation) {
        Path tgz = target.resolveSibling(target.getFileName() + ".tar.gz");
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT,
                        "unpacking "
                                + GceTarball.MEMBER
                                + " of "
                                + object.gsUri()
                                + " into "
                                + target.getFileName()
                                + " while it downloads"));
        long size =
                object.downloadWhileReading(
                        engine,
                        tgz,
                        settings.checksumAttempts(),
                        in -> GceTarball.unpack(in, target, disk.sizeBytes(), object.gsUri()),
                        listener,
                        cancellation);
        return new Written(
                target,
                size,
                DiskFormat.RAW,
                disk.deviceName(),
                checksums ? Optional.of(DiskChecksums.sha256(target)) : Optional.empty());
    }
}
