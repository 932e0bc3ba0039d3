package io.hypersdk.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class TerminalTextTest {
    private static final char ESC = 0x1b;

    @Test
    void escapeSequencesAndLineBreaksFromAnOvfNamePrintAsVisibleEscapes() {
        String hostile =
                "web" + ESC + "[31mred" + ESC + "]0;TITLE" + (char) 7 + "\nhyperexport: forged\r\t";
        assertThat(TerminalText.escape(hostile))
                .isEqualTo("web\\u001b[31mred\\u001b]0;TITLE\\u0007\\nhyperexport: forged\\r\\t");
    }

    @Test
    void delC1AndLineSeparatorsAndBidiControlsAreEscapedToo() {
        assertThat(TerminalText.escape("a\u007fb\u009bc\u0085d\u2028e\u2029f\u202eg\u2066h\u200fi"))
                .isEqualTo("a\\u007fb\\u009bc\\u0085d\\u2028e\\u2029f\\u202eg\\u2066h\\u200fi");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "web-01",
                "Ünïcödé 名前 ☃",
                "C:\\disks\\a.vmdk",
                "a b",
                "",
                "\ud83d\ude00 emoji"
            })
    void printableTextIsReturnedAsItIs(String text) {
        assertThat(TerminalText.escape(text)).isSameAs(text);
        assertThat(TerminalText.hasControl(text)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "\u001b[0m", "x\u0000", "\u009b31m", "tab\there", "a\u2028"})
    void hasControlFindsWhatEscapeChanges(String text) {
        assertThat(TerminalText.hasControl(text)).isTrue();
        assertThat(TerminalText.escape(text)).isNotEqualTo(text);
    }

    @Test
    void aQuotedInputIsCutAtACodePointBoundaryAndTheCutIsMarked() {
        assertThat(TerminalText.escape("ab\ncd", 3)).isEqualTo("ab\\n...");
        assertThat(TerminalText.escape("ab\ncd", 5)).isEqualTo("ab\\ncd");
        assertThat(TerminalText.escape("\ud83d\ude00\ud83d\ude00", 1)).isEqualTo("\ud83d\ude00...");
        assertThatThrownBy(() -> TerminalText.escape("x", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxCodePoints 0");
    }

    @Test
    void jsonWrittenWithTheEscapesHoldsNoControlCharacterAndReadsBackTheSame() throws Exception {
        ObjectMapper json =
                new ObjectMapper(new JsonFactory().setCharacterEscapes(TerminalText.jsonEscapes()));
        String name = "a\u001b[31m\u007f\u009b\u2028\u202e\nb \u00e9\u540d";
        String doc = json.writeValueAsString(Map.of("vm", name));
        assertThat(TerminalText.hasControl(doc)).as(doc).isFalse();
        assertThat(doc).contains("\\u009b", "\\u007F", "\u00e9\u540d");
        assertThat(json.readTree(doc).get("vm").asText()).isEqualTo(name);
        // plain Jackson: DEL, C1 and the separators go out raw
        assertThat(
                        TerminalText.hasControl(
                                new ObjectMapper().writeValueAsString(Map.of("vm", name))))
                .isTrue();
    }

    @Test
    void nullIsAProgrammingErrorNotAnEmptyName() {
        assertThatThrownBy(() -> TerminalText.escape(null))
                .isInstanceOf(NullPointerException.class);
    }

    private static Gen<String> anyText() {
        return Generate.oneOf(
                strings().betweenCodePoints(0, 0x3000).ofLengthBetween(0, 40),
                strings().allPossible().ofLengthBetween(0, 60),
                strings().betweenCodePoints(0, 0xa0).ofLengthBetween(0, 20));
    }

    @Test
    void noEscapedTextHoldsAControlCharacterAndEscapingTwiceChangesNothingMore() {
        qt().withExamples(2000)
                .forAll(anyText())
                .checkAssert(
                        t -> {
                            String e = TerminalText.escape(t);
                            assertThat(TerminalText.hasControl(e)).as("escaped %s", e).isFalse();
                            assertThat(e.chars().noneMatch(c -> TerminalText.isControl((char) c)))
                                    .isTrue();
                            assertThat(TerminalText.escape(e)).isEqualTo(e);
                            assertThat(e.equals(t)).isEqualTo(!TerminalText.hasControl(t));
                        });
    }

    @Test
    void theControlSetIsTheJdksIsoControlsPlusTheSeparatorsAndBidiControlsOverAllUtf16Units() {
        String others =
                "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
                        + "\u2066\u2067\u2068\u2069";
        int escaped = 0;
        for (int c = Character.MIN_VALUE; c <= Character.MAX_VALUE; c++) {
            boolean expected = Character.isISOControl(c) || others.indexOf(c) >= 0;
            assertThat(TerminalText.isControl((char) c)).as("U+%04X", c).isEqualTo(expected);
            String one = String.valueOf((char) c);
            if (expected) {
                escaped++;
                assertThat(TerminalText.escape(one))
                        .isEqualTo(
                                switch (c) {
                                    case '\n' -> "\\n";
                                    case '\r' -> "\\r";
                                    case '\t' -> "\\t";
                                    default -> String.format("\\u%04x", c);
                                });
            } else {
                assertThat(TerminalText.escape(one)).isSameAs(one);
            }
        }
        assertThat(escaped).isEqualTo(65 + others.length());
    }
}
