package io.hypersdk.provider.spi;

/** The provider cannot do what was asked (see {@link ExportProvider#capabilities()}). */
public class UnsupportedCapabilityException extends ExportException {
    private static final long serialVersionUID = 1L;
    private final String provider;
    private final Capability capability;

    public UnsupportedCapabilityException(String provider, Capability capability, String message) {
        super(message);
        this.provider = provider;
        this.capability = capability;
    }

    public String provider() {
        return provider;
    }

    public Capability capability() {
        return capability;
    }
}
