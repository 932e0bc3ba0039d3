package io.hypersdk.systemd;

/** A program could not be started at all (no process exists). */
public class CommandStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String program;

    public CommandStartException(String program, String message, Throwable cause) {
        super(message, cause);
        this.program = program;
    }

    /** The program that was to be run ({@code argv[0]}). */
    public String program() {
        return program;
    }
}
