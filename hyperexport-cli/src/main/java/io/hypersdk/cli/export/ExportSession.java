package io.hypersdk.cli.export;

/** Placeholder until the provider SPI and pipeline are installed. */
final class ExportSession {
  private final Invocation invocation;
  private final Io io;

  ExportSession(Invocation invocation, Io io) {
    this.invocation = invocation;
    this.io = io;
  }

  int run() {
    throw new CliFailure(ExitCodes.INTERNAL, "not wired yet: " + invocation.vms() + io);
  }
}
