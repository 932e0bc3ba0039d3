package io.hypersdk.provider.gcp;

import com.google.auth.oauth2.GoogleCredentials;
import io.hypersdk.provider.spi.Capability;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.transfer.DownloadEngine;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code gcp} export provider (Compute Engine instances of one project and zone), registered in
 * {@code META-INF/services}.
 *
 * <p>Each disk is imaged (from a snapshot when the instance runs and {@code snapshot=true}),
 * exported by a Cloud Build job running Google's image-export tool to {@code bucket=} (as {@code
 * gcloud compute images export} does; {@code format=tar.gz}, the native {@code disk.raw}, or {@code
 * vmdk}), downloaded through the project's download engine with GCS's CRC32C/MD5 checked, and the
 * temporary image and (unless {@code keep=true}) the object deleted.
 *
 * <p>Credentials come only from Google's Application Default Credentials ({@code
 * GOOGLE_APPLICATION_CREDENTIALS}, {@code gcloud auth application-default login}, the metadata
 * server); never from settings, and tokens never appear in messages or logs. Settings: see {@link
 * GcpSettings#KEYS}.
 */
public final class GcpExportProvider implements ExportProvider {
    /** The provider id. */
    public static final String ID = "gcp";

    private final Supplier<GoogleCredentials> credentials;
    private final DownloadEngine engine;

    /** The provider with Application Default Credentials and the default download engine. */
    public GcpExportProvider() {
        this(GoogleApi::applicationDefault, DownloadEngine.builder().build());
    }

    GcpExportProvider(Supplier<GoogleCredentials> credentials, DownloadEngine engine) {
        this.credentials = credentials;
        this.engine = engine;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.LIST_VMS,
                Capability.DESCRIBE_VM,
                Capability.EXPORT_OVF,
                Capability.CHECKSUMS);
    }

    @Override
    public String description() {
        return "Google Compute Engine (an image of each disk exported by Cloud Build to bucket=, format=tar.gz"
                + " (native disk.raw) or vmdk, downloaded from Cloud Storage)";
    }

    @Override
    public ProviderSession connect(ProviderConfig config) {
        GcpSettings settings = GcpSettings.from(config);
        GoogleApi api = new GoogleApi(credentials.get(), Duration.ofMillis(500));
        String project =
                settings.project()
                        .or(
                                () ->
                                        Optional.ofNullable(System.getenv("GOOGLE_CLOUD_PROJECT"))
                                                .filter(s -> !s.isBlank()))
                        .or(api::credentialsProject)
                        .orElseThrow(
                                () ->
                                        new ProviderConfigException(
                                                "no Google Cloud project given: add --provider-option"
                                                        + " project=ID or set GOOGLE_CLOUD_PROJECT"));
        return new GcpSession(api, settings, project, engine, Clock.systemUTC());
    }

    @Override
    public String toString() {
        return "GcpExportProvider";
    }
}
