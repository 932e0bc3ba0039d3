package io.hypersdk.core.manifest;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the converter should write ({@code output}).
 *
 * @param directory output directory ({@code directory})
 * @param format {@code qcow2 | raw | vdi} ({@code format})
 * @param filename output file name ({@code filename})
 */
public record OutputSpec(
        Optional<Path> directory, Optional<String> format, Optional<String> filename) {
    /** Checks for nulls. */
    public OutputSpec {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(filename, "filename");
    }

    /**
     * An output spec with directory and format.
     *
     * @param directory output directory
     * @param format output format id
     * @return the spec
     */
    public static OutputSpec of(Path directory, String format) {
        return new OutputSpec(Optional.of(directory), Optional.of(format), Optional.empty());
    }

    /**
     * Returns a copy with {@code filename} set.
     *
     * @param v file name
     * @return a copy with {@code filename} set
     */
    public OutputSpec withFilename(String v) {
        return new OutputSpec(directory, format, Optional.of(v));
    }
}
