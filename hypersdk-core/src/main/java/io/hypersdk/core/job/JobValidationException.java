package io.hypersdk.core.job;

import io.hypersdk.core.HypersdkException;
import io.hypersdk.core.manifest.Violation;
import java.util.List;
import java.util.stream.Collectors;

/** A job document could not be read, or broke one or more rules; lists every problem found. */
public class JobValidationException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    /**
     * Creates the exception.
     *
     * @param what what was read, for example "job definition"
     * @param violations every problem, at least one
     */
    public JobValidationException(String what, List<Violation> violations) {
        super(
                "invalid "
                        + what
                        + ": "
                        + violations.stream()
                                .map(Violation::toString)
                                .collect(Collectors.joining("; ")));
        this.violations = List.copyOf(violations);
    }

    /**
     * Every problem found.
     *
     * @return the violations, never empty
     */
    public List<Violation> violations() {
        return violations;
    }
}
