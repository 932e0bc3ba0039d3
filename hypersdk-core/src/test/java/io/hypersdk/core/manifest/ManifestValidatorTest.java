package io.hypersdk.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of {@link ManifestValidator}: a manifest that breaks it and one that just passes. */
class ManifestValidatorTest {
    @TempDir Path dir;

    static DiskArtifact.Builder disk(String id) {
        return DiskArtifact.builder()
                .id(id)
                .sourceFormat(DiskFormat.VMDK)
                .bytes(1)
                .localPath(Path.of("/exports/" + id + ".vmdk"))
                .bootOrderHint(0);
    }

    static ArtifactManifest.Builder valid() {
        return ArtifactManifest.builder().addDisk(disk("disk-0").build());
    }

    static UnaryOperator<ArtifactManifest.Builder> withDisk(DiskArtifact.Builder d) {
        return b -> b.disks(List.of(d.build()));
    }

    static Arguments rule(
            String name,
            UnaryOperator<ArtifactManifest.Builder> failing,
            String path,
            String message,
            UnaryOperator<ArtifactManifest.Builder> passing) {
        return Arguments.of(name, failing, path, message, passing);
    }

    static Stream<Arguments> rules() {
        return Stream.of(
                rule(
                        "version",
                        b -> b.manifestVersion("1.1"),
                        "manifest_version",
                        "unsupported manifest version \"1.1\": expected \"1.0\"",
                        b -> b.manifestVersion("1.0")),
                rule(
                        "at least one disk",
                        b -> b.disks(List.of()),
                        "disks",
                        "manifest must have at least one disk",
                        b -> b),
                rule(
                        "disk id required",
                        withDisk(disk("")),
                        "disks[0].id",
                        "is required",
                        withDisk(disk("a"))),
                rule(
                        "disk id pattern",
                        withDisk(disk("disk 0")),
                        "disks[0].id",
                        "\"disk 0\" must match pattern ^[a-zA-Z0-9_-]+$",
                        withDisk(disk("Disk_0-x"))),
                rule(
                        "disk id unique",
                        b -> b.disks(List.of(disk("d").build(), disk("d").build())),
                        "disks[1].id",
                        "duplicate disk id \"d\" (also disks[0])",
                        b -> b.disks(List.of(disk("d").build(), disk("D").build()))),
                rule(
                        "bytes non-negative",
                        withDisk(disk("d").bytes(-1)),
                        "disks[0].bytes",
                        "must be non-negative (got: -1)",
                        withDisk(disk("d").bytes(0))),
                rule(
                        "local_path required",
                        withDisk(disk("d").localPath(Path.of(""))),
                        "disks[0].local_path",
                        "is required",
                        withDisk(disk("d").localPath(Path.of("/d")))),
                rule(
                        "local_path absolute",
                        withDisk(disk("d").localPath(Path.of("exports/d.vmdk"))),
                        "disks[0].local_path",
                        "\"exports/d.vmdk\" must be an absolute path",
                        withDisk(disk("d").localPath(Path.of("/exports/d.vmdk")))),
                rule(
                        "checksum format",
                        withDisk(disk("d").checksum("sha256:" + "A".repeat(64))),
                        "disks[0].checksum",
                        "must match format sha256:<64 lower-case hex digits> (got: \"sha256:"
                                + "A".repeat(64)
                                + "\")",
                        withDisk(disk("d").checksum("sha256:" + "a".repeat(64)))),
                rule(
                        "boot_order_hint non-negative",
                        withDisk(disk("d").bootOrderHint(-1)),
                        "disks[0].boot_order_hint",
                        "must be non-negative (got: -1)",
                        withDisk(disk("d").bootOrderHint(0))),
                rule(
                        "source provider required",
                        b -> b.source(ManifestSource.of(" ")),
                        "source.provider",
                        "is required",
                        b -> b.source(ManifestSource.of("local"))),
                rule(
                        "cpu non-negative",
                        b -> b.vm(ManifestVm.of(-2, 1, Firmware.BIOS)),
                        "vm.cpu",
                        "must be non-negative (got: -2)",
                        b -> b.vm(ManifestVm.of(0, 1, Firmware.BIOS))),
                rule(
                        "mem_gb non-negative",
                        b -> b.vm(ManifestVm.of(1, -1, Firmware.BIOS)),
                        "vm.mem_gb",
                        "must be non-negative (got: -1)",
                        b -> b.vm(ManifestVm.of(1, 0, Firmware.BIOS))),
                rule(
                        "MAC address",
                        b -> b.addNic(NicArtifact.of("00:50:56:aa:bb", "VM Network")),
                        "nics[0].mac",
                        "\"00:50:56:aa:bb\" is not a MAC address (expected xx:xx:xx:xx:xx:xx)",
                        b -> b.addNic(NicArtifact.of("00:50:56:AA:bb:0c", "VM Network"))),
                rule(
                        "warning stage required",
                        b -> b.addWarning(ManifestWarning.of("", "slow")),
                        "warnings[0].stage",
                        "is required",
                        b -> b.addWarning(ManifestWarning.of("export", "slow"))),
                rule(
                        "warning message required",
                        b -> b.addWarning(ManifestWarning.of("export", "")),
                        "warnings[0].message",
                        "is required",
                        b -> b.addWarning(ManifestWarning.of("export", "m"))),
                rule(
                        "compress level 1-9",
                        b ->
                                b.pipeline(
                                        PipelineStages.of(
                                                true, true, true, true, true, OptionalInt.of(10))),
                        "pipeline.convert.compress_level",
                        "must be between 1 and 9 (got: 10)",
                        b ->
                                b.pipeline(
                                        PipelineStages.of(
                                                true, true, true, true, true, OptionalInt.of(9)))),
                rule(
                        "output format",
                        b -> b.output(OutputSpec.of(Path.of("/o"), "vmdk")),
                        "output.format",
                        "\"vmdk\" must be one of: qcow2, raw, vdi",
                        b -> b.output(OutputSpec.of(Path.of("/o"), "vdi"))),
                rule(
                        "verbose 0-3",
                        b -> b.options(new ManifestOptions(false, 4, Optional.empty())),
                        "options.verbose",
                        "must be between 0 and 3 (got: 4)",
                        b -> b.options(new ManifestOptions(false, 3, Optional.empty()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void eachRuleRejectsTheBreakingManifestAndAcceptsTheBoundary(
            String name,
            UnaryOperator<ArtifactManifest.Builder> failing,
            String path,
            String message,
            UnaryOperator<ArtifactManifest.Builder> passing) {
        ArtifactManifest bad = failing.apply(valid()).build();
        ArtifactManifest good = passing.apply(valid()).build();

        assertThat(ManifestValidator.validate(bad, ValidationOptions.structural()))
                .containsExactly(new Violation(path, message));
        assertThat(ManifestValidator.validate(good, ValidationOptions.structural())).isEmpty();
    }

    @Test
    void theBadEnumValuesOfADocumentAreViolationsAndEfiIsAccepted() {
        String doc =
                "{\"manifest_version\": \"1.0\", \"vm\": {\"firmware\": \"%s\"}, \"disks\": ["
                        + "{\"id\": \"d\", \"source_format\": \"%s\", \"bytes\": 1, \"local_path\": \"/d\","
                        + " \"disk_type\": \"%s\"}]}";

        assertThatThrownBy(
                        () ->
                                ManifestCodec.parse(
                                        String.format(doc, "pxe", "iso", "root"),
                                        ManifestFormat.JSON))
                .isInstanceOfSatisfying(
                        ManifestValidationException.class,
                        e ->
                                assertThat(e.violations())
                                        .extracting(Violation::path)
                                        .containsExactly(
                                                "vm.firmware",
                                                "disks[0].source_format",
                                                "disks[0].disk_type"));
        ArtifactManifest ok =
                ManifestCodec.parse(String.format(doc, "EFI", "VMDK", "boot"), ManifestFormat.JSON);
        assertThat(ok.vm().orElseThrow().firmware()).isEqualTo(Firmware.UEFI);
        assertThat(ok.disks().get(0).sourceFormat()).isEqualTo(DiskFormat.VMDK);
    }

    @Test
    void diskFileChecksRequireAnExistingRegularFile() throws IOException {
        Path file = Files.writeString(dir.resolve("d.vmdk"), "disk");
        Path missing = dir.resolve("missing.vmdk");
        ArtifactManifest m =
                valid().disks(
                                List.of(
                                        disk("present").localPath(file).build(),
                                        disk("missing").localPath(missing).build(),
                                        disk("directory").localPath(dir).build()))
                        .build();

        assertThat(ManifestValidator.validate(m, ValidationOptions.structural())).isEmpty();
        assertThat(ManifestValidator.validate(m, ValidationOptions.withDiskFiles()))
                .containsExactly(
                        new Violation("disks[1].local_path", "not found: \"" + missing + "\""),
                        new Violation(
                                "disks[2].local_path", "\"" + dir + "\" is not a regular file"));
    }

    @Test
    void checksumChecksCompareEveryRecordedChecksum() throws IOException {
        Path file = Files.writeString(dir.resolve("d.vmdk"), "abc");
        String right = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        String wrong = "sha256:" + "0".repeat(64);
        ArtifactManifest m =
                valid().disks(
                                List.of(
                                        disk("right").localPath(file).checksum(right).build(),
                                        disk("wrong").localPath(file).checksum(wrong).build(),
                                        disk("none").localPath(file).build()))
                        .build();

        assertThat(ManifestValidator.validate(m, ValidationOptions.withDiskFiles())).isEmpty();
        assertThat(ManifestValidator.validate(m, ValidationOptions.withChecksums()))
                .containsExactly(
                        new Violation(
                                "disks[1].checksum",
                                "mismatch: expected " + wrong + ", got " + right));
    }

    @Test
    void requireValidListsEveryViolationInOneLine() {
        ArtifactManifest m =
                valid().manifestVersion("0.9")
                        .disks(List.of(disk("a b").bytes(-5).build()))
                        .build();

        assertThatThrownBy(() -> ManifestValidator.requireValid(m, ValidationOptions.structural()))
                .isInstanceOfSatisfying(
                        ManifestValidationException.class,
                        e -> assertThat(e.violations()).hasSize(3))
                .hasMessage(
                        "invalid manifest manifest: 3 violations: manifest_version: unsupported"
                                + " manifest version \"0.9\": expected \"1.0\"; disks[0].id: \"a b\" must match"
                                + " pattern ^[a-zA-Z0-9_-]+$; disks[0].bytes: must be non-negative (got: -5)");
    }

    @Test
    void withChecksumsImpliesDiskFileChecks() {
        assertThat(ValidationOptions.withChecksums().diskFiles()).isTrue();
        assertThat(new ValidationOptions(false, true).diskFiles()).isTrue();
        assertThat(ValidationOptions.structural().diskFiles()).isFalse();
    }
}
