package io.hypersdk.provider.gcp;

import com.google.cloud.compute.v1.CreateSnapshotDiskRequest;
import com.google.cloud.compute.v1.DeleteImageRequest;
import com.google.cloud.compute.v1.DeleteSnapshotRequest;
import com.google.cloud.compute.v1.Errors;
import com.google.cloud.compute.v1.Image;
import com.google.cloud.compute.v1.InsertImageRequest;
import com.google.cloud.compute.v1.Operation;
import com.google.cloud.compute.v1.Snapshot;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary Compute Engine resources of an export: an image of the disk (or of a snapshot of
 * it), created with {@code images.insert} / {@code disks.createSnapshot}, awaited through their
 * operations, and deleted afterwards, whatever happened in between. Calls go through the Compute
 * client ({@link ComputeClients}).
 */
final class ImageLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ImageLifecycle.class);

    private final ComputeClients compute;
    private final GcpSettings settings;
    private final String project;

    ImageLifecycle(ComputeClients compute, GcpSettings settings, String project) {
        this.compute = compute;
        this.settings = settings;
        this.project = project;
    }

    /** Snapshots {@code disk} as {@code name} and waits until the snapshot is ready. */
    void snapshot(ComputeInventory.GceDisk disk, String name, Cancellation cancellation) {
        String doing = "snapshotting disk " + disk.name() + " as " + name;
        Operation op =
                ComputeClients.call(
                        doing,
                        () ->
                                compute.disks
                                        .createSnapshotCallable()
                                        .call(
                                                CreateSnapshotDiskRequest.newBuilder()
                                                        .setProject(project)
                                                        .setZone(disk.zone())
                                                        .setDisk(disk.name())
                                                        .setSnapshotResource(
                                                                Snapshot.newBuilder().setName(name))
                                                        .build()));
        await(op, "snapshot " + name + " of disk " + disk.name(), cancellation);
    }

    /**
     * Creates image {@code name} from the disk, or from the snapshot when one is given, and waits
     * for it.
     */
    void image(
            ComputeInventory.GceDisk disk,
            String name,
            Optional<String> snapshot,
            Cancellation cancellation) {
        Image.Builder image = Image.newBuilder().setName(name);
        if (snapshot.isPresent()) {
            image.setSourceSnapshot("projects/" + project + "/global/snapshots/" + snapshot.get());
        } else {
            image.setSourceDisk(
                    "projects/" + project + "/zones/" + disk.zone() + "/disks/" + disk.name());
        }
        Operation op =
                ComputeClients.call(
                        "creating image " + name + " of disk " + disk.name(),
                        () ->
                                compute.images
                                        .insertCallable()
                                        .call(
                                                InsertImageRequest.newBuilder()
                                                        .setProject(project)
                                                        .setImageResource(image)
                                                        .build()));
        await(op, "image " + name + " of disk " + disk.name(), cancellation);
    }

    /**
     * Deletes a temporary image or snapshot; a failure is a warning naming what to delete by hand.
     */
    void delete(String kind, String name, ProgressListener listener) {
        try {
            ComputeClients.call(
                    "deleting " + kind + " " + name,
                    () ->
                            kind.equals("image")
                                    ? compute.images
                                            .deleteCallable()
                                            .call(
                                                    DeleteImageRequest.newBuilder()
                                                            .setProject(project)
                                                            .setImage(name)
                                                            .build())
                                    : compute.snapshots
                                            .deleteCallable()
                                            .call(
                                                    DeleteSnapshotRequest.newBuilder()
                                                            .setProject(project)
                                                            .setSnapshot(name)
                                                            .build()));
            listener.onEvent(
                    new Notice(Notice.Level.INFO, "deleted temporary " + kind + " " + name));
        } catch (RuntimeException e) {
            String m =
                    e.getMessage()
                            + "; delete "
                            + kind
                            + " "
                            + name
                            + " of project "
                            + project
                            + " yourself";
            LOG.warn("{}", m);
            listener.onEvent(new Notice(Notice.Level.WARNING, m));
        }
    }

    /**
     * Polls a zonal or global operation ({@code zoneOperations.get} / {@code globalOperations.get})
     * until it is DONE; its error becomes an {@link ExportException}.
     */
    private void await(Operation first, String what, Cancellation cancellation) {
        Instant deadline = Instant.now().plus(settings.waitTimeout());
        Poller poller = new Poller(settings.pollInterval());
        String name = first.getName();
        String zone = ComputeInventory.lastSegment(first.getZone());
        Operation op = first;
        while (op.getStatus() != Operation.Status.DONE) {
            if (Instant.now().isAfter(deadline)) {
                throw new ExportException(
                        what
                                + " was not ready within "
                                + settings.waitTimeout()
                                + " (operation "
                                + name
                                + "); raise --provider-option wait-timeout=");
            }
            poller.pause(cancellation);
            op =
                    ComputeClients.call(
                            "waiting for operation " + name + " (" + what + ")",
                            () ->
                                    zone.isEmpty()
                                            ? compute.globalOperations.get(project, name)
                                            : compute.zoneOperations.get(project, zone, name));
        }
        if (op.hasError() && op.getError().getErrorsCount() > 0) {
            Errors e = op.getError().getErrors(0);
            throw new ExportException(
                    what
                            + " failed: "
                            + e.getCode()
                            + ": "
                            + e.getMessage()
                            + " (operation "
                            + name
                            + ")");
        }
    }
}
