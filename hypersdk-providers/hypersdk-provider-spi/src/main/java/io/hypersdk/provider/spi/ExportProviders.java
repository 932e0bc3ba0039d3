package io.hypersdk.provider.spi;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
