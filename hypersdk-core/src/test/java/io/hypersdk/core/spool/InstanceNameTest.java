package io.hypersdk.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quicktheories.core.Gen;

class InstanceNameTest {

    /** Characters on both sides of the rule's boundary. */
    static final String ALPHABET = "aZ09:_.-/ @\\\n\t\u007féx*;$";

    /** Strings of 0-210 characters drawn from {@link #ALPHABET}. */
    static Gen<String> names() {
        return lists().of(integers().between(0, ALPHABET.length() - 1))
                .ofSizeBetween(0, 210)
                .map(
                        cs -> {
                            StringBuilder b = new StringBuilder();
                            cs.forEach(i -> b.append(ALPHABET.charAt(i)));
                            return b.toString();
                        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"vsphere-prod", "aws_1", "a:b", "x.y", "A9", "_x", ":x", "a-", "a."})
    void namesOfTheAllowedCharactersAreAccepted(String name) {
        assertThat(InstanceName.isValid(name)).isTrue();
        assertThat(InstanceName.require(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", "../etc", "a/b", ".hidden", "-rf", "a b", "x\0y", "ü", "a\n", "a@b", "a\\x20b"
            })
    void otherNamesAreRefusedNamingTheInputAndTheRule(String name) {
        assertThat(InstanceName.isValid(name)).isFalse();
        assertThatThrownBy(() -> InstanceName.require(name))
                .isInstanceOf(InvalidInstanceNameException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid instance name '")
                .hasMessageContaining(InstanceName.RULE)
                .satisfies(
                        e -> assertThat(((InvalidInstanceNameException) e).name()).isEqualTo(name));
    }

    @Test
    void controlCharactersAreShownEscapedInTheMessage() {
        assertThatThrownBy(() -> InstanceName.require("a\nb\u001b[31m"))
                .hasMessageStartingWith("invalid instance name 'a\\nb\\u001b[31m'");
    }

    @Test
    void twoHundredCharactersAreTheLimit() {
        assertThat(InstanceName.isValid("a".repeat(200))).isTrue();
        assertThat(InstanceName.isValid("a".repeat(201))).isFalse();
        assertThat(InstanceName.isValid(null)).isFalse();
    }

    @Test
    void theRuleIsExactlyItsCharacterSetLeadingCharacterAndLength() {
        qt().withExamples(2000)
                .forAll(names())
                .checkAssert(
                        name -> {
                            boolean expected =
                                    !name.isEmpty()
                                            && name.length() <= InstanceName.MAX_LENGTH
                                            && name.chars()
                                                    .allMatch(
                                                            c ->
                                                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                                                            .indexOf(
                                                                                                    c)
                                                                                    >= 0
                                                                            || (c >= '0'
                                                                                    && c <= '9')
                                                                            || ":_.-".indexOf(c)
                                                                                    >= 0)
                                            && !List.of('.', '-').contains(name.charAt(0));
                            assertThat(InstanceName.isValid(name))
                                    .as("%s", name)
                                    .isEqualTo(expected);
                        });
    }

    /** Valid names: a first character that may lead, then up to 199 of the allowed ones. */
    static Gen<String> validNames() {
        String allowed = "aZ09:_.-";
        return lists().of(integers().between(0, allowed.length() - 1))
                .ofSizeBetween(0, 199)
                .map(
                        cs -> {
                            StringBuilder b = new StringBuilder("_");
                            cs.forEach(i -> b.append(allowed.charAt(i)));
                            return b.toString();
                        });
    }

    @Test
    void aValidNameIsItsOwnDirectoryUnderTheBase() {
        qt().withExamples(500)
                .forAll(validNames())
                .checkAssert(
                        name ->
                                assertThat(
                                                SpoolConvention.watchDir(
                                                                java.util.Optional.of(name))
                                                        .getParent())
                                        .isEqualTo(SpoolConvention.BASE.resolve(name))
                                        .satisfies(
                                                dir ->
                                                        assertThat(dir.normalize().getParent())
                                                                .isEqualTo(SpoolConvention.BASE)));
    }
}
