package io.hypersdk.cli.export;

import io.hypersdk.core.CancelledException;
import io.hypersdk.core.HypersdkException;
import io.hypersdk.core.manifest.ChecksumMismatchException;
import io.hypersdk.core.manifest.ManifestValidationException;
import io.hypersdk.core.settings.Setting;
import io.hypersdk.core.settings.SettingError;
import io.hypersdk.core.settings.SettingNames;
import io.hypersdk.pipeline.ConversionOutcome;
import io.hypersdk.pipeline.DaemonRequiredException;
import io.hypersdk.pipeline.Hyper2KvmNotFoundException;
import io.hypersdk.pipeline.PreflightException;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.UnknownProviderException;
import picocli.CommandLine.ParameterException;

/**
 * The one place where failures become exit codes and one-line messages. Library exceptions name the
 * settings to change as data ({@link SettingError#text()}); {@link #FLAGS} names them as this
 * command's flags. No message is ever read back.
 */
final class ExitCodeMapper {
    /** The library's settings as hyperexport's flags. */
    static final SettingNames FLAGS =
            new SettingNames() {
                @Override
                public String name(Setting setting) {
                    return switch (setting) {
                        case HYPER2KVM_INSTANCE -> "--hyper2kvm-instance";
                        case HYPER2KVM_WATCH_DIR -> "--hyper2kvm-watch-dir";
                        case HYPER2KVM_OUTPUT_DIR -> "--hyper2kvm-output-dir";
                        case HYPER2KVM_POLL_INTERVAL -> "--hyper2kvm-poll-interval";
                        case HYPER2KVM_DAEMON_TIMEOUT -> "--hyper2kvm-daemon-timeout";
                        case HYPER2KVM_QUEUE_LAYOUT -> "--hyper2kvm-queue-layout";
                        case REQUIRE_DAEMON -> "--require-daemon";
                        case HYPER2KVM_PATH -> "--hyper2kvm-path";
                        case CONVERTER -> "--converter";
                        case PIPELINE_TIMEOUT -> "--pipeline-timeout";
                        case COMPRESS_LEVEL -> "--compress-level";
                        case LIBVIRT_URI -> "--libvirt-uri";
                        case LIBVIRT_BRIDGE -> "--libvirt-bridge";
                        case LIBVIRT_POOL -> "--libvirt-pool";
                        case LIBVIRT_REDEFINE -> "--libvirt-redefine";
                    };
                }

                @Override
                public String set(Setting setting) {
                    return "pass " + name(setting);
                }

                @Override
                public String set(Setting setting, String value) {
                    return "pass " + name(setting) + " " + value;
                }

                @Override
                public String unset(Setting setting) {
                    return "drop " + name(setting);
                }

                @Override
                public String turnOff(Setting setting) {
                    return "drop " + name(setting);
                }

                @Override
                public String whereProviderSetting(String key) {
                    return "with --provider-option " + key + "=VALUE";
                }
            };

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

    /**
     * A failure after the export finished: the pipeline's (conversion, libvirt) unless it was a
     * cancel.
     */
    static int codeForPipeline(Throwable t) {
        int code = codeFor(t);
        if (code == ExitCodes.CANCELLED || code == ExitCodes.USAGE || t instanceof CliFailure) {
            return code;
        }
        return t instanceof HypersdkException ? ExitCodes.CONVERSION_FAILED : code;
    }

    /**
     * Wraps a failure with what was being done, keeping its exit code (connect failures: export).
     */
    static CliFailure asFailure(RuntimeException e, String doing) {
        int code = codeFor(e);
        if (code == ExitCodes.INTERNAL) {
            code = ExitCodes.EXPORT_FAILED;
        }
        return new CliFailure(code, doing + ": " + oneLine(e), e);
    }

    /** What a user sees of a library failure: its text with the settings named as flags. */
    static String message(ConversionOutcome.Failed failed) {
        return failed.text().render(FLAGS);
    }

    /**
     * The message a user sees: the exception's first line, the settings it names as flags; its type
     * when it has no message.
     */
    static String oneLine(Throwable t) {
        String m = t instanceof SettingError e ? e.text().render(FLAGS) : t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName() + " (no message; this is a bug, please report it)";
        }
        return m.lines().findFirst().orElse(m).strip();
    }
}
