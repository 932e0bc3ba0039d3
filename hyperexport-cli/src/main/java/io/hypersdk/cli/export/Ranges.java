package io.hypersdk.cli.export;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Range checks for numeric flags; the message names the flag and the allowed range. */
final class Ranges {
    private Ranges() {}

    static void check(CommandSpec spec, String flag, long value, long min, long max, String unit) {
        if (value < min || value > max) {
            String u = unit.isEmpty() ? "" : " " + unit;
            throw new ParameterException(
                    spec == null ? null : spec.commandLine(),
                    flag + " " + value + " is out of range: use " + min + "-" + max + u);
        }
    }
}
