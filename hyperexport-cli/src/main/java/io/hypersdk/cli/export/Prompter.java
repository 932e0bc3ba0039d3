package io.hypersdk.cli.export;

/** The wizard's view of the terminal: print lines, read one answer. */
interface Prompter {
    /** Reads one line; throws {@link Cancelled} on Ctrl-C or end of input. */
    String readLine(String prompt);

    void println(String line);

    /** The user pressed Ctrl-C, Ctrl-D or closed the terminal. */
    final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled in the wizard");
        }
    }
}
