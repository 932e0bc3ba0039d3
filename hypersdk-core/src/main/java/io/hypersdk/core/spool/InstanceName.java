package io.hypersdk.core.spool;

import io.hypersdk.core.text.TerminalText;
import java.util.regex.Pattern;

/**
 * The rule for a hyper2kvm daemon instance name, the {@code NAME} of {@code
 * hyper2kvm@NAME.service}: 1 to 200 characters of {@code [A-Za-z0-9:_.-]}, not starting with {@code
 * .} or {@code -}. Such a name is usable verbatim as a systemd instance (no escaping) and as a
 * directory name under {@code /var/lib/hyper2kvm}, and can never look like a command-line option or
 * a path. {@code systemd/install.sh} checks {@code --instance} with the same pattern ({@link
 * #PATTERN}); a test pins that both accept the same strings.
 */
public final class InstanceName {

    /** Longest instance name: 200 characters. */
    public static final int MAX_LENGTH = 200;

    /** The rule as a regular expression (ASCII only; also valid as a POSIX ERE). */
    public static final String PATTERN = "^[A-Za-z0-9:_][A-Za-z0-9:_.-]{0,199}$";

    /** The rule in words, for messages. */
    public static final String RULE =
            "1-200 characters of letters, digits, ':', '_', '.', '-',"
                    + " not starting with '.' or '-'";

    private static final Pattern COMPILED = Pattern.compile(PATTERN);

    private InstanceName() {}

    /**
     * Whether {@code name} is an allowed instance name.
     *
     * @param name the name; null is not allowed
     * @return true when it follows the rule
     */
    public static boolean isValid(String name) {
        return name != null && COMPILED.matcher(name).matches();
    }

    /**
     * Returns the name when it is allowed.
     *
     * @param name the name to check
     * @return {@code name}, unchanged
     * @throws InvalidInstanceNameException naming the input (control characters shown as {@code
     *     \xNN}) and the rule
     */
    public static String require(String name) {
        if (!isValid(name)) {
            throw new InvalidInstanceNameException(name == null ? "" : name);
        }
        return name;
    }

    /**
     * The name as it may be shown in a message: escaped by {@link TerminalText} (control characters
     * as visible escapes), at most 80 code points followed by {@code ...}.
     *
     * @param name any text
     * @return a printable form
     */
    public static String printable(String name) {
        return TerminalText.escape(name, 80);
    }
}
