package io.hypersdk.cli.export;

import java.io.FileDescriptor;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * Where the command reads and writes, and what it knows about the terminal: the real process
 * streams in {@link HyperExport#main}, in-memory streams in tests.
 *
 * @param out results (text or the JSON document)
 * @param err progress, warnings and error lines
 * @param in standard input (the wizard reads the terminal through JLine instead)
 * @param env environment variables (provider credentials, PATH)
 * @param errIsTerminal whether {@code err} is a terminal: progress bars there, plain lines otherwise
 */
record Io(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, boolean errIsTerminal) {

  static Io system() {
    return new Io(System.out, System.err, System.in, System.getenv(), Tty.isTerminal(FileDescriptor.err));
  }
}
