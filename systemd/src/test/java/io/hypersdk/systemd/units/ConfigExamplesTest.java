package io.hypersdk.systemd.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The config examples are in the form hyper2kvm really reads with {@code --config}: a YAML mapping
 * whose keys are hyper2kvm options (hyper2kvm-facts.md 1.2, 1.3).
 */
class ConfigExamplesTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Options of hyper2kvm 0.0.x a daemon config may tune (each applies to every job). */
    private static final Set<String> DAEMON_OPTIONS =
            Set.of(
                    "cmd",
                    "out_format",
                    "compress",
                    "compress_level",
                    "checksum",
                    "fstab_mode",
                    "no_grub",
                    "regen_initramfs",
                    "flatten_format",
                    "workdir",
                    "emit_domain_xml",
                    "vm_name",
                    "report");

    /** Set by the units (the SDK reads them from there) and therefore never in a config. */
    private static final Set<String> OWNED_BY_THE_UNIT =
            Set.of("watch_dir", "output_dir", "to_output", "flatten");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "hyper2kvm.conf.example",
                "hyper2kvm-vsphere.conf.example",
                "hyper2kvm-aws.conf.example"
            })
    void eachExampleIsAYamlMappingOfRealDaemonOptions(String example) throws IOException {
        JsonNode config = YAML.readTree(ShippedFiles.file(example).toFile());

        assertThat(config.isObject())
                .as("%s must be a YAML mapping (else: Config must be a mapping/dict)", example)
                .isTrue();
        List<String> keys = new ArrayList<>();
        config.fieldNames().forEachRemaining(keys::add);
        assertThat(keys)
                .as(example)
                .isNotEmpty()
                .allSatisfy(k -> assertThat(DAEMON_OPTIONS).contains(k));
        assertThat(keys).as(example).doesNotContainAnyElementsOf(OWNED_BY_THE_UNIT);
        assertThat(config.path("cmd").asText()).isEqualTo("daemon");
        assertThat(config.path("out_format").asText())
                .as("the units name the image disk.qcow2")
                .isEqualTo("qcow2");
        assertThat(config.path("fstab_mode").asText()).isIn("stabilize-all", "bypath-only", "noop");
        if (config.has("compress_level")) {
            assertThat(config.path("compress_level").asInt()).isBetween(1, 9);
        }
    }

    @Test
    void theShellKeyValueFormOfTheGoToolIsNotAMappingAndWouldBeRejected() throws IOException {
        JsonNode shellForm = YAML.readTree("WATCH_DIR=/var/lib/hyper2kvm/queue\nLOG_LEVEL=info\n");

        assertThat(shellForm.isObject()).isFalse();
        assertThatThrownBy(() -> YAML.readTree("key: [unclosed\n")).isInstanceOf(IOException.class);
    }
}
