package io.hypersdk.provider.spi;

/**
 * An archive member would escape the output directory (<code>../</code>, an absolute path, a link
 * pointing outside); nothing was written outside it.
 */
public class UnsafeArchiveException extends InvalidSourceException {
    private static final long serialVersionUID = 1L;

    public UnsafeArchiveException(String message) {
        super(message);
    }

    public UnsafeArchiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
