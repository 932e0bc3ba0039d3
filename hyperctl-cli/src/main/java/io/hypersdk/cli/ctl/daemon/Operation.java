package io.hypersdk.cli.ctl.daemon;

import java.util.Locale;

/** What {@code hyperctl daemon} shows: the detailed status or the one-line-per-instance list. */
enum Operation {
    STATUS,
    LIST;

    static Operation parse(String op) {
        try {
            return valueOf(op.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Unknown daemon operation: " + op + "; available operations: status, list");
        }
    }
}
