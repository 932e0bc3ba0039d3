package io.hypersdk.provider.vsphere.soap;

import java.io.InputStream;

/**
 * The module's SOAP parser for the in-test vim25 servers of other test packages, which read
 * requests with it.
 */
public final class SoapRequests {
    private SoapRequests() {}

    /** The body element of a SOAP envelope (a request, when a fake server reads it). */
    public static XmlElement parse(InputStream in, String method) {
        return SoapCodec.parseResponse(in, method);
    }
}
