package io.hypersdk.provider.hyperv;

import io.hypersdk.provider.spi.ExportException;

/** A PowerShell script on the Hyper-V host ended with a non-zero exit code. */
final class HypervCommandException extends ExportException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    HypervCommandException(int exitCode, String firstErrorLine) {
        super("PowerShell on the Hyper-V host failed (exit " + exitCode + "): " + firstErrorLine);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
