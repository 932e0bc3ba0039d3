package io.hypersdk.provider.spi;

/** The source refused the credentials (never included in the message). */
public class AuthenticationException extends ExportException {
    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
