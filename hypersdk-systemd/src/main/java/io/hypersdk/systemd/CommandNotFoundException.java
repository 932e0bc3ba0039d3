package io.hypersdk.systemd;

/** The program does not exist (not on PATH, or the given path has no file). */
public class CommandNotFoundException extends CommandStartException {
    private static final long serialVersionUID = 1L;

    public CommandNotFoundException(String program, String message, Throwable cause) {
        super(program, message, cause);
    }
}
