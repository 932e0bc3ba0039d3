package io.hypersdk.provider.vsphere.soap;

/** The call needs a session and there is none (never logged in, logged out, or expired). */
public final class NotAuthenticatedException extends VimFaultException {
    private static final long serialVersionUID = 1L;

    NotAuthenticatedException(String method, String faultMessage) {
        super(
                method,
                "NotAuthenticated",
                faultMessage,
                describe(
                        method,
                        "NotAuthenticated",
                        faultMessage,
                        "the session is not logged in (logged out or expired); log in again"));
    }
}
