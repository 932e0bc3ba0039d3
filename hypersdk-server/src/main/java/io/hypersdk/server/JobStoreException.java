package io.hypersdk.server;

import io.hypersdk.core.HypersdkException;

/** The job database could not be opened, read or written; the message names the file or job. */
public final class JobStoreException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    JobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
