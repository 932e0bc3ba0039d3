package io.hypersdk.provider.spi;

/**
 * A credential ({@code password}, {@code token}, ...) was given as a plain setting, where argv,
 * logs and manifests would show it. Carries the key, never the value; the caller says where
 * credentials go instead (for a CLI: the provider's environment variables; for a library user:
 * {@link ProviderConfig.Builder#secret(String, Secret)}).
 */
public final class CredentialSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;

    /**
     * @param key the setting's key
     */
    public CredentialSettingException(String key) {
        super(
                "setting '"
                        + key
                        + "' is a credential: pass it with secret(\""
                        + key
                        + "\", Secret) from a file or the environment, never as plain text");
        this.key = key;
    }

    /**
     * @return the setting's key
     */
    public String key() {
        return key;
    }
}
