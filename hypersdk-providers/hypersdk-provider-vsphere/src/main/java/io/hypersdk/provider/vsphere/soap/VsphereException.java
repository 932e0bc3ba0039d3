package io.hypersdk.provider.vsphere.soap;

import io.hypersdk.core.HypersdkException;

/** Base of every failure raised by the vSphere client: transport, TLS, malformed responses. */
public class VsphereException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    public VsphereException(String message) {
        super(message);
    }

    public VsphereException(String message, Throwable cause) {
        super(message, cause);
    }
}
