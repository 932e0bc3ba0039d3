package io.hypersdk.cli.export;

import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ExportProviders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The export providers hyperexport is built with ({@code bundled-providers.properties}), so that
 * the one asked for is constructed directly instead of after a ServiceLoader scan of the ~200 jars
 * on the class path. Any other id goes through the scan as before.
 */
final class BundledProviders {

    static final String RESOURCE = "bundled-providers.properties";

    private BundledProviders() {}

    /** Provider id to class name, as listed in the resource. */
    static Map<String, String> list() {
        Properties p = new Properties();
        try (InputStream in = BundledProviders.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Map.of();
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the CLI's jar", e);
        }
        Map<String, String> list = new TreeMap<>();
        p.stringPropertyNames().forEach(id -> list.put(id, p.getProperty(id).trim()));
        return Map.copyOf(list);
    }

    /** The provider with this id: a bundled one directly, any other through the scan. */
    static Optional<ExportProvider> find(String id) {
        return ExportProviders.find(id, list(), BundledProviders.class.getClassLoader());
    }
}
