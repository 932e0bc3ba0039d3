package io.hypersdk.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Test;

class ManifestRoundTripPropertiesTest {

    @Test
    void generatedManifestsAreValid() {
        qt().withExamples(300)
                .withShrinkCycles(20)
                .forAll(ManifestGenerators.manifests())
                .checkAssert(
                        m ->
                                assertThat(
                                                ManifestValidator.validate(
                                                        m, ValidationOptions.structural()))
                                        .isEmpty());
    }

    @Test
    void anyManifestRoundTripsThroughJson() {
        qt().withExamples(300)
                .withShrinkCycles(20)
                .forAll(ManifestGenerators.manifests())
                .checkAssert(
                        m -> {
                            String json = ManifestCodec.toJson(m);
                            ArtifactManifest back = ManifestCodec.parse(json, ManifestFormat.JSON);
                            assertThat(ManifestCodec.toJson(back)).isEqualTo(json);
                            assertThat(back).isEqualTo(m);
                        });
    }

    @Test
    void anyManifestRoundTripsThroughYaml() {
        qt().withExamples(300)
                .withShrinkCycles(20)
                .forAll(ManifestGenerators.manifests())
                .checkAssert(
                        m -> {
                            String yaml = ManifestCodec.toYaml(m);
                            ArtifactManifest back = ManifestCodec.parse(yaml, ManifestFormat.YAML);
                            assertThat(ManifestCodec.toYaml(back)).isEqualTo(yaml);
                            assertThat(back).isEqualTo(m);
                        });
    }

    @Test
    void jsonAndYamlOfTheSameManifestReadBackEqual() {
        qt().withExamples(100)
                .withShrinkCycles(20)
                .forAll(ManifestGenerators.manifests())
                .checkAssert(
                        m ->
                                assertThat(
                                                ManifestCodec.parse(
                                                        ManifestCodec.toYaml(m),
                                                        ManifestFormat.YAML))
                                        .isEqualTo(
                                                ManifestCodec.parse(
                                                        ManifestCodec.toJson(m),
                                                        ManifestFormat.JSON)));
    }
}
