package io.hypersdk.transfer;

import io.hypersdk.core.HypersdkException;
import java.nio.file.Path;

/**
 * A download failed: a non-transient HTTP status, retries exhausted, a size or checksum that does
 * not match, or a local write error. The partial file is kept when a later run can resume from it.
 *
 * <p>A provider maps it to its own error type at its boundary (the provider SPI's {@code
 * TransferException}); this module knows no provider.
 */
public class DownloadException extends HypersdkException {
    private static final long serialVersionUID = 1L;
    private final transient Path target;
    private final boolean retryable;

    public DownloadException(Path target, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.target = target;
        this.retryable = retryable;
    }

    /** The file that could not be downloaded. */
    public Path target() {
        return target;
    }

    /** True when the failure was transient and running again later may succeed (and resume). */
    public boolean retryable() {
        return retryable;
    }
}
