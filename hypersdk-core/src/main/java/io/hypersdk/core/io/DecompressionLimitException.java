package io.hypersdk.core.io;

import java.io.IOException;

/**
 * A compressed member inflated past its {@link DecompressionLimit}. An {@link IOException}, so it
 * travels through stream code unchanged; providers turn it into their "bad source" error.
 */
public final class DecompressionLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String member;
    private final long declaredBytes;
    private final long bytesSeen;

    DecompressionLimitException(DecompressionLimit limit, long bytesSeen) {
        super(limit.message(bytesSeen));
        this.member = limit.member();
        this.declaredBytes = limit.declaredBytes();
        this.bytesSeen = bytesSeen;
    }

    /** The member's name, as given to the limit. */
    public String member() {
        return member;
    }

    /** The bound that was exceeded. */
    public long declaredBytes() {
        return declaredBytes;
    }

    /** Bytes inflated when reading stopped (more than {@link #declaredBytes()}). */
    public long bytesSeen() {
        return bytesSeen;
    }
}
