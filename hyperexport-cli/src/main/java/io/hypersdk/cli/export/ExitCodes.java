package io.hypersdk.cli.export;

import io.hypersdk.pipeline.ConversionExitCodes;

/**
 * The documented exit codes of {@code hyperexport}. The texts are used verbatim in {@code --help},
 * the generated man page and the module README. A conversion's outcome gets its code from {@link
 * ConversionExitCodes#of}, the same as {@code hyperctl job wait}.
 */
final class ExitCodes {
    static final int SUCCESS = 0;

    /** Anything not covered below: a bug or an unexpected environment problem. */
    static final int INTERNAL = 1;

    /** Bad or missing flags, unreadable options or batch file, bad values: nothing was started. */
    static final int USAGE = 2;

    /** The provider could not export the VM (connect, list, download, manifest). */
    static final int EXPORT_FAILED = 3;

    /** The export succeeded but conversion (hyper2kvm / qemu-img) or the libvirt step failed. */
    static final int CONVERSION_FAILED = ConversionExitCodes.FAILED;

    /** The pipeline (direct mode) or the daemon did not finish in time. */
    static final int TIMEOUT = ConversionExitCodes.TIMED_OUT;

    /** Cancelled by SIGINT (Ctrl-C) or by the user in the wizard; 143 when SIGTERM cancelled it. */
    static final int CANCELLED = ConversionExitCodes.CANCELLED;

    // The @Command(exitCodeList) annotation needs compile-time constants.
    static final String L_SUCCESS = "0:success (every VM exported and, with --pipeline, converted)";
    static final String L_INTERNAL = "1:internal error (a bug; the message says where)";
    static final String L_USAGE =
            "2:usage error: bad flag, value, options file or batch file; nothing was started";
    static final String L_EXPORT = "3:export failed (connect, VM lookup, download, manifest)";
    static final String L_CONVERSION =
            "4:conversion or libvirt definition failed (the export is kept)";
    static final String L_TIMEOUT =
            "5:timeout (--pipeline-timeout in direct mode, --hyper2kvm-daemon-timeout in daemon mode)";
    static final String L_CANCELLED =
            "130:cancelled (Ctrl-C; 143 after SIGTERM): lease aborted, queue submission withdrawn; the error line lists the files kept";

    private ExitCodes() {}
}
