package io.hypersdk.server;

import io.hypersdk.core.HypersdkException;

/**
 * The server cannot start with the configuration given; the message names the setting and the fix.
 */
public final class ServerConfigException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    ServerConfigException(String message) {
        super(message);
    }
}
