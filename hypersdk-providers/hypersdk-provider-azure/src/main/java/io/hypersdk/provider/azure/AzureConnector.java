package io.hypersdk.provider.azure;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.identity.DefaultAzureCredentialBuilder;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import java.util.function.Function;

/**
 * Opens an Azure session. Kept apart from {@link AzureExportProvider} so that making the provider
 * (which every {@code hyperexport} run does, whichever provider it uses) links no class of the
 * Azure SDK: its jars are signed, and the first class loaded from them costs about 0.1 s of
 * signature checking.
 */
final class AzureConnector {
    private AzureConnector() {}

    /**
     * @param credentials how the session gets its credential; null: {@code DefaultAzureCredential}
     */
    static ProviderSession connect(
            ProviderConfig config,
            Function<HttpClient, TokenCredential> credentials,
            AzureExporter.Tuning tuning) {
        AzureSettings settings = AzureSettings.from(config);
        HttpClient http = AzureArm.httpClient(settings);
        TokenCredential credential =
                credentials != null
                        ? credentials.apply(http)
                        : new DefaultAzureCredentialBuilder().httpClient(http).build();
        AzureArm arm = new AzureArm(settings, credential, http);
        return new AzureSession(arm, settings, new AzureExporter(arm, settings, http, tuning));
    }
}
