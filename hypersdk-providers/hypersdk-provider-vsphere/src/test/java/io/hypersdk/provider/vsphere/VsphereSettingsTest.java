package io.hypersdk.provider.vsphere;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import io.hypersdk.provider.spi.Secret;
import io.hypersdk.provider.vsphere.soap.VsphereTls;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VsphereSettingsTest {

    @Test
    void govcUrlWithCredentialsGivesACleanUrlAndTheCredentials() {
        VsphereSettings s =
                VsphereSettings.from(
                        ProviderConfig.empty(),
                        Map.of(
                                "GOVC_URL",
                                "https://administrator%40vsphere.local:p%40ss:w0rd@vc.example.com/sdk"));
        assertThat(s.url()).isEqualTo(URI.create("https://vc.example.com/sdk"));
        assertThat(s.username()).isEqualTo("administrator@vsphere.local");
        assertThat(s.toString()).doesNotContain("p@ss").doesNotContain("p%40ss").contains("****");
        assertThat(s.tls()).isEqualTo(VsphereTls.verify());
    }

    @Test
    void aBareHostGetsHttpsAndSdk() {
        VsphereSettings s =
                VsphereSettings.from(
                        ProviderConfig.empty(),
                        Map.of(
                                "GOVC_URL",
                                "vc.example.com",
                                "GOVC_USERNAME",
                                "u",
                                "GOVC_PASSWORD",
                                "p"));
        assertThat(s.url()).isEqualTo(URI.create("https://vc.example.com/sdk"));
    }

    @Test
    void theProviderConfigWinsOverTheEnvironment() {
        ProviderConfig c =
                ProviderConfig.builder(Map.of())
                        .set("url", "https://a.example/sdk")
                        .set("username", "alice")
                        .secret("password", Secret.of("from-config"))
                        .build();
        VsphereSettings s =
                VsphereSettings.from(
                        c,
                        Map.of(
                                "GOVC_URL",
                                "https://b.example/sdk",
                                "GOVC_USERNAME",
                                "bob",
                                "GOVC_PASSWORD",
                                "from-env"));
        assertThat(s.url().getHost()).isEqualTo("a.example");
        assertThat(s.username()).isEqualTo("alice");
    }

    @Test
    void tlsChoicesComeFromGovcVariables() {
        Map<String, String> base =
                Map.of("GOVC_URL", "vc", "GOVC_USERNAME", "u", "GOVC_PASSWORD", "p");
        assertThat(
                        VsphereSettings.from(
                                        ProviderConfig.empty(), with(base, "GOVC_INSECURE", "1"))
                                .tls())
                .isEqualTo(VsphereTls.insecure());
        assertThat(
                        VsphereSettings.from(
                                        ProviderConfig.empty(),
                                        with(base, "GOVC_INSECURE", "false"))
                                .tls())
                .isEqualTo(VsphereTls.verify());
        assertThat(
                        VsphereSettings.from(
                                        ProviderConfig.empty(),
                                        with(
                                                base,
                                                "GOVC_TLS_THUMBPRINT",
                                                "9e:18:a5:69:3a:33:23:d4:11:db:3b:da:85:b5:70:3f:1b:26:64:9c"))
                                .tls())
                .isEqualTo(VsphereTls.pinThumbprint("9E18A5693A3323D411DB3BDA85B5703F1B26649C"));
        assertThat(
                        VsphereSettings.from(
                                        ProviderConfig.empty(),
                                        with(base, "GOVC_TLS_CA_CERTS", "/etc/ca.pem"))
                                .tls())
                .isEqualTo(VsphereTls.trustCertificates(Path.of("/etc/ca.pem")));
    }

    @Test
    void badOrMissingSettingsNameTheSettingAndTheFix() {
        assertThatThrownBy(() -> VsphereSettings.from(ProviderConfig.empty(), Map.of()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("GOVC_URL");
        assertThatThrownBy(
                        () ->
                                VsphereSettings.from(
                                        ProviderConfig.empty(),
                                        Map.of("GOVC_URL", "vc", "GOVC_USERNAME", "u")))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("GOVC_PASSWORD")
                .hasMessageContaining("never on the command line");
        assertThatThrownBy(
                        () ->
                                VsphereSettings.from(
                                        ProviderConfig.empty(),
                                        Map.of(
                                                "GOVC_URL",
                                                "vc",
                                                "GOVC_USERNAME",
                                                "u",
                                                "GOVC_PASSWORD",
                                                "p",
                                                "GOVC_INSECURE",
                                                "maybe")))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("GOVC_INSECURE");
        assertThatThrownBy(
                        () ->
                                VsphereSettings.from(
                                        ProviderConfig.empty(),
                                        Map.of(
                                                "GOVC_URL",
                                                "ftp://vc",
                                                "GOVC_USERNAME",
                                                "u",
                                                "GOVC_PASSWORD",
                                                "p")))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("https");
        assertThatThrownBy(
                        () ->
                                VsphereSettings.from(
                                        ProviderConfig.empty(),
                                        Map.of(
                                                "GOVC_URL",
                                                "vc",
                                                "GOVC_USERNAME",
                                                "u",
                                                "GOVC_PASSWORD",
                                                "p",
                                                "GOVC_TLS_THUMBPRINT",
                                                "abc")))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("SHA-1");
    }

    @Test
    void thePasswordCannotBeAPlainSetting() {
        assertThatThrownBy(() -> ProviderConfig.builder(Map.of()).set("password", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, String> with(Map<String, String> base, String k, String v) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(k, v);
        return m;
    }
}
