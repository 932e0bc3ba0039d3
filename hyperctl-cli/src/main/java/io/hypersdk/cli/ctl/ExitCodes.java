package io.hypersdk.cli.ctl;

/** The documented exit codes of {@code hyperctl}. They are stable: scripts may rely on them. */
public final class ExitCodes {
    /** Every asked-for instance is active. */
    public static final int ACTIVE = 0;

    /**
     * An unexpected failure: systemctl timed out or answered something unreadable ({@code hyperctl
     * jobs}: the server refused or failed the request).
     */
    public static final int FAILURE = 1;

    /** Bad command line: unknown option or operation, or an invalid instance name. */
    public static final int USAGE = 2;

    /**
     * Some asked-for instance is not active (or no instance exists), like {@code systemctl
     * is-active}.
     */
    public static final int NOT_ACTIVE = 3;

    /**
     * The asked-for instance is not installed, enabled or running on this host ({@code hyperctl
     * jobs}: the asked-for job does not exist on the server).
     */
    public static final int UNKNOWN_INSTANCE = 4;

    /** The host was not booted with systemd, so there is nothing to ask. */
    public static final int NO_SYSTEMD = 5;

    /** The systemctl executable was not found or could not be run. */
    public static final int NO_SYSTEMCTL = 6;

    /** {@code hyperctl jobs}: no hypersdk job server answered at {@code --server}. */
    public static final int NO_SERVER = 7;

    private ExitCodes() {}
}
