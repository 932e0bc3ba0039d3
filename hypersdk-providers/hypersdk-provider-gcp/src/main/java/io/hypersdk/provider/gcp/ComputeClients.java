package io.hypersdk.provider.gcp;

import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.ClientSettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.compute.v1.DisksClient;
import com.google.cloud.compute.v1.DisksSettings;
import com.google.cloud.compute.v1.GlobalOperationsClient;
import com.google.cloud.compute.v1.GlobalOperationsSettings;
import com.google.cloud.compute.v1.ImagesClient;
import com.google.cloud.compute.v1.ImagesSettings;
import com.google.cloud.compute.v1.InstancesClient;
import com.google.cloud.compute.v1.InstancesSettings;
import com.google.cloud.compute.v1.MachineTypesClient;
import com.google.cloud.compute.v1.MachineTypesSettings;
import com.google.cloud.compute.v1.SnapshotsClient;
import com.google.cloud.compute.v1.SnapshotsSettings;
import com.google.cloud.compute.v1.ZoneOperationsClient;
import com.google.cloud.compute.v1.ZoneOperationsSettings;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.TransferException;
import java.io.IOException;
import java.net.URI;
import java.util.function.Supplier;

/**
 * The Compute Engine control plane through Google's {@code google-cloud-compute} clients over their
 * HTTP/JSON transport (REST, the same JSON as the API reference), on {@code compute-endpoint=} with
 * the session's Application Default Credentials. Every call goes through {@link #call}, which turns
 * the client's {@link ApiException} into the SPI's exceptions with Google's error message (never a
 * token: the clients put it only in the {@code Authorization} header).
 */
final class ComputeClients implements AutoCloseable {
    final InstancesClient instances;
    final MachineTypesClient machineTypes;
    final ImagesClient images;
    final DisksClient disks;
    final SnapshotsClient snapshots;
    final GlobalOperationsClient globalOperations;
    final ZoneOperationsClient zoneOperations;

    ComputeClients(URI endpoint, GoogleCredentials credentials) {
        Settings s = new Settings(endpoint.toString(), credentials);
        try {
            instances = InstancesClient.create(s.apply(InstancesSettings.newBuilder()));
            machineTypes = MachineTypesClient.create(s.apply(MachineTypesSettings.newBuilder()));
            images = ImagesClient.create(s.apply(ImagesSettings.newBuilder()));
            disks = DisksClient.create(s.apply(DisksSettings.newBuilder()));
            snapshots = SnapshotsClient.create(s.apply(SnapshotsSettings.newBuilder()));
            globalOperations =
                    GlobalOperationsClient.create(s.apply(GlobalOperationsSettings.newBuilder()));
            zoneOperations =
                    ZoneOperationsClient.create(s.apply(ZoneOperationsSettings.newBuilder()));
        } catch (IOException e) {
            close();
            throw new ExportException(
                    "cannot start the Compute Engine client for "
                            + endpoint
                            + ": "
                            + GoogleApi.firstLine(e),
                    e);
        }
    }

    /** Endpoint and credentials, the same for every client. */
    private record Settings(String endpoint, GoogleCredentials credentials) {
        <S extends ClientSettings<S>, B extends ClientSettings.Builder<S, B>> S apply(B b)
                throws IOException {
            return b.setEndpoint(endpoint)
                    .setCredentialsProvider(FixedCredentialsProvider.create(credentials))
                    .build();
        }
    }

    /**
     * Runs one client call; an {@link ApiException} becomes the SPI exception {@link
     * GoogleApi#error} gives for the same HTTP answer (404 → {@link GoogleApi.NotFound}, 401/403 →
     * authentication, else an export error naming Google's message), a transport failure a {@link
     * TransferException}.
     */
    static <T> T call(String doing, Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiException e) {
            if (e.getCause() instanceof HttpResponseException h) {
                throw GoogleApi.error(h.getStatusCode(), h.getContent(), doing);
            }
            throw new TransferException(
                    doing
                            + " failed: "
                            + e.getStatusCode().getCode()
                            + " "
                            + GoogleApi.firstLine(e)
                            + "; check the network path to Google Cloud and try again",
                    e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c :
                new AutoCloseable[] {
                    instances,
                    machineTypes,
                    images,
                    disks,
                    snapshots,
                    globalOperations,
                    zoneOperations
                }) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a client only stops its threads; nothing to report
                }
            }
        }
    }
}
