package io.hypersdk.provider.hyperv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad settings fail at connect, before any network traffic, naming the setting and the fix. */
class HypervSettingsTest {
    private static final Map<String, String> ENV = Map.of("HYPERV_PASSWORD", "pw-not-shown");

    private static ProviderConfig.Builder base() {
        return ProviderConfig.builder(Map.of()).set("host", "hv01").set("user", "admin");
    }

    @Test
    void hostAndUserComeFromTheSettingsOrTheEnvironment() {
        assertThatThrownBy(() -> HypervSettings.from(ProviderConfig.builder(Map.of()).build(), ENV))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'host'")
                .hasMessageContaining("HYPERV_HOST");
        HypervSettings s =
                HypervSettings.from(
                        ProviderConfig.builder(Map.of()).build(),
                        Map.of(
                                "HYPERV_HOST",
                                "hv02",
                                "HYPERV_USER",
                                "ops",
                                "HYPERV_PASSWORD",
                                "pw-not-shown"));
        assertThat(s.hostPort()).isEqualTo("hv02:22");
        assertThat(s.user()).isEqualTo("ops");
        assertThat(s.transfer()).isEqualTo(HypervSettings.Transfer.SFTP);
        assertThat(s.checkpoint()).isTrue();
        assertThat(s.toString()).doesNotContain("pw-not-shown");
    }

    @Test
    void anUnknownTransferIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> HypervSettings.from(base().set("transfer", "ftp").build(), ENV))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'transfer' must be sftp or smb")
                .hasMessageContaining("ftp");
    }

    @Test
    void theSharePathMustBeAWindowsPath() {
        assertThatThrownBy(
                        () ->
                                HypervSettings.from(
                                        base().set("transfer", "smb")
                                                .set("share", "exports")
                                                .set("share-path", "/srv/exports")
                                                .build(),
                                        ENV))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'share-path'")
                .hasMessageContaining("D:\\exports");
        HypervSettings s =
                HypervSettings.from(
                        base().set("transfer", "smb")
                                .set("share", "exports")
                                .set("share-path", "D:\\exports\\")
                                .build(),
                        ENV);
        assertThat(s.stagingRoot()).isEqualTo("D:\\exports");
    }

    @Test
    void aMissingKeyFileIsNamed() {
        assertThatThrownBy(
                        () ->
                                HypervSettings.from(
                                        base().set("identity", "/nonexistent/id_rsa").build(), ENV))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("/nonexistent/id_rsa");
    }

    @Test
    void methodAuthAndUnknownSettingsAreCheckedWithTheChoices() {
        assertThat(HypervSettings.from(base().build(), ENV).method())
                .isEqualTo(HypervSettings.Method.EXPORT);
        assertThat(HypervSettings.from(base().set("method", "Copy").build(), ENV).method())
                .isEqualTo(HypervSettings.Method.COPY);
        assertThatThrownBy(() -> HypervSettings.from(base().set("method", "clone").build(), ENV))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'method' must be export or copy (got 'clone')");
        assertThatThrownBy(() -> HypervSettings.from(base().set("auth", "kerberos").build(), ENV))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'auth' must be password, key or agent");
        assertThatThrownBy(
                        () -> HypervSettings.from(base().set("auth", "password").build(), Map.of()))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("HYPERV_PASSWORD");
        assertThatThrownBy(() -> HypervSettings.from(base().set("methd", "copy").build(), ENV))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("'methd' is unknown")
                .hasMessageContaining("method");
    }
}
