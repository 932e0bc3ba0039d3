package io.hypersdk.core.manifest;

import io.hypersdk.core.HypersdkException;
import java.util.List;
import java.util.stream.Collectors;

/** A manifest broke one or more rules; {@link #violations()} lists every one of them. */
public class ManifestValidationException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    /**
     * Creates the exception.
     *
     * @param what what was checked, for example the manifest's file path or "manifest"
     * @param violations every violation found, at least one
     */
    public ManifestValidationException(String what, List<Violation> violations) {
        super(message(what, violations));
        this.violations = List.copyOf(violations);
    }

    /**
     * Every violation found: problems decoding the document first, then broken rules.
     *
     * @return the violations, never empty
     */
    public List<Violation> violations() {
        return violations;
    }

    private static String message(String what, List<Violation> violations) {
        int n = violations.size();
        return "invalid manifest "
                + what
                + ": "
                + n
                + (n == 1 ? " violation: " : " violations: ")
                + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
