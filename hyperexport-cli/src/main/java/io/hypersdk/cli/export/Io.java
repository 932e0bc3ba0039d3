package io.hypersdk.cli.export;

import io.hypersdk.pipeline.PipelineExecutor;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Where the command reads and writes, and what it knows about the terminal: the real process
 * streams in {@link HyperExport#main}, in-memory streams in tests.
 *
 * @param out results (text or the JSON document)
 * @param err progress, warnings and error lines
 * @param in standard input (the wizard reads the terminal through JLine instead)
 * @param env environment variables (provider credentials, PATH)
 * @param errIsTerminal whether {@code err} is a terminal: progress bars there, plain lines
 *     otherwise
 * @param executor adjusts the pipeline executor's builder (identity in the real command; tests use
 *     it to keep the libvirt test driver's connection open and inspect what was defined)
 */
record Io(
        PrintStream out,
        PrintStream err,
        InputStream in,
        Map<String, String> env,
        boolean errIsTerminal,
        UnaryOperator<PipelineExecutor.Builder> executor) {

    Io(
            PrintStream out,
            PrintStream err,
            InputStream in,
            Map<String, String> env,
            boolean errIsTerminal) {
        this(out, err, in, env, errIsTerminal, UnaryOperator.identity());
    }

    /**
     * Whether standard input is a terminal (the wizard needs one); only the real process checks.
     */
    boolean stdinIsTerminal() {
        return in != System.in || Tty.isTerminal(FileDescriptor.in);
    }

    static Io system() {
        return new Io(
                System.out,
                System.err,
                System.in,
                System.getenv(),
                Tty.isTerminal(FileDescriptor.err));
    }
}
