package io.hypersdk.core.spool;

import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.QueueLayout;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The spool a daemon instance speaks: its watch and output directories and its layout, each with
 * where it came from. One rule (DESIGN.md "Instances, directories and layout"): an explicit setting
 * wins; else the unit's {@code Environment} ({@link #WATCH_DIR}, {@link #OUTPUT_DIR}, {@link
 * #QUEUE_LAYOUT}); else the {@link SpoolConvention} and layout {@code workflow}. A unit value that
 * cannot be used (a relative directory, an unknown layout) is an error, never a guess.
 *
 * @param unit the unit the values were read from (for messages), e.g. {@code hyper2kvm.service}
 * @param watchDir the watch (spool) directory, absolute
 * @param watchDirOrigin where the watch directory came from
 * @param outputDir the daemon's output directory, absolute
 * @param outputDirOrigin where the output directory came from
 * @param layout the spool layout
 * @param layoutOrigin where the layout came from
 */
public record SpoolDirectories(
        String unit,
        Path watchDir,
        Origin watchDirOrigin,
        Path outputDir,
        Origin outputDirOrigin,
        QueueLayout layout,
        Origin layoutOrigin) {

    /** The unit's Environment variable naming its watch directory. */
    public static final String WATCH_DIR = "WATCH_DIR";

    /** The unit's Environment variable naming its output directory. */
    public static final String OUTPUT_DIR = "OUTPUT_DIR";

    /** The unit's Environment variable naming its queue layout. */
    public static final String QUEUE_LAYOUT = "QUEUE_LAYOUT";

    /** Where a value came from. */
    public enum Origin {
        /** an explicit setting ({@code Hyper2KVMWatchDir}, ...). */
        SETTINGS("settings"),
        /** the unit's Environment. */
        UNIT("unit"),
        /** nothing declared it: the {@code /var/lib/hyper2kvm} convention. */
        CONVENTION("convention"),
        /** nothing declared it: the default layout, {@code workflow}. */
        DEFAULT("default");

        private final String id;

        Origin(String id) {
            this.id = id;
        }

        /**
         * The text form (hyperctl's JSON).
         *
         * @return for example {@code "unit"}
         */
        public String id() {
            return id;
        }
    }

    /**
     * Checks for nulls and that both directories are absolute.
     *
     * @throws NullPointerException for a null argument
     * @throws IllegalArgumentException for a relative directory
     */
    public SpoolDirectories {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(watchDir, "watchDir");
        Objects.requireNonNull(watchDirOrigin, "watchDirOrigin");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(outputDirOrigin, "outputDirOrigin");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(layoutOrigin, "layoutOrigin");
        if (!watchDir.isAbsolute() || !outputDir.isAbsolute()) {
            throw new IllegalArgumentException(
                    "spool directories must be absolute (got watch dir "
                            + watchDir
                            + ", output dir "
                            + outputDir
                            + ")");
        }
    }

    /**
     * Resolves the spool of the daemon that {@code settings} select: explicit settings, else the
     * unit's Environment, else the convention of {@code settings.instance()}.
     *
     * @param settings the hyper2kvm settings (explicit values win)
     * @param unit the unit's name, for messages
     * @param environment the unit's Environment (empty when the unit is unknown)
     * @return the spool
     * @throws SpoolEnvironmentException when the unit declares a value that is used and unusable
     */
    public static SpoolDirectories resolve(
            Hyper2KvmSettings settings, String unit, Map<String, String> environment) {
        return resolve(
                settings.watchDir(),
                settings.outputDir(),
                settings.queueLayout(),
                settings.instance(),
                unit,
                environment);
    }

    /**
     * Resolves the spool of an instance from its unit alone (no explicit settings). The instance
     * name is only used, and so only checked, for what the unit does not declare.
     *
     * @param unit the unit's name, for messages
     * @param environment the unit's Environment
     * @param instance the instance name, empty for the default instance
     * @return the spool
     * @throws SpoolEnvironmentException when the unit declares an unusable value
     * @throws InvalidInstanceNameException when the convention is needed for an instance name that
     *     breaks the rule
     */
    public static SpoolDirectories fromUnit(
            String unit, Map<String, String> environment, Optional<String> instance) {
        return resolve(
                Optional.empty(), Optional.empty(), Optional.empty(), instance, unit, environment);
    }

    private static SpoolDirectories resolve(
            Optional<Path> explicitWatch,
            Optional<Path> explicitOutput,
            Optional<QueueLayout> explicitLayout,
            Optional<String> instance,
            String unit,
            Map<String, String> environment) {
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(instance, "instance");
        Chosen watch =
                directory(
                        explicitWatch,
                        unit,
                        environment,
                        WATCH_DIR,
                        () -> SpoolConvention.watchDir(instance));
        Chosen output =
                directory(
                        explicitOutput,
                        unit,
                        environment,
                        OUTPUT_DIR,
                        () -> SpoolConvention.outputDir(instance));
        QueueLayout layout = explicitLayout.orElse(null);
        Origin layoutOrigin = Origin.SETTINGS;
        if (layout == null) {
            Optional<QueueLayout> declared = declaredLayout(unit, environment);
            layout = declared.orElse(QueueLayout.WORKFLOW);
            layoutOrigin = declared.isPresent() ? Origin.UNIT : Origin.DEFAULT;
        }
        return new SpoolDirectories(
                unit,
                watch.path(),
                watch.origin(),
                output.path(),
                output.origin(),
                layout,
                layoutOrigin);
    }

    private record Chosen(Path path, Origin origin) {}

    private static Chosen directory(
            Optional<Path> explicit,
            String unit,
            Map<String, String> environment,
            String variable,
            Supplier<Path> convention) {
        if (explicit.isPresent()) {
            return new Chosen(explicit.get(), Origin.SETTINGS);
        }
        return declaredDirectory(unit, environment, variable)
                .map(p -> new Chosen(p, Origin.UNIT))
                .orElseGet(() -> new Chosen(convention.get(), Origin.CONVENTION));
    }

    /**
     * The directory a unit declares in {@code variable}.
     *
     * @param unit the unit's name, for messages
     * @param environment the unit's Environment
     * @param variable {@link #WATCH_DIR} or {@link #OUTPUT_DIR}
     * @return the absolute path; empty when the variable is absent or blank
     * @throws SpoolEnvironmentException when the value is not an absolute path
     */
    public static Optional<Path> declaredDirectory(
            String unit, Map<String, String> environment, String variable) {
        Optional<String> value = declared(environment, variable);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        Path p;
        try {
            p = Path.of(value.get());
        } catch (InvalidPathException e) {
            p = null;
        }
        if (p == null || !p.isAbsolute()) {
            throw new SpoolEnvironmentException(
                    unit, variable, value.get(), SpoolEnvironmentException.Problem.RELATIVE_PATH);
        }
        return Optional.of(p);
    }

    /**
     * The layout a unit declares in {@link #QUEUE_LAYOUT}.
     *
     * @param unit the unit's name, for messages
     * @param environment the unit's Environment
     * @return the layout; empty when the variable is absent or blank
     * @throws SpoolEnvironmentException when the value names no known layout
     */
    public static Optional<QueueLayout> declaredLayout(
            String unit, Map<String, String> environment) {
        Optional<String> value = declared(environment, QUEUE_LAYOUT);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(QueueLayout.parse(value.get()));
        } catch (IllegalArgumentException e) {
            throw new SpoolEnvironmentException(
                    unit,
                    QUEUE_LAYOUT,
                    value.get(),
                    SpoolEnvironmentException.Problem.UNKNOWN_LAYOUT);
        }
    }

    /**
     * The spool's directories per its layout.
     *
     * @return {@code SpoolPaths.of(layout, watchDir)}
     */
    public SpoolPaths paths() {
        return SpoolPaths.of(layout, watchDir);
    }

    /**
     * True when a directory or the layout is a fallback rather than a declared value.
     *
     * @return whether the convention or the default filled anything in
     */
    public boolean anyFallback() {
        return watchDirOrigin == Origin.CONVENTION
                || outputDirOrigin == Origin.CONVENTION
                || layoutOrigin == Origin.DEFAULT;
    }

    /**
     * Where each value came from, for messages: {@code "watch dir from hyper2kvm@x.service
     * Environment WATCH_DIR, output dir by convention, layout workflow (default; nothing declares
     * QUEUE_LAYOUT)"}.
     *
     * @return one line
     */
    public String origin() {
        return describe("watch dir", watchDirOrigin, WATCH_DIR)
                + ", "
                + describe("output dir", outputDirOrigin, OUTPUT_DIR)
                + ", "
                + switch (layoutOrigin) {
                    case DEFAULT ->
                            "layout " + layout.id() + " (default; nothing declares QUEUE_LAYOUT)";
                    default -> describe("layout " + layout.id(), layoutOrigin, QUEUE_LAYOUT);
                };
    }

    private String describe(String what, Origin origin, String variable) {
        return switch (origin) {
            case SETTINGS -> what + " from the settings";
            case UNIT -> what + " from " + unit + " Environment " + variable;
            case CONVENTION, DEFAULT -> what + " by convention";
        };
    }

    /** The explicit setting that overrides {@code variable}. */
    static String settingOf(String variable) {
        return switch (variable) {
            case WATCH_DIR -> "Hyper2KVMWatchDir";
            case OUTPUT_DIR -> "Hyper2KVMOutputDir";
            default -> "Hyper2KVMQueueLayout";
        };
    }

    private static Optional<String> declared(Map<String, String> environment, String variable) {
        return Optional.ofNullable(environment.get(variable))
                .map(String::strip)
                .filter(s -> !s.isEmpty());
    }
}
