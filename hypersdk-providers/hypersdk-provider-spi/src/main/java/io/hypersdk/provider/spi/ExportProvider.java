package io.hypersdk.provider.spi;

import java.util.Set;

/**
 * An export source (vSphere, a local OVA/OVF/VMX, a cloud), found through {@link
 * java.util.ServiceLoader}.
 *
 * <p>Register an implementation in {@code
 * META-INF/services/io.hypersdk.provider.spi.ExportProvider}. It must have a public no-argument
 * constructor and be cheap to construct: it is instantiated whenever providers are listed; work
 * starts in {@link #connect(ProviderConfig)}. Implementations are thread-safe. Stable API.
 */
public interface ExportProvider {

    /**
     * The provider's id, as users type it ({@code "vsphere"}, {@code "local"}): lower case {@code
     * [a-z0-9-]}, unique among the providers on the class path. Written to the manifest's {@code
     * source.provider}.
     */
    String id();

    /** What this provider can do; never null, may be empty. */
    Set<Capability> capabilities();

    /** One line for listings, e.g. "VMware vSphere (vCenter or ESXi) over SOAP". */
    default String description() {
        return id();
    }

    /**
     * Opens a session. Validates the configuration first and fails with a {@link
     * ProviderConfigException} naming the missing or bad setting.
     *
     * @param config settings and credentials, never null
     * @return an open session; the caller closes it
     * @throws ProviderConfigException bad or missing settings
     * @throws AuthenticationException the source refused the credentials
     * @throws ExportException any other failure to connect
     */
    ProviderSession connect(ProviderConfig config);
}
