package io.hypersdk.provider.spi;

/**
 * Moving bytes failed after the retries allowed (network, server, or local disk). A provider that
 * downloads with {@code hypersdk-transfer} throws this with the engine's {@code DownloadException}
 * as its cause (which says which file, and whether a later run may resume).
 */
public class TransferException extends ExportException {
    private static final long serialVersionUID = 1L;

    public TransferException(String message) {
        super(message);
    }

    public TransferException(String message, Throwable cause) {
        super(message, cause);
    }
}
