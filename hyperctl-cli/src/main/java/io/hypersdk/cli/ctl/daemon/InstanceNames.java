package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.core.text.TerminalText;
import java.util.regex.Pattern;

/** Checks an instance name before anything reaches systemctl. */
final class InstanceNames {

    /** The instance name shown for {@code hyper2kvm.service}. */
    static final String DEFAULT = "default";

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9:_.-]{1,200}");

    private InstanceNames() {
    }

    /**
     * Returns the name unchanged when it is a valid instance name; otherwise throws an
     * IllegalArgumentException naming the input and the allowed form.
     */
    static String require(String name) {
        if (name == null || !ALLOWED.matcher(name).matches() || name.startsWith(".") || name.startsWith("-")) {
            throw new IllegalArgumentException("invalid instance name '" + printable(name)
                    + "': use 1-200 letters, digits, ':', '_', '.' or '-', not starting with '.' or '-'"
                    + " (the NAME of hyper2kvm@NAME.service; 'hyperctl daemon list' shows them)");
        }
        return name;
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        return TerminalText.escape(s, 80);
    }
}
