package io.hypersdk.core.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class VmNamesTest {
    private static final List<String> HOSTILE =
            List.of(
                    "../x",
                    "..",
                    ".",
                    "",
                    "/",
                    "a/b",
                    "nul\0byte",
                    "\0",
                    "x".repeat(300),
                    "ü".repeat(200),
                    "日本語のVM",
                    "-rf",
                    ".hidden",
                    "a..b",
                    "web-01-0123456789ab",
                    "C:\\Windows\\vm",
                    "tab\tand\nnewline",
                    "\u202eevil",
                    " ",
                    "vm name with spaces",
                    "emoji \uD83D\uDE00",
                    "\uD800lonely",
                    "$(reboot)",
                    "~root");

    /** Any string: hostile examples, printable ASCII, any BMP text incl. lone surrogates. */
    static Gen<String> names() {
        return Generate.oneOf(
                Generate.pick(HOSTILE),
                strings().ascii().ofLengthBetween(0, 40),
                strings().betweenCodePoints(0, 0xFFFF).ofLengthBetween(0, 30),
                strings().allPossible().ofLengthBetween(250, 320),
                strings().betweenCodePoints('.', '/').ofLengthBetween(0, 8));
    }

    private static void assertSafe(String out, int maxBytes) {
        assertThat(out)
                .isNotEmpty()
                .doesNotContain("/")
                .doesNotContain("\0")
                .doesNotContain("..")
                .doesNotStartWith(".")
                .doesNotStartWith("-");
        assertThat(out.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"web-01", "Web_01.prod", "vm+1", "データベース", "a.b"})
    void safeNamesAreKeptAsTheyAre(String name) {
        assertThat(VmNames.forFileName(name)).isEqualTo(name);
    }

    @Test
    void hostileNamesBecomeSafeFileNames() {
        assertThat(VmNames.forFileName("../x")).matches("__x-[0-9a-f]{12}");
        assertThat(VmNames.forFileName("a/b")).matches("a_b-[0-9a-f]{12}");
        assertThat(VmNames.forFileName("nul\0byte")).matches("nul_byte-[0-9a-f]{12}");
        assertThat(VmNames.forFileName("")).matches("vm-[0-9a-f]{12}");
        assertThat(VmNames.forFileName("..")).matches("_-[0-9a-f]{12}");
        assertThat(VmNames.forFileName("x".repeat(300)))
                .hasSize(255)
                .startsWith("x".repeat(242))
                .matches("x+-[0-9a-f]{12}");
        String longUnicode = VmNames.forFileName("ü".repeat(200));
        assertThat(longUnicode.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
        assertThat(longUnicode).startsWith("üüü");
        for (String name : HOSTILE) {
            assertSafe(VmNames.forFileName(name), 255);
            assertThat(
                            Path.of("/exports")
                                    .resolve(VmNames.forFileName(name))
                                    .normalize()
                                    .getParent())
                    .isEqualTo(Path.of("/exports"));
        }
    }

    @Test
    void domainNamesAreAsciiOnly() {
        assertThat(VmNames.forDomainName("web-01.prod")).isEqualTo("web-01.prod");
        assertThat(VmNames.forDomainName("データベース")).matches("_+-[0-9a-f]{12}");
        assertThat(VmNames.forDomainName("my vm")).matches("my_vm-[0-9a-f]{12}");
        for (String name : HOSTILE) {
            String out = VmNames.forDomainName(name);
            assertSafe(out, 200);
            assertThat(out).matches("[A-Za-z0-9._-]+");
        }
    }

    @Test
    void aNameThatLooksLikeAHashedNameIsHashedItself() {
        String hashed = VmNames.forFileName("a/b");

        assertThat(VmNames.forFileName(hashed)).isNotEqualTo(hashed).startsWith(hashed + "-");
    }

    @Test
    void sanitisedFileNamesAreAlwaysSafe() {
        qt().withExamples(1500)
                .withShrinkCycles(50)
                .forAll(names())
                .checkAssert(n -> assertSafe(VmNames.forFileName(n), 255));
    }

    @Test
    void sanitisedDomainNamesAreAlwaysSafe() {
        qt().withExamples(1500)
                .withShrinkCycles(50)
                .forAll(names())
                .checkAssert(
                        n -> {
                            String out = VmNames.forDomainName(n);
                            assertSafe(out, 200);
                            assertThat(out).matches("[A-Za-z0-9._-]+");
                        });
    }

    @Test
    void sanitisingIsDeterministic() {
        qt().withExamples(500)
                .forAll(names())
                .checkAssert(
                        n -> {
                            assertThat(VmNames.forFileName(n))
                                    .isEqualTo(VmNames.forFileName(new String(n)));
                            assertThat(VmNames.forDomainName(n))
                                    .isEqualTo(VmNames.forDomainName(new String(n)));
                        });
    }

    @Test
    void distinctNamesGiveDistinctFileAndDomainNames() {
        qt().withExamples(200)
                .withShrinkCycles(20)
                .forAll(lists().of(names()).ofSizeBetween(2, 60))
                .checkAssert(
                        list -> {
                            assertInjective(list, VmNames::forFileName);
                            assertInjective(list, VmNames::forDomainName);
                        });
    }

    @Test
    void nearCollisionsStayDistinct() {
        List<String> names =
                List.of(
                        "a/b",
                        "a_b",
                        "a\\b",
                        "a:b",
                        "a b",
                        "a\0b",
                        "a..b",
                        "a.b",
                        ".ab",
                        "_ab",
                        "-ab",
                        "ab",
                        "",
                        "vm",
                        "x".repeat(300),
                        "x".repeat(301),
                        "x".repeat(255),
                        "x".repeat(256),
                        "ü",
                        "u",
                        "\uD800",
                        "\uDC00",
                        "?");

        assertInjective(names, VmNames::forFileName);
        assertInjective(names, VmNames::forDomainName);
    }

    private static void assertInjective(List<String> inputs, UnaryOperator<String> f) {
        Map<String, String> seen = new HashMap<>();
        for (String in : new HashSet<>(inputs)) {
            String out = f.apply(in);
            String previous = seen.put(out, in);
            assertThat(previous).as("%s and %s both map to %s", previous, in, out).isNull();
        }
    }
}
