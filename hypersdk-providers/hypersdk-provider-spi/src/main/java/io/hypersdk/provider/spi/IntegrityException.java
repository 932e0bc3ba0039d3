package io.hypersdk.provider.spi;

/**
 * Data does not match its checksum or declared size (an OVF <code>.mf</code> entry, an expected
 * SHA-256).
 */
public class IntegrityException extends ExportException {
    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
