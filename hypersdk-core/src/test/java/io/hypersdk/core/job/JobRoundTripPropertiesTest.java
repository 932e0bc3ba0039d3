package io.hypersdk.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/** Any job definition, with any mix of set, unset, true and false options, round-trips. */
class JobRoundTripPropertiesTest {

    static <T> Optional<T> maybe(RandomnessSource in, Gen<T> gen) {
        return Generate.booleans().generate(in) ? Optional.of(gen.generate(in)) : Optional.empty();
    }

    static Gen<String> text() {
        return Generate.oneOf(
                Generate.pick(
                        java.util.List.of(
                                "",
                                "yes",
                                "no",
                                "null",
                                "1.0",
                                "~",
                                "a: b",
                                " x ",
                                "multi\nline",
                                "\u0085nel",
                                "日本")),
                strings().betweenCodePoints(0x20, 0xD7FF).ofLengthBetween(0, 15));
    }

    static Gen<JobOptions> options() {
        Gen<Boolean> b = Generate.booleans();
        Gen<Integer> i = integers().between(-5, 500);
        return in ->
                new JobOptions(
                        maybe(in, i),
                        maybe(in, b),
                        maybe(in, b),
                        maybe(in, b),
                        maybe(in, text()),
                        maybe(in, b),
                        maybe(in, b),
                        maybe(in, b),
                        maybe(in, b),
                        maybe(in, b),
                        maybe(in, i),
                        maybe(in, b),
                        maybe(in, text()),
                        maybe(in, b),
                        maybe(in, text()),
                        maybe(in, text()),
                        maybe(in, b),
                        maybe(in, text()),
                        maybe(in, text()),
                        maybe(in, text()),
                        maybe(in, i),
                        maybe(in, i),
                        maybe(in, text()),
                        maybe(in, b),
                        maybe(in, text()));
    }

    static Gen<JobDefinition> definitions() {
        Gen<Boolean> b = Generate.booleans();
        return in ->
                new JobDefinition(
                        maybe(in, text()),
                        maybe(in, text()),
                        text().generate(in),
                        maybe(in, text()),
                        maybe(in, text()),
                        maybe(in, options()),
                        maybe(
                                in,
                                in2 ->
                                        new VCenterCredentials(
                                                maybe(in2, text()),
                                                maybe(in2, text()),
                                                Optional.empty(),
                                                maybe(in2, b))),
                        maybe(in, text()),
                        maybe(in, text()),
                        maybe(in, b),
                        maybe(in, text()),
                        maybe(in, text()),
                        maybe(in, b),
                        maybe(in, b),
                        Optional.empty(),
                        Optional.empty());
    }

    @Test
    void anyJobDefinitionRoundTripsThroughJsonAndYaml() {
        qt().withExamples(400)
                .withShrinkCycles(20)
                .forAll(definitions())
                .checkAssert(
                        d -> {
                            for (JobCodec.Format f : JobCodec.Format.values()) {
                                String text = JobCodec.write(d, f);
                                JobDefinition back = JobCodec.read(text, f, JobDefinition.class);
                                assertThat(JobCodec.write(back, f)).isEqualTo(text);
                                assertThat(back).isEqualTo(d);
                            }
                        });
    }

    @Test
    void damagedJobDocumentsGiveJobValidationExceptionsOnly() {
        qt().withExamples(400)
                .withShrinkCycles(10)
                .forAll(definitions(), integers().between(0, Integer.MAX_VALUE))
                .checkAssert(
                        (d, seed) -> {
                            java.util.Random random = new java.util.Random(seed);
                            for (JobCodec.Format f : JobCodec.Format.values()) {
                                StringBuilder s = new StringBuilder(JobCodec.write(d, f));
                                for (int i = 0; i < 1 + random.nextInt(3) && s.length() > 0; i++) {
                                    int at = random.nextInt(s.length());
                                    if (random.nextBoolean()) {
                                        s.delete(
                                                at,
                                                Math.min(s.length(), at + 1 + random.nextInt(8)));
                                    } else {
                                        s.insert(at, "{}[],:\"0-e".charAt(random.nextInt(10)));
                                    }
                                }
                                try {
                                    JobCodec.readSubmission(s.toString(), f);
                                } catch (JobValidationException e) {
                                    assertThat(e.violations()).isNotEmpty();
                                }
                            }
                        });
    }
}
