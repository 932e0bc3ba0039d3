package io.hypersdk.cli.export;

import io.hypersdk.provider.spi.CredentialSettingException;
import io.hypersdk.provider.spi.ProviderConfig;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * A provider's configuration from {@code --provider-option KEY=VALUE}. Credentials are refused
 * there (the SPI rejects credential keys as plain settings): providers read them from the
 * environment themselves (vSphere: GOVC_URL, GOVC_USERNAME, GOVC_PASSWORD, GOVC_INSECURE), so they
 * never reach argv, logs or the JSON output.
 */
final class ProviderConfigs {
    private ProviderConfigs() {}

    static ProviderConfig from(
            Map<String, String> options, Map<String, String> env, CommandSpec spec) {
        ProviderConfig.Builder b = ProviderConfig.builder(env);
        for (Map.Entry<String, String> e : options.entrySet()) {
            try {
                b.set(e.getKey(), e.getValue());
            } catch (CredentialSettingException ex) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--provider-option "
                                + ex.key()
                                + ": credentials are refused on the command line, where the process list and shell history show them:"
                                + " set them in the environment instead (vsphere: GOVC_USERNAME and GOVC_PASSWORD;"
                                + " aws: AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--provider-option " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return b.build();
    }
}
