package io.hypersdk.core.manifest;

import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/** QuickTheories generators of valid Artifact Manifests with awkward text in every field. */
public final class ManifestGenerators {
    /** Strings that YAML and JSON writers get wrong when they quote carelessly. */
    static final List<String> TRICKY =
            List.of(
                    "",
                    " ",
                    "yes",
                    "no",
                    "on",
                    "off",
                    "true",
                    "False",
                    "null",
                    "~",
                    "1.0",
                    "0x1F",
                    "1e3",
                    "-1",
                    ".inf",
                    "NaN",
                    "007",
                    "a: b",
                    "#comment",
                    "- item",
                    "[x]",
                    "{y}",
                    "'quoted'",
                    "\"dq\"",
                    "trailing ",
                    " leading",
                    "multi\nline",
                    "tab\tch",
                    "back\\slash",
                    "üñï©ødé",
                    "日本語",
                    "emoji \uD83D\uDE00",
                    "=",
                    "!tag",
                    "&anchor",
                    "*alias",
                    "%percent",
                    "@at",
                    "`tick`",
                    "|",
                    ">",
                    "?",
                    ",",
                    "\u0007bell",
                    "nul\u0000byte",
                    "\u2028sep",
                    "\uFEFFbom",
                    "\u0085nel");

    private ManifestGenerators() {}

    /** Any text: tricky tokens, printable ASCII, or Basic-Multilingual-Plane text. */
    public static Gen<String> text() {
        return Generate.oneOf(
                Generate.pick(TRICKY),
                strings().ascii().ofLengthBetween(0, 20),
                strings().betweenCodePoints(0x20, 0xD7FF).ofLengthBetween(0, 12));
    }

    static <T> Gen<Optional<T>> optional(Gen<T> gen) {
        return in ->
                Generate.booleans().generate(in) ? Optional.of(gen.generate(in)) : Optional.empty();
    }

    static <T> Gen<List<T>> listOf(Gen<T> gen, int max) {
        return in -> {
            int n = Generate.range(0, max).generate(in);
            List<T> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                out.add(gen.generate(in));
            }
            return out;
        };
    }

    static Gen<Instant> instants() {
        return longs().between(0, 4_102_444_800L)
                .zip(integers().between(0, 999_999_999), (s, n) -> Instant.ofEpochSecond(s, n));
    }

    static Gen<Boolean> bools() {
        return Generate.booleans();
    }

    /** Valid disks, {@code index} used for unique ids. */
    static Function<Integer, Gen<DiskArtifact>> disk() {
        Gen<String> idTail = strings().betweenCodePoints('a', 'z').ofLengthBetween(0, 8);
        Gen<String> hex = strings().betweenCodePoints('0', '9').ofLength(64);
        return index ->
                in ->
                        DiskArtifact.builder()
                                .id("disk-" + index + idTail.generate(in))
                                .sourceFormat(Generate.enumValues(DiskFormat.class).generate(in))
                                .bytes(longs().between(0, Long.MAX_VALUE).generate(in))
                                .localPath(
                                        Path.of(
                                                "/exports",
                                                "vm "
                                                        + text().generate(in)
                                                                .replace("\0", "")
                                                                .replace("/", "_"),
                                                "disk-" + index + ".vmdk"))
                                .checksum(optional(hex.map(h -> "sha256:" + h)).generate(in))
                                .bootOrderHint(integers().between(0, 2000).generate(in))
                                .label(optional(text()).generate(in))
                                .diskType(Generate.enumValues(DiskType.class).generate(in))
                                .build();
    }

    /** Valid manifests exercising every field. */
    public static Gen<ArtifactManifest> manifests() {
        return ManifestGenerators::manifest;
    }

    private static ArtifactManifest manifest(RandomnessSource in) {
        ArtifactManifest.Builder b = ArtifactManifest.builder();
        optional(
                        in2 ->
                                new ManifestSource(
                                        "vsphere"
                                                + strings()
                                                        .betweenCodePoints('a', 'z')
                                                        .ofLengthBetween(0, 3)
                                                        .generate(in2),
                                        optional(text()).generate(in2),
                                        optional(text()).generate(in2),
                                        optional(text()).generate(in2),
                                        optional(text()).generate(in2),
                                        optional(instants()).generate(in2)))
                .generate(in)
                .ifPresent(b::source);
        optional(
                        in2 ->
                                new ManifestVm(
                                        integers().between(0, 512).generate(in2),
                                        integers().between(0, 4096).generate(in2),
                                        Generate.enumValues(Firmware.class).generate(in2),
                                        bools().generate(in2),
                                        optional(text()).generate(in2),
                                        optional(text()).generate(in2)))
                .generate(in)
                .ifPresent(b::vm);
        int disks = Generate.range(1, 4).generate(in);
        for (int i = 0; i < disks; i++) {
            b.addDisk(disk().apply(i).generate(in));
        }
        Gen<String> hexPair = strings().betweenCodePoints('a', 'f').ofLength(2);
        b.nics(
                listOf(
                                in2 ->
                                        new NicArtifact(
                                                optional(text()).generate(in2),
                                                optional(
                                                                in3 ->
                                                                        String.join(
                                                                                ":",
                                                                                hexPair.generate(
                                                                                        in3),
                                                                                hexPair.generate(
                                                                                        in3),
                                                                                hexPair.generate(
                                                                                        in3),
                                                                                hexPair.generate(
                                                                                        in3),
                                                                                hexPair.generate(
                                                                                        in3),
                                                                                hexPair.generate(
                                                                                        in3)))
                                                        .generate(in2),
                                                optional(text()).generate(in2)),
                                3)
                        .generate(in));
        b.warnings(
                listOf(
                                in2 ->
                                        new ManifestWarning(
                                                "stage" + integers().between(0, 9).generate(in2),
                                                "w" + text().generate(in2),
                                                optional(instants()).generate(in2)),
                                3)
                        .generate(in));
        b.notes(listOf(text(), 4).generate(in));
        optional(
                        in2 -> {
                            Map<String, String> tags = new LinkedHashMap<>();
                            for (String k : listOf(text(), 3).generate(in2)) {
                                tags.put(k, text().generate(in2));
                            }
                            return new ManifestMetadata(
                                    optional(text()).generate(in2),
                                    optional(text()).generate(in2),
                                    optional(instants()).generate(in2),
                                    tags);
                        })
                .generate(in)
                .ifPresent(b::metadata);
        optional(
                        in2 ->
                                new PipelineStages(
                                        optional(
                                                        in3 ->
                                                                new PipelineStages.Inspect(
                                                                        bools().generate(in3),
                                                                        bools().generate(in3)))
                                                .generate(in2),
                                        optional(
                                                        in3 ->
                                                                new PipelineStages.Fix(
                                                                        bools().generate(in3),
                                                                        bools().generate(in3),
                                                                        bools().generate(in3),
                                                                        bools().generate(in3),
                                                                        bools().generate(in3),
                                                                        bools().generate(in3),
                                                                        optional(text())
                                                                                .generate(in3)))
                                                .generate(in2),
                                        optional(
                                                        in3 ->
                                                                new PipelineStages.Convert(
                                                                        bools().generate(in3),
                                                                        bools().generate(in3),
                                                                        bools().generate(in3)
                                                                                ? OptionalInt.of(
                                                                                        integers()
                                                                                                .between(
                                                                                                        1,
                                                                                                        9)
                                                                                                .generate(
                                                                                                        in3))
                                                                                : OptionalInt
                                                                                        .empty()))
                                                .generate(in2),
                                        optional(
                                                        in3 ->
                                                                new PipelineStages.Validate(
                                                                        bools().generate(in3),
                                                                        bools().generate(in3)))
                                                .generate(in2)))
                .generate(in)
                .ifPresent(b::pipeline);
        optional(
                        in2 -> {
                            Map<String, Object> config = new LinkedHashMap<>();
                            config.put("hostname", text().generate(in2));
                            config.put(
                                    "users",
                                    List.of(
                                            Map.of(
                                                    "name",
                                                    text().generate(in2),
                                                    "admin",
                                                    bools().generate(in2))));
                            config.put(
                                    "network",
                                    Map.of("mtu", integers().between(576, 9000).generate(in2)));
                            return config;
                        })
                .generate(in)
                .ifPresent(b::configuration);
        optional(
                        in2 ->
                                new OutputSpec(
                                        optional(
                                                        text().map(
                                                                        t ->
                                                                                Path.of(
                                                                                        "/out",
                                                                                        t.replace(
                                                                                                        "\0",
                                                                                                        "")
                                                                                                .replace(
                                                                                                        "/",
                                                                                                        "_"))))
                                                .generate(in2),
                                        optional(Generate.pick(List.of("qcow2", "raw", "vdi")))
                                                .generate(in2),
                                        optional(text()).generate(in2)))
                .generate(in)
                .ifPresent(b::output);
        optional(
                        in2 ->
                                new ManifestOptions(
                                        bools().generate(in2),
                                        integers().between(0, 3).generate(in2),
                                        optional(
                                                        in3 ->
                                                                new ManifestOptions.Report(
                                                                        bools().generate(in3),
                                                                        optional(text())
                                                                                .generate(in3)))
                                                .generate(in2)))
                .generate(in)
                .ifPresent(b::options);
        return b.build();
    }
}
