package io.hypersdk.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.hypersdk.provider.spi.UnsafeArchiveException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

/** Whatever the member names and link targets, an indexed archive never points outside its root. */
class TarSafetyPropertiesTest {

    private static final List<String> SEGMENTS =
            List.of("a", "b.vmdk", "..", ".", "", "dir", "...", "..a", "a..", " ");

    @TempDir Path dir;

    private static Gen<String> paths() {
        return lists().of(integers().between(0, SEGMENTS.size() - 1))
                .ofSizeBetween(1, 6)
                .zip(
                        integers().between(0, 3),
                        (idx, lead) -> {
                            StringBuilder sb =
                                    new StringBuilder(lead == 0 ? "/" : lead == 1 ? "./" : "");
                            for (int i = 0; i < idx.size(); i++) {
                                sb.append(i > 0 ? "/" : "").append(SEGMENTS.get(idx.get(i)));
                            }
                            return sb.toString();
                        });
    }

    private static boolean inside(String rel) {
        Path root = Path.of("/root-of-archive");
        return root.resolve(rel).normalize().startsWith(root) && !rel.startsWith("/");
    }

    @Test
    void membersAndLinkTargetsOfAnAcceptedArchiveStayInsideItsRoot() {
        int[] n = {0};
        qt().withExamples(300)
                .forAll(paths(), paths(), integers().between(0, 2))
                .checkAssert(
                        (name, target, type) -> {
                            TestTar tar = new TestTar().file("ok.ovf", "x");
                            switch (type) {
                                case 0 -> tar.file(name, "data");
                                case 1 -> tar.symlink(name, target);
                                default -> tar.hardlink(name, target);
                            }
                            try {
                                Path ova = tar.writeTo(dir.resolve("p" + (n[0]++) + ".ova"));
                                TarIndex index = TarIndex.read(ova);
                                for (TarIndex.Member m : index.members()) {
                                    assertThat(inside(m.name())).as("member %s", m.name()).isTrue();
                                    m.linkTarget()
                                            .ifPresent(
                                                    t ->
                                                            assertThat(inside(t))
                                                                    .as(
                                                                            "link %s -> %s",
                                                                            m.name(), t)
                                                                    .isTrue());
                                }
                                Files.delete(ova);
                            } catch (UnsafeArchiveException expected) {
                                assertThat(expected.getMessage())
                                        .contains("is unsafe")
                                        .contains("nothing was extracted");
                            } catch (java.io.IOException e) {
                                throw new AssertionError(e);
                            }
                        });
    }
}
