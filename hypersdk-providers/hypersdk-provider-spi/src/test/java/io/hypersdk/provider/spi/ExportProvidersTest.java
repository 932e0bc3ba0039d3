package io.hypersdk.provider.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportProvidersTest {

    @TempDir Path dir;

    /** A provider registered only through the class loader built in the test. */
    public static final class AlphaProvider implements ExportProvider {
        @Override
        public String id() {
            return "alpha";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of(Capability.LIST_VMS);
        }

        @Override
        public ProviderSession connect(ProviderConfig config) {
            throw new ProviderConfigException("setting 'url' is required");
        }
    }

    /** Another one, sharing the id when asked to. */
    public static final class BetaProvider implements ExportProvider {
        @Override
        public String id() {
            return "beta";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public ProviderSession connect(ProviderConfig config) {
            return null;
        }
    }

    /** Same id as alpha. */
    public static final class AlphaTwin implements ExportProvider {
        @Override
        public String id() {
            return "alpha";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public ProviderSession connect(ProviderConfig config) {
            return null;
        }
    }

    private ClassLoader loaderRegistering(Class<?>... providers) throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        StringBuilder sb = new StringBuilder("# test registration\n");
        for (Class<?> p : providers) {
            sb.append(p.getName()).append('\n');
        }
        Files.writeString(services.resolve(ExportProvider.class.getName()), sb);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void providersRegisteredInMetaInfServicesAreFoundByIdAndSorted() throws Exception {
        ClassLoader loader = loaderRegistering(BetaProvider.class, AlphaProvider.class);

        List<ExportProvider> all = ExportProviders.load(loader);

        assertThat(all).extracting(ExportProvider::id).containsExactly("alpha", "beta");
        assertThat(all.get(0).capabilities()).containsExactly(Capability.LIST_VMS);
        assertThat(all.get(0).description()).isEqualTo("alpha");
    }

    @Test
    void findUsesTheContextClassLoaderAndRequireNamesTheAvailableIds() throws Exception {
        ClassLoader loader = loaderRegistering(AlphaProvider.class, BetaProvider.class);
        Thread t = Thread.currentThread();
        ClassLoader old = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            assertThat(ExportProviders.find("beta")).get().isInstanceOf(BetaProvider.class);
            assertThat(ExportProviders.find("gamma")).isEmpty();
            assertThatThrownBy(() -> ExportProviders.require("gamma"))
                    .isInstanceOf(UnknownProviderException.class)
                    .hasMessageContaining("unknown provider 'gamma'")
                    .hasMessageContaining("alpha, beta");
        } finally {
            t.setContextClassLoader(old);
        }
    }

    @Test
    void aBundledProviderIsBuiltWithoutTheScanAndOtherIdsStillComeFromIt() throws Exception {
        // the registration names only beta: alpha can come from the bundled list alone
        ClassLoader loader = loaderRegistering(BetaProvider.class);
        java.util.Map<String, String> bundled =
                java.util.Map.of("alpha", AlphaProvider.class.getName());

        assertThat(ExportProviders.find("alpha", bundled, loader))
                .get()
                .isInstanceOf(AlphaProvider.class);
        assertThat(ExportProviders.find("beta", bundled, loader))
                .get()
                .isInstanceOf(BetaProvider.class);
        assertThat(ExportProviders.find("gamma", bundled, loader)).isEmpty();
    }

    @Test
    void aBundledListThatDoesNotMatchTheClassPathIsAnErrorNamingIt() throws Exception {
        ClassLoader loader = loaderRegistering();
        assertThatThrownBy(
                        () ->
                                ExportProviders.find(
                                        "beta",
                                        java.util.Map.of("beta", AlphaProvider.class.getName()),
                                        loader))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("has the id 'alpha', not 'beta'");
        assertThatThrownBy(
                        () ->
                                ExportProviders.find(
                                        "beta",
                                        java.util.Map.of("beta", "com.example.Gone"),
                                        loader))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("cannot load the bundled export provider 'beta'")
                .hasMessageContaining("com.example.Gone");
        assertThatThrownBy(
                        () ->
                                ExportProviders.find(
                                        "beta",
                                        java.util.Map.of("beta", String.class.getName()),
                                        loader))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void twoProvidersWithOneIdAreAnError() throws Exception {
        ClassLoader loader = loaderRegistering(AlphaProvider.class, AlphaTwin.class);
        assertThatThrownBy(() -> ExportProviders.load(loader))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("two export providers share the id 'alpha'");
    }

    @Test
    void aBrokenRegistrationIsReportedClearly() throws Exception {
        Path services = dir.resolve("META-INF/services");
        Files.createDirectories(services);
        Files.writeString(
                services.resolve(ExportProvider.class.getName()), "com.example.Missing\n");
        ClassLoader loader =
                new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
        assertThatThrownBy(() -> ExportProviders.load(loader))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("cannot load an export provider")
                .hasMessageContaining("com.example.Missing");
    }

    @Test
    void exportRequestDefaultsAndValidation() {
        ExportRequest r = ExportRequest.builder("web-01", dir).build();
        assertThat(r.format()).isEqualTo(ExportFormat.OVF);
        assertThat(r.parallel()).isEqualTo(3);
        assertThat(r.removeCdrom()).isFalse();
        assertThat(r.checksums()).isFalse();
        assertThat(r.toBuilder().parallel(16).build().parallel()).isEqualTo(16);
        assertThatThrownBy(() -> ExportRequest.builder("web-01", dir).parallel(17).build())
                .hasMessage("parallel must be between 1 and 16 (got 17)");
        assertThatThrownBy(() -> ExportRequest.builder(" ", dir).build())
                .hasMessageContaining("the VM to export is empty");
        assertThat(ExportFormat.parse("OVA")).isEqualTo(ExportFormat.OVA);
        assertThatThrownBy(() -> ExportFormat.parse("qcow2"))
                .hasMessage("export format 'qcow2' is not supported: use ovf or ova");
        assertThat(Cancellation.none().isCancelled()).isFalse();
    }

    @Test
    void osHintsComeFromGuestIds() {
        assertThat(VmDescription.osHintFor("ubuntu64Guest")).isEqualTo("linux");
        assertThat(VmDescription.osHintFor("debian11_64Guest")).isEqualTo("linux");
        assertThat(VmDescription.osHintFor("windows9Server64Guest")).isEqualTo("windows");
        assertThat(VmDescription.osHintFor("freebsd64Guest")).isEqualTo("unknown");
    }
}
