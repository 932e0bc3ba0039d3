package io.hypersdk.provider.vsphere.soap;

import java.util.Optional;

/**
 * A SOAP fault returned by vSphere. {@link #faultName()} is the vim25 fault type (for example
 * {@code InvalidLogin}, {@code NotAuthenticated}, {@code InvalidPowerState}, {@code
 * ManagedObjectNotFound}); {@link #faultMessage()} is the server's fault string. Well-known faults
 * have their own subclasses.
 */
public class VimFaultException extends VsphereException {
    private static final long serialVersionUID = 1L;

    private final String method;
    private final String faultName;
    private final String faultMessage;

    public VimFaultException(String method, String faultName, String faultMessage) {
        this(method, faultName, faultMessage, describe(method, faultName, faultMessage, ""));
    }

    protected VimFaultException(
            String method, String faultName, String faultMessage, String message) {
        super(message);
        this.method = method;
        this.faultName = faultName;
        this.faultMessage = faultMessage == null ? "" : faultMessage;
    }

    static String describe(String method, String faultName, String faultMessage, String advice) {
        StringBuilder sb =
                new StringBuilder("vSphere ").append(method).append(" failed: ").append(faultName);
        if (faultMessage != null && !faultMessage.isBlank()) {
            sb.append(" (").append(faultMessage.strip()).append(')');
        }
        if (!advice.isEmpty()) {
            sb.append("; ").append(advice);
        }
        return sb.toString();
    }

    /** The vim25 method that failed, e.g. {@code Login}. */
    public String method() {
        return method;
    }

    /** The vim25 fault type, e.g. {@code InvalidLogin}. */
    public String faultName() {
        return faultName;
    }

    /** The fault string sent by the server (may be empty). */
    public String faultMessage() {
        return faultMessage;
    }

    /** The fault sent by the server for a method, mapped to the most specific subclass. */
    public static VimFaultException of(
            String method, String faultName, String faultMessage, Optional<XmlElement> detail) {
        switch (faultName) {
            case "InvalidLogin":
                return new InvalidLoginException(method, faultMessage);
            case "NotAuthenticated":
                return new NotAuthenticatedException(method, faultMessage);
            case "InvalidPowerState":
                return new InvalidPowerStateException(
                        method,
                        faultMessage,
                        detail.flatMap(d -> d.childText("existingState"))
                                .flatMap(PowerStates::parse),
                        detail.flatMap(d -> d.childText("requestedState"))
                                .flatMap(PowerStates::parse));
            case "ManagedObjectNotFound":
                return new ManagedObjectNotFoundException(
                        method, faultMessage, detail.flatMap(d -> d.childMoref("obj")));
            default:
                return new VimFaultException(method, faultName, faultMessage);
        }
    }
}
