package io.hypersdk.cli.ctl.daemon;

import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.QueueLayout;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The spool of one instance as its unit declares it ({@code WATCH_DIR}, {@code OUTPUT_DIR},
 * {@code QUEUE_LAYOUT} in the unit's Environment), each with where the value came from.
 *
 * @param layout empty when the unit names a layout hyperctl does not know ({@code layoutProblem} says which)
 */
record DaemonDirectories(
        Path watchDir, Source watchDirSource,
        Path outputDir, Source outputDirSource,
        Optional<QueueLayout> layout, Source layoutSource,
        Optional<String> layoutProblem) {

    static final String WATCH_DIR = "WATCH_DIR";
    static final String OUTPUT_DIR = "OUTPUT_DIR";
    static final String QUEUE_LAYOUT = "QUEUE_LAYOUT";

    /** Where a value came from. */
    enum Source {
        /** the unit's Environment */
        UNIT("unit"),
        /** not in the unit: the DESIGN.md directory convention */
        CONVENTION("convention"),
        /** not in the unit: the default layout (workflow) */
        DEFAULT("default");

        private final String id;

        Source(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }
    }

    /**
     * Reads the directories from a unit's Environment; falls back to the convention only for
     * what is absent (or empty).
     *
     * @param instance empty for the default instance
     */
    static DaemonDirectories fromEnvironment(Map<String, String> env, Optional<String> instance) {
        Optional<Path> watch = path(env.get(WATCH_DIR));
        Optional<Path> output = path(env.get(OUTPUT_DIR));
        String layoutValue = env.get(QUEUE_LAYOUT);
        Optional<QueueLayout> layout;
        Source layoutSource;
        Optional<String> problem = Optional.empty();
        if (layoutValue == null || layoutValue.isBlank()) {
            layout = Optional.of(QueueLayout.WORKFLOW);
            layoutSource = Source.DEFAULT;
        } else {
            layoutSource = Source.UNIT;
            Optional<QueueLayout> parsed;
            try {
                parsed = Optional.of(QueueLayout.parse(layoutValue.strip()));
            } catch (IllegalArgumentException e) {
                parsed = Optional.empty();
                problem = Optional.of("the unit sets QUEUE_LAYOUT=" + layoutValue
                        + ", which is not a known layout (workflow, flat, disk-watch); fix the unit's Environment");
            }
            layout = parsed;
        }
        return new DaemonDirectories(
                watch.orElseGet(() -> Hyper2KvmSettings.defaultWatchDir(instance)),
                watch.isPresent() ? Source.UNIT : Source.CONVENTION,
                output.orElseGet(() -> Hyper2KvmSettings.defaultOutputDir(instance)),
                output.isPresent() ? Source.UNIT : Source.CONVENTION,
                layout, layoutSource, problem);
    }

    /** True when any directory is a fallback rather than the unit's own value. */
    boolean anyFromConvention() {
        return watchDirSource == Source.CONVENTION || outputDirSource == Source.CONVENTION;
    }

    private static Optional<Path> path(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Path.of(value.strip()));
    }
}
