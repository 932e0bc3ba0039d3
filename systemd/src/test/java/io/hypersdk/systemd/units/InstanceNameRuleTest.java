package io.hypersdk.systemd.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.hypersdk.core.spool.InstanceName;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * install.sh checks {@code --instance} names with the same rule as hypersdk-core's {@link
 * InstanceName}: both accept and refuse the same strings (install.sh additionally reserves the
 * default instance's directory names). Runs {@code install.sh --check-instance}, which needs no
 * root and changes nothing.
 */
class InstanceNameRuleTest {

    /** install.sh also refuses these: they are the default instance's directories. */
    private static final Set<String> RESERVED = Set.of("queue", "output", "exports");

    /** Characters on both sides of the rule (NUL cannot travel in argv). */
    private static final String ALPHABET = "aZ09:_.-/ @\\\n\t\u007f\u00e9x*;$'\"";

    private static Gen<String> names() {
        return lists().of(integers().between(0, ALPHABET.length() - 1))
                .ofSizeBetween(0, 205)
                .map(
                        cs -> {
                            StringBuilder b = new StringBuilder();
                            cs.forEach(i -> b.append(ALPHABET.charAt(i)));
                            return b.toString();
                        });
    }

    /** Mostly-valid names, so that both verdicts are well represented. */
    private static Gen<String> nearlyValidNames() {
        String allowed = "aZ09:_.-";
        return lists().of(integers().between(0, allowed.length() - 1))
                .ofSizeBetween(0, 205)
                .map(
                        cs -> {
                            StringBuilder b = new StringBuilder();
                            cs.forEach(i -> b.append(allowed.charAt(i)));
                            return b.toString();
                        });
    }

    private static String javaVerdict(String name) {
        if (!InstanceName.isValid(name)) {
            return "invalid";
        }
        return RESERVED.contains(name) ? "reserved" : "valid";
    }

    /** One bash run for many names: install.sh prints one verdict per name, in order. */
    private static List<String> shellVerdicts(List<String> names) {
        List<String> argv =
                new ArrayList<>(
                        List.of(
                                "bash",
                                ShippedFiles.file("install.sh").toString(),
                                "--check-instance"));
        argv.addAll(names);
        Exec.Result r = Exec.run(argv);
        List<String> verdicts = r.stdout().lines().toList();
        assertThat(verdicts).as("%s", r).hasSize(names.size());
        assertThat(r.exitCode())
                .as("%s", r)
                .isEqualTo(verdicts.stream().allMatch("valid"::equals) ? 0 : 1);
        return verdicts;
    }

    private static void sameVerdicts(List<String> names) {
        List<String> shell = shellVerdicts(names);
        for (int i = 0; i < names.size(); i++) {
            assertThat(shell.get(i))
                    .as("install.sh on \"%s\"", InstanceName.printable(names.get(i)))
                    .isEqualTo(javaVerdict(names.get(i)));
        }
    }

    @Test
    void installShUsesTheJavaPatternVerbatim() throws IOException {
        assertThat(Files.readString(ShippedFiles.file("install.sh")))
                .contains("INSTANCE_PATTERN='" + InstanceName.PATTERN + "'");
    }

    @Test
    void theBoundariesGetTheSameVerdict() {
        List<String> names =
                List.of(
                        "vsphere-prod",
                        "a",
                        "_",
                        ":",
                        "0",
                        "A:b_c.d-1",
                        "a.",
                        "a-",
                        "",
                        ".",
                        "-",
                        ".hidden",
                        "-rf",
                        "--all",
                        "../etc",
                        "a/b",
                        "a b",
                        "a\nb",
                        "a\n",
                        "é",
                        "a@b",
                        "back\\slash",
                        "queue",
                        "output",
                        "exports",
                        "queue2",
                        "a".repeat(199),
                        "a".repeat(200),
                        "a".repeat(201),
                        "_" + "-".repeat(199),
                        "é".repeat(100));
        List<String> verdicts = names.stream().map(InstanceNameRuleTest::javaVerdict).toList();
        assertThat(verdicts).contains("valid", "invalid", "reserved");

        sameVerdicts(names);
    }

    @Test
    void generatedStringsGetTheSameVerdictFromInstallShAndTheJavaRule() {
        qt().withExamples(20)
                .withShrinkCycles(10)
                .forAll(lists().of(names()).ofSize(40), lists().of(nearlyValidNames()).ofSize(40))
                .checkAssert(
                        (junk, nearlyValid) -> {
                            List<String> all = new ArrayList<>(junk);
                            all.addAll(nearlyValid);
                            sameVerdicts(all);
                        });
    }
}
