package io.hypersdk.provider.vsphere.soap;

/** vSphere rejected the user name or password ({@code InvalidLogin}). */
public final class InvalidLoginException extends VimFaultException {
    private static final long serialVersionUID = 1L;

    InvalidLoginException(String method, String faultMessage) {
        super(
                method,
                "InvalidLogin",
                faultMessage,
                describe(
                        method,
                        "InvalidLogin",
                        faultMessage,
                        "check the user name and password (GOVC_USERNAME / GOVC_PASSWORD or the provider config)"));
    }
}
