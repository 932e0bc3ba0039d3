package io.hypersdk.provider.spi;

import java.util.List;

/** No provider with the requested id is on the class path. */
public class UnknownProviderException extends ExportException {
    private static final long serialVersionUID = 1L;
    private final String id;
    private final List<String> available;

    public UnknownProviderException(String id, List<String> available) {
        super(
                "unknown provider '"
                        + id
                        + "': available providers are "
                        + (available.isEmpty()
                                ? "none (put a provider jar such as hypersdk-provider-local on the class path)"
                                : String.join(", ", available)));
        this.id = id;
        this.available = List.copyOf(available);
    }

    /** The id asked for. */
    public String id() {
        return id;
    }

    /** The ids that are available. */
    public List<String> available() {
        return available;
    }
}
