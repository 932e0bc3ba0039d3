package io.hypersdk.provider.vsphere.soap;

import java.util.Optional;

/** The managed object named in a call no longer exists (or never did). */
public final class ManagedObjectNotFoundException extends VimFaultException {
    private static final long serialVersionUID = 1L;

    private final ManagedObjectReference object;

    ManagedObjectNotFoundException(
            String method, String faultMessage, Optional<ManagedObjectReference> obj) {
        super(
                method,
                "ManagedObjectNotFound",
                faultMessage,
                describe(
                        method,
                        "ManagedObjectNotFound",
                        faultMessage.isBlank()
                                ? obj.map(Object::toString).orElse("")
                                : faultMessage,
                        "the object was deleted or the id is wrong; list the inventory again"));
        this.object = obj.orElse(null);
    }

    /** The object the server could not find, when the fault named it. */
    public Optional<ManagedObjectReference> object() {
        return Optional.ofNullable(object);
    }
}
