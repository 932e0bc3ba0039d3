package io.hypersdk.core.spool;

import io.hypersdk.core.HypersdkException;
import io.hypersdk.core.settings.QueueLayout;
import java.util.Objects;

/**
 * A daemon unit declares a spool variable ({@code WATCH_DIR}, {@code OUTPUT_DIR}, {@code
 * QUEUE_LAYOUT}) in its {@code Environment} with a value that cannot be used. The fields say which
 * unit, which variable and which value; the message says the same and the fix.
 */
public final class SpoolEnvironmentException extends HypersdkException {
    private static final long serialVersionUID = 1L;

    /** What is wrong with the value. */
    public enum Problem {
        /** a directory variable holds a relative path (the daemon and the SDK would disagree). */
        RELATIVE_PATH,
        /** {@code QUEUE_LAYOUT} names no known layout. */
        UNKNOWN_LAYOUT
    }

    private final String unit;
    private final String variable;
    private final String value;
    private final Problem problem;

    /**
     * Creates the exception; the message is built from the fields.
     *
     * @param unit the unit that declares the value, e.g. {@code hyper2kvm@prod.service}
     * @param variable the variable, e.g. {@code WATCH_DIR}
     * @param value the value as declared
     * @param problem what is wrong with it
     */
    public SpoolEnvironmentException(String unit, String variable, String value, Problem problem) {
        super(message(unit, variable, value, problem));
        this.unit = unit;
        this.variable = variable;
        this.value = value;
        this.problem = problem;
    }

    private static String message(String unit, String variable, String value, Problem problem) {
        Objects.requireNonNull(problem, "problem");
        String declared = unit + " declares " + variable + "=" + InstanceName.printable(value);
        return switch (problem) {
            case RELATIVE_PATH ->
                    declared
                            + ", which is not an absolute path: set an absolute path in"
                            + " the unit's Environment (or set "
                            + SpoolDirectories.settingOf(variable)
                            + " explicitly)";
            case UNKNOWN_LAYOUT ->
                    declared
                            + ", which is not a known layout ("
                            + QueueLayout.allowed()
                            + "): fix the unit's Environment (or set Hyper2KVMQueueLayout)";
        };
    }

    /**
     * The unit that declares the value.
     *
     * @return for example {@code hyper2kvm@prod.service}
     */
    public String unit() {
        return unit;
    }

    /**
     * The Environment variable.
     *
     * @return {@code WATCH_DIR}, {@code OUTPUT_DIR} or {@code QUEUE_LAYOUT}
     */
    public String variable() {
        return variable;
    }

    /**
     * The value as the unit declares it.
     *
     * @return the value
     */
    public String value() {
        return value;
    }

    /**
     * What is wrong with the value.
     *
     * @return the problem
     */
    public Problem problem() {
        return problem;
    }
}
