package io.hypersdk.systemd;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A validated systemd unit name such as {@code hyper2kvm.service} or {@code
 * hyper2kvm@vsphere-prod.service}.
 *
 * <p>{@link #service(String)} and {@link #instance(String, String)} accept only names that are
 * usable verbatim: a prefix of {@code [A-Za-z0-9:_.-]} not starting with {@code .} or {@code -},
 * and an instance of {@code [A-Za-z0-9:_.-]}; everything else is rejected with the {@code
 * systemd-escape} form as a hint instead of being escaped, because directories derived from {@code
 * %i} would then contain escape sequences. Which instance names a product allows is its own policy,
 * checked before a name gets here (hyper2kvm's: {@code io.hypersdk.core.spool.InstanceName} in
 * hypersdk-core). A unit name built here never starts with {@code -}, so it can never look like a
 * command-line option; {@link SystemdClient} also passes {@code --} before unit names. {@link
 * #parse(String)} accepts any valid unit name systemd reports (including escaped instances such as
 * {@code foo@my\x20vm.service}).
 */
public final class UnitName implements Comparable<UnitName> {
    /** Longest unit name systemd accepts, suffix included. */
    public static final int MAX_LENGTH = 255;

    private static final Pattern STRICT = Pattern.compile("[A-Za-z0-9:_.-]+");
    private static final Pattern LOOSE_PART = Pattern.compile("[A-Za-z0-9:_.\\\\@-]*");
    private static final Pattern TYPE =
            Pattern.compile(
                    "service|socket|target|device|mount|automount|swap|timer|path|slice|scope");

    private final String prefix;
    private final Optional<String> instance;
    private final String type;
    private final String name;

    private UnitName(String prefix, Optional<String> instance, String type) {
        this.prefix = prefix;
        this.instance = instance;
        this.type = type;
        this.name = prefix + instance.map(i -> "@" + i).orElse("") + "." + type;
    }

    /** {@code prefix.service}, e.g. {@code service("hyper2kvm")} = {@code hyper2kvm.service}. */
    public static UnitName service(String prefix) {
        checkPrefix(prefix);
        return new UnitName(prefix, Optional.empty(), "service");
    }

    /**
     * {@code prefix@instance.service}, e.g. {@code instance("hyper2kvm", "vsphere-prod")} = {@code
     * hyper2kvm@vsphere-prod.service}.
     *
     * @throws IllegalArgumentException when the instance name is empty, not usable verbatim, or
     *     makes the unit name longer than {@value #MAX_LENGTH} characters
     */
    public static UnitName instance(String prefix, String instance) {
        checkPrefix(prefix);
        Objects.requireNonNull(instance, "instance");
        String hint = " (systemd-escape would turn it into \"" + escape(instance) + "\")";
        if (instance.isEmpty()) {
            throw new IllegalArgumentException(
                    "instance name for "
                            + prefix
                            + "@.service is empty: give a name such as \"vsphere-prod\" or leave the instance unset");
        }
        if (!STRICT.matcher(instance).matches()) {
            throw new IllegalArgumentException(
                    "invalid instance name \""
                            + printable(instance)
                            + "\" for "
                            + prefix
                            + "@.service: use only letters, digits, ':', '_', '.' and '-'"
                            + hint);
        }
        UnitName u = new UnitName(prefix, Optional.of(instance), "service");
        if (u.name.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "unit name "
                            + u.name.substring(0, 40)
                            + "... is "
                            + u.name.length()
                            + " characters long: systemd allows at most "
                            + MAX_LENGTH
                            + "; use a shorter instance name");
        }
        return u;
    }

    /**
     * Parses a full unit name as systemd prints it ({@code foo.service}, {@code foo@bar.service},
     * {@code foo@my\x20vm.service}, {@code basic.target}).
     *
     * @throws IllegalArgumentException when it is not a valid, non-template unit name or starts
     *     with '-'
     */
    public static UnitName parse(String name) {
        Objects.requireNonNull(name, "name");
        int dot = name.lastIndexOf('.');
        String problem = null;
        if (name.isEmpty() || name.length() > MAX_LENGTH) {
            problem = "must be 1 to " + MAX_LENGTH + " characters long";
        } else if (name.startsWith("-")) {
            problem = "starts with '-'";
        } else if (dot <= 0 || !TYPE.matcher(name.substring(dot + 1)).matches()) {
            problem = "does not end in a unit type such as .service";
        } else if (!LOOSE_PART.matcher(name.substring(0, dot)).matches()) {
            problem = "contains characters systemd does not allow (use systemd-escape)";
        }
        if (problem == null) {
            String stem = name.substring(0, dot);
            int at = stem.indexOf('@');
            String prefix = at < 0 ? stem : stem.substring(0, at);
            if (prefix.isEmpty()) {
                problem = "has an empty prefix";
            } else if (at >= 0 && at == stem.length() - 1) {
                problem = "is a template (no instance after '@'), which cannot be queried";
            } else {
                return new UnitName(
                        prefix,
                        at < 0 ? Optional.empty() : Optional.of(stem.substring(at + 1)),
                        name.substring(dot + 1));
            }
        }
        throw new IllegalArgumentException(
                "invalid unit name \"" + printable(name) + "\": " + problem);
    }

    private static void checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (!STRICT.matcher(prefix).matches()
                || prefix.startsWith(".")
                || prefix.startsWith("-")
                || prefix.length() > MAX_LENGTH - ".service".length()) {
            throw new IllegalArgumentException(
                    "invalid unit prefix \""
                            + printable(prefix)
                            + "\": use 1 to 200 letters, digits, ':', '_', '.' and '-', not starting with '.' or '-'"
                            + " (for example \"hyper2kvm\")");
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints()
                .limit(80)
                .forEach(
                        c -> {
                            if (c < 0x20 || c == 0x7f) {
                                b.append(String.format("\\x%02x", c));
                            } else {
                                b.appendCodePoint(c);
                            }
                        });
        return s.codePointCount(0, s.length()) > 80 ? b + "..." : b.toString();
    }

    /**
     * Escapes a string the way {@code systemd-escape} does: keeps {@code [A-Za-z0-9:_.]}, turns
     * {@code /} into {@code -}, and writes every other byte of its UTF-8 form (including {@code -}
     * and a leading {@code .}) as {@code \xNN}.
     */
    public static String escape(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (int i = 0; i < bytes.length; i++) {
            int c = bytes[i] & 0xFF;
            boolean keep =
                    (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || c == ':'
                            || c == '_'
                            || (c == '.' && i > 0);
            if (c == '/') {
                b.append('-');
            } else if (keep) {
                b.append((char) c);
            } else {
                b.append(String.format("\\x%02x", c));
            }
        }
        return b.toString();
    }

    /**
     * Reverses {@link #escape(String)} like {@code systemd-escape -u}: {@code \xNN} becomes the
     * byte, {@code -} becomes {@code /}.
     *
     * @throws IllegalArgumentException on a backslash not followed by {@code x} and two hex digits
     */
    public static String unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '-') {
                out.write('/');
            } else if (c == '\\') {
                if (i + 3 >= s.length()
                        || s.charAt(i + 1) != 'x'
                        || Character.digit(s.charAt(i + 2), 16) < 0
                        || Character.digit(s.charAt(i + 3), 16) < 0) {
                    throw new IllegalArgumentException(
                            "cannot unescape \""
                                    + printable(s)
                                    + "\": bad escape at offset "
                                    + i
                                    + " (expected \\xNN)");
                }
                out.write(Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
                    b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The part before {@code @} (or before the type suffix). */
    public String prefix() {
        return prefix;
    }

    /** The instance as written in the unit name (escaped form), if this is an instance. */
    public Optional<String> instance() {
        return instance;
    }

    /** The unit type: {@code service}, {@code target}, ... */
    public String type() {
        return type;
    }

    /** The full name, e.g. {@code hyper2kvm@vsphere-prod.service}. */
    @Override
    public String toString() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnitName u && u.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public int compareTo(UnitName o) {
        return name.compareTo(o.name);
    }
}
