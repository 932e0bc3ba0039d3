package io.hypersdk.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Cloud Build job running Google's image-export tool, as {@code gcloud compute images export}
 * submits it: one step {@value #EXPORT_STEP} with the source image, the {@code gs://} destination
 * and, for anything but the native {@code disk.raw} tarball, the format. Polled with backoff (each
 * status change is shown), cancelled when the export is cancelled or times out.
 */
final class ImageExportBuild {
    private static final Logger LOG = LoggerFactory.getLogger(ImageExportBuild.class);

    /** The image the export step runs (Google's compute-image-tools). */
    static final String EXPORT_STEP = "gcr.io/compute-image-tools/gce_vm_image_export:release";

    private final GoogleApi api;
    private final GcpSettings settings;
    private final String project;

    ImageExportBuild(GoogleApi api, GcpSettings settings, String project) {
        this.api = api;
        this.settings = settings;
        this.project = project;
    }

    /** The build request {@code gcloud compute images export} would submit. */
    Map<String, Object> request(String image, String destination, String zone) {
        long seconds = Math.max(600, settings.waitTimeout().toSeconds());
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "-client_id=api",
                                "-timeout=" + (seconds - 300) + "s",
                                "-source_image=projects/" + project + "/global/images/" + image,
                                "-destination_uri=" + destination,
                                "-zone=" + zone));
        if (settings.format() == GcpSettings.ExportFormat.VMDK) {
            args.add("-format=vmdk");
        }
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("name", EXPORT_STEP);
        step.put("args", args);
        step.put("env", List.of("BUILD_ID=$BUILD_ID"));
        Map<String, Object> build = new LinkedHashMap<>();
        build.put("steps", List.of(step));
        build.put("timeout", seconds + "s");
        build.put("tags", List.of("gce-daisy", "gce-daisy-image-export"));
        return build;
    }

    /**
     * Runs the export of {@code image} to {@code destination} ({@code gs://bucket/object}) and
     * waits for it.
     */
    void run(
            String image,
            String destination,
            String zone,
            ProgressListener listener,
            Cancellation cancellation) {
        URI builds =
                URI.create(settings.cloudBuildEndpoint() + "/v1/projects/" + project + "/builds");
        JsonNode op =
                api.post(
                        builds,
                        request(image, destination, zone),
                        "starting the Cloud Build image export of " + image + " to " + destination);
        String id = op.path("metadata").path("build").path("id").asText("");
        if (id.isEmpty()) {
            throw new ExportException(
                    "Cloud Build accepted the image export of "
                            + image
                            + " but named no build id"
                            + " (operation "
                            + op.path("name").asText("?")
                            + "); look for it in the Cloud Build history");
        }
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT,
                        "Cloud Build " + id + " exporting " + image + " to " + destination));
        URI uri = URI.create(builds + "/" + id);
        Instant deadline = Instant.now().plus(settings.waitTimeout());
        Poller poller = new Poller(settings.pollInterval());
        String shown = "";
        while (true) {
            JsonNode b = api.get(uri, "getting Cloud Build " + id);
            String status = b.path("status").asText("STATUS_UNKNOWN");
            String line = "Cloud Build " + id + " " + status;
            if (!line.equals(shown)) {
                listener.onEvent(new PhaseChanged(Phase.EXPORT, line));
                shown = line;
            }
            switch (status) {
                case "SUCCESS":
                    return;
                case "FAILURE", "INTERNAL_ERROR", "TIMEOUT", "CANCELLED", "EXPIRED":
                    throw new ExportException(
                            "Cloud Build "
                                    + id
                                    + " exporting image "
                                    + image
                                    + " ended "
                                    + status
                                    + ": "
                                    + failure(b)
                                    + "; its log is in the Cloud Build history of project "
                                    + project);
                default:
                    break;
            }
            if (Instant.now().isAfter(deadline)) {
                cancel(builds, id);
                throw new ExportException(
                        "Cloud Build "
                                + id
                                + " did not finish within "
                                + settings.waitTimeout()
                                + " and was cancelled; raise --provider-option wait-timeout=");
            }
            try {
                poller.pause(cancellation);
            } catch (CancelledException e) {
                cancel(builds, id);
                throw e;
            }
        }
    }

    /** What the build says went wrong: {@code failureInfo.detail}, else {@code statusDetail}. */
    private static String failure(JsonNode b) {
        String detail = b.path("failureInfo").path("detail").asText("");
        if (detail.isEmpty()) {
            detail = b.path("statusDetail").asText("");
        }
        String type = b.path("failureInfo").path("type").asText("");
        return (detail.isEmpty() ? "no detail given" : detail.strip())
                + (type.isEmpty() ? "" : " (" + type + ")");
    }

    private void cancel(URI builds, String id) {
        try {
            api.post(
                    URI.create(builds + "/" + id + ":cancel"),
                    Map.of(),
                    "cancelling Cloud Build " + id);
        } catch (RuntimeException e) {
            LOG.warn("{}; cancel build {} in the Cloud Build console", e.getMessage(), id);
        }
    }
}
