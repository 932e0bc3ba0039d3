package io.hypersdk.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.hypersdk.core.Cancellation;
import io.hypersdk.provider.spi.ExportFormat;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;

/**
 * Issue 14 property: no VM or disk name (any code points, any length) makes a local export write
 * outside its output directory or need a path component longer than 255 bytes. The export either
 * succeeds or refuses the source ({@link InvalidSourceException}); it never fails on the file
 * system's name limit.
 */
class NamePropertiesTest {
    private static final int NAME_MAX = 255;

    @TempDir Path tmp;

    private final AtomicInteger run = new AtomicInteger();

    /** Any code point (XML 1.1 character references carry the control characters). */
    private static Gen<String> anyName() {
        return strings().allPossible().ofLengthBetween(0, 300);
    }

    /** Plain names around the limit: where a prefix or suffix the SDK adds tips them over. */
    private static Gen<String> nearTheLimit() {
        return strings().betweenCodePoints('a', 'z').ofLengthBetween(200, 300);
    }

    @Test
    void anyVmAndDiskNameStaysInsideTheOutputDirectoryAndUnderTheNameLimit() {
        qt().withExamples(40)
                .withShrinkCycles(20)
                .forAll(anyName(), anyName())
                .checkAssert((vm, disk) -> exportAndCheck(vm, disk + ".vmdk"));
    }

    @Test
    void namesNearTheLimitStillExportAsOvfAndOva() {
        qt().withExamples(25)
                .withShrinkCycles(20)
                .forAll(
                        nearTheLimit(),
                        strings().betweenCodePoints('a', 'z').ofLengthBetween(240, 255))
                .checkAssert(
                        (vm, disk) -> {
                            Result r = exportAndCheck(vm, disk);
                            assertThat(r.failure())
                                    .as("export of vm '%s' disk '%s'", vm, disk)
                                    .isNull();
                        });
    }

    record Result(Throwable failure) {}

    private Result exportAndCheck(String vm, String disk) {
        Path work = tmp.resolve("run-" + run.incrementAndGet());
        Path out = work.resolve("out");
        Throwable failure = null;
        try {
            Files.createDirectories(work);
            Path ova =
                    new TestTar()
                            .longName(disk, new byte[4096])
                            .file("vm.ovf", descriptor(vm, disk))
                            .writeTo(work.resolve("src.ova"));
            for (ExportFormat format : List.of(ExportFormat.OVF, ExportFormat.OVA)) {
                Path o = out.resolve(format.name());
                try (ProviderSession s =
                        new LocalProvider().connect(ProviderConfig.builder(Map.of()).build())) {
                    s.export(
                            ExportRequest.builder(ova.toString(), o).format(format).build(),
                            e -> {},
                            Cancellation.none());
                } catch (InvalidSourceException e) {
                    failure = e; // the source was refused as such: allowed
                }
            }
            try (Stream<Path> all = Files.walk(work)) {
                for (Path p : all.toList()) {
                    Path rel = work.relativize(p);
                    assertThat(
                                    p.equals(work)
                                            || p.equals(work.resolve("src.ova"))
                                            || p.normalize().startsWith(out))
                            .as("%s is inside the output directory", p)
                            .isTrue();
                    for (Path component : rel) {
                        assertThat(component.toString().getBytes(StandardCharsets.UTF_8).length)
                                .as("bytes of %s", component)
                                .isLessThanOrEqualTo(NAME_MAX);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Result(failure);
    }

    /** An XML 1.1 descriptor naming the VM {@code vm} with one disk file {@code disk}. */
    private static String descriptor(String vm, String disk) {
        return OvfFixtures.descriptor(
                        "VMNAME",
                        1,
                        512,
                        null,
                        List.of(new OvfFixtures.Disk("DISKHREF", 1, "Hard disk 1", "")),
                        List.of())
                .replace("<?xml version=\"1.0\"", "<?xml version=\"1.1\"")
                .replace("VMNAME", references(vm))
                .replace("DISKHREF", references(disk));
    }

    /** Every character outside printable ASCII as a character reference. */
    private static String references(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints()
                .forEach(
                        cp -> {
                            if (cp >= 0x20
                                    && cp < 0x7f
                                    && cp != '&'
                                    && cp != '<'
                                    && cp != '>'
                                    && cp != '"'
                                    && cp != '\'') {
                                b.appendCodePoint(cp);
                            } else {
                                b.append("&#x").append(Integer.toHexString(cp)).append(';');
                            }
                        });
        return b.toString();
    }
}
