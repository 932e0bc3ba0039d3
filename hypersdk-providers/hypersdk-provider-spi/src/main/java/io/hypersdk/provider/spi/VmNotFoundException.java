package io.hypersdk.provider.spi;

/** No VM matches the name, path or id asked for. */
public class VmNotFoundException extends ExportException {
    private static final long serialVersionUID = 1L;
    private final String vm;

    public VmNotFoundException(String vm, String message) {
        super(message);
        this.vm = vm;
    }

    /** The VM asked for, as given. */
    public String vm() {
        return vm;
    }
}
