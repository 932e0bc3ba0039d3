package io.hypersdk.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnitNameTest {
    @Test
    void defaultAndInstanceNames() {
        assertThat(UnitName.service("hyper2kvm")).hasToString("hyper2kvm.service");
        assertThat(UnitName.service("hyper2kvm").instance()).isEmpty();
        UnitName i = UnitName.instance("hyper2kvm", "vsphere-prod");
        assertThat(i).hasToString("hyper2kvm@vsphere-prod.service");
        assertThat(i.instance()).hasValue("vsphere-prod");
        assertThat(i.prefix()).isEqualTo("hyper2kvm");
        assertThat(i.type()).isEqualTo("service");
        assertThat(UnitName.instance("hyper2kvm", "a:b_c.d-1"))
                .hasToString("hyper2kvm@a:b_c.d-1.service");
        assertThat(UnitName.instance("hyper2kvm", "x".repeat(200)).instance())
                .hasValue("x".repeat(200));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-rf", "--all", ".hidden"})
    void leadingDashOrDotIsProductPolicyNotSystemdsAndTheUnitNameStillCannotLookLikeAnOption(
            String name) {
        UnitName u = UnitName.instance("hyper2kvm", name);

        assertThat(u).hasToString("hyper2kvm@" + name + ".service");
        assertThat(u.toString()).doesNotStartWith("-");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "my vm",
                "a/b",
                "ünï",
                "a+b",
                "x~",
                "semi;colon",
                "a\nb",
                "a@b",
                "back\\slash"
            })
    void instanceNamesThatWouldNeedEscapingAreRejectedWithTheEscapedFormAsHint(String bad) {
        assertThatThrownBy(() -> UnitName.instance("hyper2kvm", bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid instance name")
                .hasMessageContaining("hyper2kvm@.service")
                .hasMessageContaining(UnitName.escape(bad));
    }

    @Test
    void emptyAndOverlongInstancesAreRejected() {
        assertThatThrownBy(() -> UnitName.instance("hyper2kvm", "")).hasMessageContaining("empty");
        assertThat(UnitName.instance("hyper2kvm", "x".repeat(255 - "hyper2kvm@.service".length())))
                .isNotNull();
        assertThatThrownBy(
                        () ->
                                UnitName.instance(
                                        "hyper2kvm",
                                        "x".repeat(256 - "hyper2kvm@.service".length())))
                .hasMessageContaining("systemd allows at most 255");
        assertThatThrownBy(() -> UnitName.service("-hyper2kvm"))
                .hasMessageContaining("\"-hyper2kvm\"");
        assertThatThrownBy(() -> UnitName.service("hyper2kvm@x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseAcceptsWhatSystemdPrintsAndRejectsTheRest() {
        assertThat(UnitName.parse("foo@my\\x20vm.service").instance()).hasValue("my\\x20vm");
        assertThat(UnitName.parse("foo@a@b.service").instance()).hasValue("a@b");
        assertThat(UnitName.parse("basic.target").type()).isEqualTo("target");
        assertThat(UnitName.parse("hyper2kvm.service")).isEqualTo(UnitName.service("hyper2kvm"));
        for (String bad :
                List.of(
                        "",
                        "foo",
                        "foo@.service",
                        "-x.service",
                        "bad unit.service",
                        "@x.service",
                        "foo.unknown",
                        "x".repeat(250) + ".service")) {
            assertThatThrownBy(() -> UnitName.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid unit name");
        }
    }

    @Test
    void escapeFollowsTheDocumentedExamples() {
        assertThat(UnitName.escape("my vm")).isEqualTo("my\\x20vm");
        assertThat(UnitName.escape("vsphere-prod")).isEqualTo("vsphere\\x2dprod");
        assertThat(UnitName.escape("a/b")).isEqualTo("a-b");
        assertThat(UnitName.escape(".hidden")).isEqualTo("\\x2ehidden");
        assertThat(UnitName.escape("ünï")).isEqualTo("\\xc3\\xbcn\\xc3\\xaf");
        assertThat(UnitName.unescape("vsphere-prod")).isEqualTo("vsphere/prod"); // what %I gives
        assertThatThrownBy(() -> UnitName.unescape("bad\\q")).hasMessageContaining("bad escape");
    }

    @Test
    void unescapeReversesEscape() {
        qt().withExamples(2000)
                .forAll(
                        strings()
                                .allPossible()
                                .ofLengthBetween(0, 30)
                                .map(
                                        s ->
                                                s.codePoints()
                                                        .map(
                                                                cp ->
                                                                        cp >= 0xD800 && cp <= 0xDFFF
                                                                                ? 'x'
                                                                                : cp) // no lone
                                                        // surrogates
                                                        .collect(
                                                                StringBuilder::new,
                                                                StringBuilder::appendCodePoint,
                                                                StringBuilder::append)
                                                        .toString()))
                .checkAssert(
                        s -> {
                            String e = UnitName.escape(s);
                            assertThat(e).matches("[A-Za-z0-9:_.\\\\x-]*");
                            assertThat(UnitName.unescape(e)).isEqualTo(s);
                        });
    }

    @Test
    void escapeMatchesTheRealSystemdEscape() {
        Path tool = Path.of("/usr/bin/systemd-escape");
        assumeTrue(Files.isExecutable(tool), "systemd-escape is not installed (package systemd)");
        List<String> inputs =
                new ArrayList<>(
                        List.of(
                                "my vm",
                                "vsphere-prod",
                                "a/b",
                                ".hidden",
                                "ünï",
                                "a.b",
                                "x:y_z",
                                "tab\there",
                                "😀",
                                "a\\b",
                                "-lead"));
        Random r = new Random(42);
        for (int n = 0; n < 200; n++) {
            StringBuilder b = new StringBuilder();
            for (int len = 1 + r.nextInt(12); len > 0; len--) {
                b.appendCodePoint(
                        r.nextInt(10) == 0 ? 0x80 + r.nextInt(0x1000) : 0x21 + r.nextInt(0x5e));
            }
            inputs.add(b.toString());
        }
        inputs.removeIf(
                s -> s.startsWith("-")); // systemd-escape would read it as an option; covered above
        // via "--"
        List<String> argv = new ArrayList<>(List.of(tool.toString(), "--"));
        argv.addAll(inputs);

        CommandResult res = CommandRunner.create().run(CommandSpec.of(argv));

        assertThat(res.exitCode()).as(res.stderr()).isZero();
        List<String> expected = List.of(res.stdout().strip().split(" "));
        assertThat(expected).hasSameSizeAs(inputs);
        for (int i = 0; i < inputs.size(); i++) {
            assertThat(UnitName.escape(inputs.get(i)))
                    .as("escape of \"%s\"", inputs.get(i))
                    .isEqualTo(expected.get(i));
        }
    }
}
