package io.hypersdk.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hypersdk.core.HypersdkException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Errors carry the setting, its value and what is allowed as data; the message is one rendering.
 */
class SettingErrorsTest {
    /** A front-end that names settings its own way, as a CLI does. */
    private static final SettingNames FLAGS =
            new SettingNames() {
                @Override
                public String name(Setting s) {
                    return "--" + s.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
                }

                @Override
                public String set(Setting s, String value) {
                    return "pass " + name(s) + " " + value;
                }
            };

    @Test
    void anOutOfRangeValueCarriesTheSettingTheValueAndTheRange() {
        InvalidSettingException e =
                assertThrows(
                        InvalidSettingException.class,
                        () -> Hyper2KvmSettings.builder().pollInterval(Duration.ZERO).build());
        assertThat(e.setting()).isEqualTo(Setting.HYPER2KVM_POLL_INTERVAL);
        assertThat(e.key()).isEqualTo("Hyper2KVMPollInterval");
        assertThat(e.value()).isEqualTo("0 s");
        assertThat(e.allowed()).isEqualTo("1-60 seconds");
        assertThat(e)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Hyper2KVMPollInterval must be between 1 and 60 seconds (got: 0 s)");
        assertThat(e.text().render(FLAGS))
                .isEqualTo("--hyper2kvm-poll-interval must be between 1 and 60 seconds (got: 0 s)");
    }

    @Test
    void everyRecordNamesItsSettingAsData() {
        assertThat(
                        assertThrows(
                                        InvalidSettingException.class,
                                        () ->
                                                PipelineSettings.builder()
                                                        .compressLevel(OptionalInt.of(10))
                                                        .build())
                                .setting())
                .isEqualTo(Setting.COMPRESS_LEVEL);
        assertThat(
                        assertThrows(
                                        InvalidSettingException.class,
                                        () ->
                                                PipelineSettings.builder()
                                                        .timeout(Duration.ZERO)
                                                        .build())
                                .setting())
                .isEqualTo(Setting.PIPELINE_TIMEOUT);
        assertThat(
                        assertThrows(
                                        InvalidSettingException.class,
                                        () -> LibvirtSettings.builder().uri("system").build())
                                .value())
                .isEqualTo("system");
        assertThat(
                        assertThrows(
                                        InvalidSettingException.class,
                                        () -> LibvirtSettings.builder().pool("a/b").build())
                                .setting())
                .isEqualTo(Setting.LIBVIRT_POOL);
        assertThat(
                        assertThrows(
                                        InvalidSettingException.class,
                                        () -> Hyper2KvmSettings.builder().instance("a;b").build())
                                .text()
                                .settings())
                .containsExactly(Setting.HYPER2KVM_INSTANCE);
    }

    @Test
    void rewordingTheNamesNeverChangesTheRestOfTheText() {
        SettingText t =
                SettingText.of("spool looks like disk-watch: ")
                        .set(Setting.HYPER2KVM_QUEUE_LAYOUT, "disk-watch")
                        .text(", or ")
                        .turnOff(Setting.REQUIRE_DAEMON)
                        .text(", or ")
                        .unset(Setting.LIBVIRT_POOL)
                        .text("; set 'url' ")
                        .whereProviderSetting("url");
        assertThat(t)
                .hasToString(
                        "spool looks like disk-watch: set Hyper2KVMQueueLayout=disk-watch,"
                                + " or turn off require-daemon, or unset LibvirtPool; set 'url' in the provider"
                                + " configuration");
        assertThat(t.render(FLAGS))
                .isEqualTo(
                        "spool looks like disk-watch: pass"
                                + " --hyper2kvm-queue-layout disk-watch, or turn off --require-daemon, or unset"
                                + " --libvirt-pool; set 'url' in the provider configuration");
        assertThat(t.settings())
                .containsExactly(
                        Setting.HYPER2KVM_QUEUE_LAYOUT,
                        Setting.REQUIRE_DAEMON,
                        Setting.LIBVIRT_POOL);
        assertThat(t.append(SettingText.of("!"))).isEqualTo(t.text("!"));
    }

    @Test
    void libraryExceptionsKeepTheirTextAcrossSerialisation() throws Exception {
        HypersdkException e =
                new HypersdkException(SettingText.of("no ").name(Setting.HYPER2KVM_PATH));
        assertThat(e).hasMessage("no hyper2kvm_path");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(e);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            HypersdkException back = (HypersdkException) in.readObject();
            assertThat(back.text()).isEqualTo(e.text());
            assertThat(back.text().render(FLAGS)).isEqualTo("no --hyper2kvm-path");
        }
        assertThat(new HypersdkException("plain").text().settings()).isEmpty();
    }
}
