package io.hypersdk.provider.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderConfigTest {

    private static final String PASSWORD = "s3cr3t-Pa55";

    @TempDir Path dir;

    @Test
    void secretsAreRedactedInToStringAndJson() throws Exception {
        ProviderConfig config =
                ProviderConfig.builder(Map.of())
                        .set("url", "https://vcenter.example/sdk")
                        .set("username", "administrator@vsphere.local")
                        .secret("password", Secret.of(PASSWORD))
                        .build();

        assertThat(config.toString())
                .doesNotContain(PASSWORD)
                .contains("password=****")
                .contains("url=https://vcenter.example/sdk");
        String json = new ObjectMapper().writeValueAsString(config);
        assertThat(json).doesNotContain(PASSWORD).contains("\"password\":\"****\"");
        assertThat(new ObjectMapper().writeValueAsString(Map.of("p", Secret.of(PASSWORD))))
                .isEqualTo("{\"p\":\"****\"}");
        assertThat(Secret.of(PASSWORD).toString()).isEqualTo("****");
        assertThat(config.requireSecret("password").reveal()).isEqualTo(PASSWORD);
    }

    @Test
    void aCredentialPassedAsAPlainSettingIsRefused() {
        for (String key :
                new String[] {
                    "password", "vsphere.password", "api-key", "token", "client_secret"
                }) {
            assertThatThrownBy(() -> ProviderConfig.builder(Map.of()).set(key, PASSWORD))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + key + "' is a credential")
                    .hasMessageNotContaining(PASSWORD);
        }
    }

    @Test
    void aUrlWithAUserNameOrPasswordInItIsRefusedWithoutEchoingIt() {
        for (String url :
                new String[] {
                    "https://adm:" + PASSWORD + "@vc.example/sdk",
                    "https://adm@vc.example/sdk",
                    " http://a%40b:" + PASSWORD + "@10.0.0.1:443",
                    "adm:" + PASSWORD + "@vc.example"
                }) {
            assertThatThrownBy(() -> ProviderConfig.builder(Map.of()).set("url", url))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'url' is a URL with a user name or password")
                    .hasMessageContaining("GOVC_USERNAME")
                    .hasMessageContaining("GOVC_PASSWORD")
                    .hasMessageNotContaining(PASSWORD);
        }
        assertThat(
                        ProviderConfig.builder(Map.of())
                                .set("url", "https://vc.example/sdk?a=b@c")
                                .set("note", "x:y@z")
                                .build()
                                .get("url"))
                .hasValue("https://vc.example/sdk?a=b@c");
    }

    @Test
    void credentialsComeFromTheFirstEnvironmentVariableThatIsSet() {
        Map<String, String> env =
                Map.of("GOVC_PASSWORD", "from-govc", "GOVC_URL", "https://vc/sdk", "EMPTY", "");
        ProviderConfig config =
                ProviderConfig.builder(env)
                        .secretFromEnvironment(
                                "password", "EMPTY", "HYPERSDK_VSPHERE_PASSWORD", "GOVC_PASSWORD")
                        .setFromEnvironment("url", "HYPERSDK_VSPHERE_URL", "GOVC_URL")
                        .secretFromEnvironment("token", "NOT_SET")
                        .build();

        assertThat(config.requireSecret("password").reveal()).isEqualTo("from-govc");
        assertThat(config.require("url")).isEqualTo("https://vc/sdk");
        assertThat(config.secret("token")).isEmpty();
    }

    @Test
    void aSecretFileGivesItsFirstLine() throws Exception {
        Path f = dir.resolve("pw");
        Files.writeString(f, PASSWORD + "\nignored\n");
        assertThat(Secret.fromFile(f).reveal()).isEqualTo(PASSWORD);

        Files.writeString(f, "\n");
        assertThatThrownBy(() -> Secret.fromFile(f))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("is empty");
        assertThatThrownBy(() -> Secret.fromFile(dir.resolve("nope")))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void missingAndMalformedSettingsAreNamedInTheError() {
        ProviderConfig config =
                ProviderConfig.builder(Map.of())
                        .set("insecure", "maybe")
                        .set("parallel", "40")
                        .set("timeout", "soon")
                        .build();

        assertThatThrownBy(() -> config.require("url"))
                .isInstanceOf(ProviderConfigException.class)
                .hasMessage("setting 'url' is required; set it in the provider configuration");
        assertThatThrownBy(() -> config.requireSecret("password"))
                .hasMessageContaining("credential 'password' is required")
                .hasMessageContaining("never on the command line");
        assertThatThrownBy(() -> config.getBoolean("insecure", false))
                .hasMessage("setting 'insecure' must be true or false (got 'maybe')");
        assertThatThrownBy(() -> config.getInt("parallel", 3, 1, 16))
                .hasMessage("setting 'parallel' must be an integer from 1 to 16 (got '40')");
        assertThatThrownBy(() -> config.getDuration("timeout", Duration.ZERO))
                .hasMessageContaining("setting 'timeout' must be a number of seconds");
        assertThat(
                        ProviderConfig.builder(Map.of())
                                .set("timeout", "90")
                                .build()
                                .getDuration("timeout", Duration.ZERO))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(
                        ProviderConfig.builder(Map.of())
                                .set("t", "PT2M")
                                .build()
                                .getDuration("t", Duration.ZERO))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(config.getBoolean("absent", true)).isTrue();
    }

    @Test
    void badKeysAreRefused() {
        assertThatThrownBy(() -> ProviderConfig.builder(Map.of()).set("Bad Key", "x"))
                .hasMessageContaining("configuration key 'Bad Key' is invalid");
    }
}
