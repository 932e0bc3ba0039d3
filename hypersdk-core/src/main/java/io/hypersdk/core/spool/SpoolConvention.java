package io.hypersdk.core.spool;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The directory convention of DESIGN.md, shared by the units, install.sh, the SDK and hyperctl: the
 * default instance ({@code hyper2kvm.service}) uses {@code /var/lib/hyper2kvm/queue} and {@code
 * /var/lib/hyper2kvm/output}; a named instance {@code X} ({@code hyper2kvm@X.service}) uses {@code
 * /var/lib/hyper2kvm/X/queue} and {@code /var/lib/hyper2kvm/X/output}.
 */
public final class SpoolConvention {

    /** Where every instance keeps its spool: {@code /var/lib/hyper2kvm}. */
    public static final Path BASE = Path.of("/var/lib/hyper2kvm");

    /** The watch (queue) directory's name under an instance's directory. */
    public static final String QUEUE = "queue";

    /** The output directory's name under an instance's directory. */
    public static final String OUTPUT = "output";

    /**
     * Where exports meant for a sandboxed daemon go ({@code /var/lib/hyper2kvm/exports}, created by
     * {@code install.sh}): visible to every instance, unlike {@code /tmp} or {@code /home}.
     */
    public static final Path EXPORTS = BASE.resolve("exports");

    private SpoolConvention() {}

    /**
     * The conventional watch directory of an instance.
     *
     * @param instance the instance name, empty for the default instance
     * @return {@code /var/lib/hyper2kvm/queue} or {@code /var/lib/hyper2kvm/<instance>/queue}
     * @throws InvalidInstanceNameException for a name that breaks the {@link InstanceName} rule
     */
    public static Path watchDir(Optional<String> instance) {
        return instanceDir(instance).resolve(QUEUE);
    }

    /**
     * The conventional output directory of an instance.
     *
     * @param instance the instance name, empty for the default instance
     * @return {@code /var/lib/hyper2kvm/output} or {@code /var/lib/hyper2kvm/<instance>/output}
     * @throws InvalidInstanceNameException for a name that breaks the {@link InstanceName} rule
     */
    public static Path outputDir(Optional<String> instance) {
        return instanceDir(instance).resolve(OUTPUT);
    }

    private static Path instanceDir(Optional<String> instance) {
        Objects.requireNonNull(instance, "instance");
        return instance.map(i -> BASE.resolve(InstanceName.require(i))).orElse(BASE);
    }
}
