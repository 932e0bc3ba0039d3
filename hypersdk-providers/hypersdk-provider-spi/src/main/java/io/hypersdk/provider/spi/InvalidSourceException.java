package io.hypersdk.provider.spi;

/**
 * The source (a descriptor, an archive, a file) is malformed or unsupported; the message names the
 * file and what is wrong.
 */
public class InvalidSourceException extends ExportException {
    private static final long serialVersionUID = 1L;

    public InvalidSourceException(String message) {
        super(message);
    }

    public InvalidSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
