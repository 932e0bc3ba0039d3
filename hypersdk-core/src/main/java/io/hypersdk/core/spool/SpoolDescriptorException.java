package io.hypersdk.core.spool;

import io.hypersdk.core.HypersdkException;

/**
 * A spool descriptor ({@code .hypersdk-spool.json}) exists but cannot be used: not JSON, a field
 * missing or invalid, or a version newer than this SDK reads. The fields name the file and the
 * problem.
 */
public final class SpoolDescriptorException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /**
     * Creates the exception.
     *
     * @param source the descriptor's path
     * @param problem what is wrong, e.g. {@code has no "layout"}
     */
    public SpoolDescriptorException(String source, String problem) {
        super(
                "spool descriptor "
                        + source
                        + " "
                        + problem
                        + (problem.contains(": ")
                                ? ""
                                : ": the conversion host rewrites it every heartbeat (hyperctl spool"
                                        + " publish); restart its hyper2kvm-spool unit"));
        this.source = source;
        this.problem = problem;
    }

    /**
     * @return the descriptor's path
     */
    public String source() {
        return source;
    }

    /**
     * @return what is wrong with it
     */
    public String problem() {
        return problem;
    }
}
