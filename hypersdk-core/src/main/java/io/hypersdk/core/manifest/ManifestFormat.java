package io.hypersdk.core.manifest;

import java.nio.file.Path;
import java.util.Locale;

/** The serialisation of a manifest file. */
public enum ManifestFormat {
    /** JSON, 2-space indented. */
    JSON,
    /** YAML. */
    YAML;

    /**
     * The format of a file by its name: {@code .yaml} / {@code .yml} (any case) is YAML, anything
     * else is JSON.
     *
     * @param path the file
     * @return its format
     */
    public static ManifestFormat forPath(Path path) {
        Path name = path.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".yaml") || n.endsWith(".yml") ? YAML : JSON;
    }
}
