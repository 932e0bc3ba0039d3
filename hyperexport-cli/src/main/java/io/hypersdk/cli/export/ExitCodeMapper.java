package io.hypersdk.cli.export;

import io.hypersdk.core.CancelledException;
import io.hypersdk.core.HypersdkException;
import io.hypersdk.core.manifest.ChecksumMismatchException;
import io.hypersdk.core.manifest.ManifestValidationException;
import io.hypersdk.pipeline.DaemonRequiredException;
import io.hypersdk.pipeline.Hyper2KvmNotFoundException;
import io.hypersdk.pipeline.PreflightException;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.UnknownProviderException;
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
    if (t instanceof CancelledException) {
      return ExitCodes.CANCELLED;
    }
    if (t instanceof ProviderConfigException || t instanceof UnknownProviderException) {
      return ExitCodes.USAGE;
    }
    if (t instanceof ExportException
        || t instanceof ManifestValidationException
        || t instanceof ChecksumMismatchException) {
      return ExitCodes.EXPORT_FAILED;
    }
    if (t instanceof DaemonRequiredException
        || t instanceof PreflightException
        || t instanceof Hyper2KvmNotFoundException) {
      return ExitCodes.CONVERSION_FAILED;
    }
    if (t instanceof HypersdkException) {
      return ExitCodes.EXPORT_FAILED;
    }
    return ExitCodes.INTERNAL;
  }

  /** A failure after the export finished: the pipeline's (conversion, libvirt) unless it was a cancel. */
  static int codeForPipeline(Throwable t) {
    int code = codeFor(t);
    if (code == ExitCodes.CANCELLED || code == ExitCodes.USAGE || t instanceof CliFailure) {
      return code;
    }
    return t instanceof HypersdkException ? ExitCodes.CONVERSION_FAILED : code;
  }

  /** Wraps a failure with what was being done, keeping its exit code (connect failures: export). */
  static CliFailure asFailure(RuntimeException e, String doing) {
    int code = codeFor(e);
    if (code == ExitCodes.INTERNAL) {
      code = ExitCodes.EXPORT_FAILED;
    }
    return new CliFailure(code, doing + ": " + Settings.withFlagNames(oneLine(e)), e);
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
