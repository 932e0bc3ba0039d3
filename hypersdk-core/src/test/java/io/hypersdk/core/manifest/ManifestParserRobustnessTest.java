package io.hypersdk.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Reading damaged documents either succeeds or throws {@link ManifestValidationException} with at
 * least one violation; nothing else escapes (no parser, null-pointer or path exceptions).
 */
class ManifestParserRobustnessTest {
    private static final List<JsonNode> REPLACEMENTS =
            List.of(
                    JsonNodeFactory.instance.nullNode(),
                    JsonNodeFactory.instance.textNode("x"),
                    JsonNodeFactory.instance.textNode(""),
                    JsonNodeFactory.instance.textNode("\0/.."),
                    JsonNodeFactory.instance.numberNode(-1),
                    JsonNodeFactory.instance.numberNode(1.5),
                    JsonNodeFactory.instance.numberNode(
                            new java.math.BigInteger("99999999999999999999")),
                    JsonNodeFactory.instance.booleanNode(true),
                    JsonNodeFactory.instance.arrayNode(),
                    JsonNodeFactory.instance.objectNode());

    /** A valid manifest's tree with one to four nodes replaced by values of another type. */
    static Gen<String> damagedTrees() {
        return ManifestGenerators.manifests()
                .zip(
                        integers().between(0, Integer.MAX_VALUE),
                        integers().between(1, 4),
                        (m, seed, n) -> {
                            JsonNode tree = ManifestTree.toTree(m);
                            java.util.Random random = new java.util.Random(seed);
                            for (int i = 0; i < n; i++) {
                                List<JsonNode[]> slots = new ArrayList<>();
                                collect(tree, slots);
                                JsonNode[] slot = slots.get(random.nextInt(slots.size()));
                                JsonNode replacement =
                                        REPLACEMENTS.get(random.nextInt(REPLACEMENTS.size()));
                                if (slot[0] instanceof ObjectNode o) {
                                    java.util.Iterator<String> names = o.fieldNames();
                                    List<String> keys = new ArrayList<>();
                                    names.forEachRemaining(keys::add);
                                    if (!keys.isEmpty()) {
                                        String key = keys.get(random.nextInt(keys.size()));
                                        if (random.nextInt(5) == 0) {
                                            o.remove(key);
                                        } else {
                                            o.set(key, replacement);
                                        }
                                    }
                                } else if (slot[0] instanceof ArrayNode a && a.size() > 0) {
                                    a.set(random.nextInt(a.size()), replacement);
                                }
                            }
                            return tree.toString();
                        });
    }

    private static void collect(JsonNode node, List<JsonNode[]> out) {
        if (node.isContainerNode()) {
            out.add(new JsonNode[] {node});
            node.forEach(child -> collect(child, out));
        }
    }

    /** A valid manifest's JSON text with bytes cut out or inserted. */
    static Gen<String> damagedText() {
        return ManifestGenerators.manifests()
                .zip(
                        integers().between(0, Integer.MAX_VALUE),
                        (m, seed) -> {
                            StringBuilder s = new StringBuilder(ManifestCodec.toJson(m));
                            java.util.Random random = new java.util.Random(seed);
                            int edits = 1 + random.nextInt(3);
                            for (int i = 0; i < edits && s.length() > 0; i++) {
                                int at = random.nextInt(s.length());
                                if (random.nextBoolean()) {
                                    s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(8)));
                                } else {
                                    s.insert(at, "{}[],:\"0-e".charAt(random.nextInt(10)));
                                }
                            }
                            return s.toString();
                        });
    }

    private static void readsOrReportsViolations(String text, ManifestFormat format) {
        try {
            ManifestCodec.parse(text, format);
        } catch (ManifestValidationException e) {
            assertThat(e.violations()).isNotEmpty();
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @Test
    void damagedTreesGiveViolationsNotExceptions() {
        qt().withExamples(400)
                .withShrinkCycles(10)
                .forAll(damagedTrees())
                .checkAssert(t -> readsOrReportsViolations(t, ManifestFormat.JSON));
    }

    @Test
    void damagedTextGivesViolationsNotExceptions() {
        qt().withExamples(400)
                .withShrinkCycles(10)
                .forAll(damagedText())
                .checkAssert(
                        t -> {
                            readsOrReportsViolations(t, ManifestFormat.JSON);
                            readsOrReportsViolations(t, ManifestFormat.YAML);
                        });
    }

    @Test
    void arbitraryTopLevelValuesGiveViolations() {
        qt().withExamples(50)
                .forAll(Generate.pick(REPLACEMENTS))
                .checkAssert(n -> readsOrReportsViolations(n.toString(), ManifestFormat.JSON));
    }
}
