package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ExportProviders;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BundledProvidersTest {

    @Test
    void theBundledListIsExactlyTheProvidersRegisteredByTheCliDependencies() {
        // the scan also finds this module's test providers (io.hypersdk.cli.export); the CLI's
        // dependencies register theirs under io.hypersdk.provider
        Map<String, String> registered = new TreeMap<>();
        for (ExportProvider p : ExportProviders.load()) {
            if (p.getClass().getName().startsWith("io.hypersdk.provider.")) {
                registered.put(p.id(), p.getClass().getName());
            }
        }
        assertThat(registered).hasSizeGreaterThanOrEqualTo(6);
        assertThat(BundledProviders.list()).isEqualTo(registered);
    }

    @Test
    void aBundledIdIsBuiltFromTheListAndAnotherStillComesFromTheScan() {
        assertThat(BundledProviders.find("local"))
                .get()
                .extracting(ExportProvider::id)
                .isEqualTo("local");
        // registered by this module's tests only (META-INF/services), so not in the list
        assertThat(BundledProviders.list()).doesNotContainKey("recording");
        assertThat(BundledProviders.find("recording")).isPresent();
        assertThat(BundledProviders.find("no-such-provider")).isEmpty();
    }

    @Test
    void theSlf4jProviderTheCliNamesIsTheOneOnItsClassPath() {
        // a name that no longer matches would make SLF4J warn on stderr and scan the jars after all
        java.util.List<String> registered =
                java.util.ServiceLoader.load(org.slf4j.spi.SLF4JServiceProvider.class).stream()
                        .map(p -> p.type().getName())
                        .toList();
        assertThat(registered).containsExactly(io.hypersdk.core.CliStartup.SLF4J_SIMPLE);
    }
}
