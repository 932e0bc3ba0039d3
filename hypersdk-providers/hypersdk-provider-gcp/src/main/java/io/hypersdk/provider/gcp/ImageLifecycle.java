package io.hypersdk.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportException;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary Compute Engine resources of an export: an image of the disk (or of a snapshot of
 * it), created with {@code images.insert} / {@code disks.createSnapshot}, awaited through their
 * operations, and deleted afterwards, whatever happened in between.
 */
final class ImageLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ImageLifecycle.class);

    private final GoogleApi api;
    private final GcpSettings settings;
    private final String project;

    ImageLifecycle(GoogleApi api, GcpSettings settings, String project) {
        this.api = api;
        this.settings = settings;
        this.project = project;
    }

    String projectUrl() {
        return settings.computeEndpoint() + "/compute/v1/projects/" + project;
    }

    /** Snapshots {@code disk} as {@code name} and waits until the snapshot is ready. */
    void snapshot(ComputeInventory.GceDisk disk, String name, Cancellation cancellation) {
        JsonNode op =
                api.post(
                        URI.create(
                                projectUrl()
                                        + "/zones/"
                                        + disk.zone()
                                        + "/disks/"
                                        + disk.name()
                                        + "/createSnapshot"),
                        Map.of("name", name),
                        "snapshotting disk " + disk.name() + " as " + name);
        await(op, "snapshot " + name + " of disk " + disk.name(), cancellation);
    }

    /**
     * Creates image {@code name} from the disk, or from the snapshot when one is given, and waits
     * for it.
     */
    void image(
            ComputeInventory.GceDisk disk,
            String name,
            java.util.Optional<String> snapshot,
            Cancellation cancellation) {
        Map<String, String> body =
                snapshot.isPresent()
                        ? Map.of(
                                "name",
                                name,
                                "sourceSnapshot",
                                "projects/" + project + "/global/snapshots/" + snapshot.get())
                        : Map.of(
                                "name",
                                name,
                                "sourceDisk",
                                "projects/"
                                        + project
                                        + "/zones/"
                                        + disk.zone()
                                        + "/disks/"
                                        + disk.name());
        JsonNode op =
                api.post(
                        URI.create(projectUrl() + "/global/images"),
                        body,
                        "creating image " + name + " of disk " + disk.name());
        await(op, "image " + name + " of disk " + disk.name(), cancellation);
    }

    /**
     * Deletes a temporary image or snapshot; a failure is a warning naming what to delete by hand.
     */
    void delete(String kind, String name, ProgressListener listener) {
        try {
            api.delete(
                    URI.create(projectUrl() + "/global/" + kind + "s/" + name),
                    "deleting " + kind + " " + name);
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
     * Polls a zonal or global operation until it is DONE; its error becomes an {@link
     * ExportException}.
     */
    private void await(JsonNode op, String what, Cancellation cancellation) {
        Instant deadline = Instant.now().plus(settings.waitTimeout());
        Poller poller = new Poller(settings.pollInterval());
        String name = op.path("name").asText();
        String zone = ComputeInventory.lastSegment(op.path("zone").asText(""));
        URI uri =
                URI.create(
                        projectUrl()
                                + (zone.isEmpty() ? "/global" : "/zones/" + zone)
                                + "/operations/"
                                + name);
        while (!op.path("status").asText("").equals("DONE")) {
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
            op = api.get(uri, "waiting for operation " + name + " (" + what + ")");
        }
        JsonNode errors = op.path("error").path("errors");
        if (errors.size() > 0) {
            JsonNode e = errors.get(0);
            throw new ExportException(
                    what
                            + " failed: "
                            + e.path("code").asText("")
                            + ": "
                            + e.path("message").asText("")
                            + " (operation "
                            + name
                            + ")");
        }
    }
}
