package io.hypersdk.cli.export;

import picocli.CommandLine.ParameterException;

/** The one place where failures become exit codes and one-line messages. */
final class ExitCodeMapper {
  private ExitCodeMapper() {}

  static int codeFor(Throwable t) {
    if (t instanceof ParameterException) {
      return ExitCodes.USAGE;
    }
    if (t instanceof CliFailure f) {
      return f.exitCode();
    }
    return ExitCodes.INTERNAL;
  }

  /** The message a user sees: the exception's first line, or its type when it has none. */
  static String oneLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getSimpleName() + " (no message; this is a bug, please report it)";
    }
    return m.lines().findFirst().orElse(m).strip();
  }
}
