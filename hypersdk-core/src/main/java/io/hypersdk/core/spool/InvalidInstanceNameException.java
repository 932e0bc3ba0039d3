package io.hypersdk.core.spool;

/**
 * An instance name that breaks the {@link InstanceName} rule. It is an {@link
 * IllegalArgumentException}, as every invalid setting value is.
 */
public final class InvalidInstanceNameException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String name;

    /**
     * Creates the exception.
     *
     * @param name the refused name, never null
     */
    public InvalidInstanceNameException(String name) {
        super(
                "invalid instance name '"
                        + InstanceName.printable(name)
                        + "': use "
                        + InstanceName.RULE
                        + " (the NAME of hyper2kvm@NAME.service, e.g. vsphere-prod)");
        this.name = name;
    }

    /**
     * The refused name.
     *
     * @return the name as given
     */
    public String name() {
        return name;
    }
}
