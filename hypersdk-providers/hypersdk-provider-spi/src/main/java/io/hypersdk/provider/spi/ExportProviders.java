package io.hypersdk.provider.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds {@link ExportProvider}s on the class path through {@link ServiceLoader}. */
public final class ExportProviders {

    private ExportProviders() {}

    /** Every provider visible to the thread's context class loader, sorted by id. */
    public static List<ExportProvider> load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return load(loader != null ? loader : ExportProviders.class.getClassLoader());
    }

    /**
     * Every provider visible to {@code loader}, sorted by id.
     *
     * @throws ExportException when a registered provider cannot be instantiated, or two share an id
     */
    public static List<ExportProvider> load(ClassLoader loader) {
        List<ExportProvider> found = new ArrayList<>();
        try {
            for (ExportProvider provider : ServiceLoader.load(ExportProvider.class, loader)) {
                found.add(provider);
            }
        } catch (ServiceConfigurationError e) {
            throw new ExportException(
                    "cannot load an export provider: "
                            + e.getMessage()
                            + "; check the META-INF/services/"
                            + ExportProvider.class.getName()
                            + " entries on the class path",
                    e);
        }
        found.sort(Comparator.comparing(ExportProvider::id));
        for (int i = 1; i < found.size(); i++) {
            if (found.get(i).id().equals(found.get(i - 1).id())) {
                throw new ExportException(
                        "two export providers share the id '"
                                + found.get(i).id()
                                + "': "
                                + found.get(i - 1).getClass().getName()
                                + " and "
                                + found.get(i).getClass().getName()
                                + "; remove one of them from the class path");
            }
        }
        return List.copyOf(found);
    }

    /** The provider with this id, if one is on the class path. */
    public static Optional<ExportProvider> find(String id) {
        return load().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /**
     * The provider with this id, constructed straight from {@code bundled} (provider id to class
     * name) when it names the id, without the class-path scan; any other id is looked up by the
     * scan of {@code loader}.
     *
     * <p>For an application whose class path is fixed when it is built, such as a CLI started with
     * {@code java -jar}: the scan opens every jar on the class path (about 0.1 s for hyperexport's
     * ~200 jars) before the first byte of an export moves. What the scan would also catch, a second
     * provider with a bundled id elsewhere on the class path, goes unnoticed here; the application
     * owns its class path.
     *
     * @throws ExportException when the named class is not a provider, cannot be constructed, or
     *     reports another id
     */
    public static Optional<ExportProvider> find(
            String id, Map<String, String> bundled, ClassLoader loader) {
        String className = bundled.get(id);
        if (className == null) {
            return load(loader).stream().filter(p -> p.id().equals(id)).findFirst();
        }
        ExportProvider provider;
        try {
            provider =
                    Class.forName(className, true, loader)
                            .asSubclass(ExportProvider.class)
                            .getDeclaredConstructor()
                            .newInstance();
        } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
            throw new ExportException(
                    "cannot load the bundled export provider '"
                            + id
                            + "' ("
                            + className
                            + "): "
                            + e
                            + "; the application's provider list does not match its class path",
                    e);
        }
        if (!provider.id().equals(id)) {
            throw new ExportException(
                    "the bundled export provider "
                            + className
                            + " has the id '"
                            + provider.id()
                            + "', not '"
                            + id
                            + "'; the application's provider list does not match its class path");
        }
        return Optional.of(provider);
    }

    /**
     * The provider with this id.
     *
     * @throws UnknownProviderException naming the ids that are available
     */
    public static ExportProvider require(String id) {
        return find(id).orElseThrow(() -> new UnknownProviderException(id, ids()));
    }

    /** The ids of every provider on the class path, sorted. */
    public static List<String> ids() {
        return load().stream().map(ExportProvider::id).collect(Collectors.toUnmodifiableList());
    }
}
