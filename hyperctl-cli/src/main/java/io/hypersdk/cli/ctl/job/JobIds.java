package io.hypersdk.cli.ctl.job;

import io.hypersdk.core.JobId;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Parses the ID parameter into a usage error that names it. */
final class JobIds {
    private JobIds() {}

    static JobId parse(String text, CommandSpec spec) {
        try {
            return JobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
