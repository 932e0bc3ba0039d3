package io.hypersdk.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestCodecTest {
    @TempDir Path dir;

    static String resource(String name) throws IOException {
        try (InputStream in = ManifestCodecTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static ArtifactManifest layoutManifest() {
        return ArtifactManifest.builder()
                .source(ManifestSource.of("vsphere").withVmName("web-01"))
                .vm(ManifestVm.of(0, 0, Firmware.UEFI))
                .addDisk(
                        DiskArtifact.builder()
                                .id("disk-0")
                                .sourceFormat(DiskFormat.VMDK)
                                .bytes(0)
                                .localPath(Path.of("/srv/exports/web-01/disk-0.vmdk"))
                                .bootOrderHint(0)
                                .diskType(DiskType.BOOT)
                                .build())
                .addDisk(
                        DiskArtifact.builder()
                                .id("disk-1")
                                .sourceFormat(DiskFormat.QCOW2)
                                .bytes(1024)
                                .localPath(Path.of("/srv/exports/web-01/disk 1.qcow2"))
                                .checksum(
                                        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                                .bootOrderHint(1)
                                .label("data")
                                .diskType(DiskType.DATA)
                                .build())
                .configuration(Map.of())
                .options(new ManifestOptions(false, 0, java.util.Optional.empty()))
                .build();
    }

    @Test
    void readsAnUpstreamVsphereManifestAndNormalisesEfiToUefi() throws IOException {
        ArtifactManifest m =
                ManifestCodec.parse(resource("upstream-vsphere.json"), ManifestFormat.JSON);

        assertThat(m.vm().orElseThrow().firmware()).isEqualTo(Firmware.UEFI);
        assertThat(m.source().orElseThrow().exportTimestamp())
                .contains(Instant.parse("2026-01-15T09:30:00.123456789Z"));
        assertThat(m.disks()).extracting(DiskArtifact::id).containsExactly("disk-0", "disk-1");
        assertThat(m.disks().get(0).bytes()).isEqualTo(2147483648L);
        assertThat(m.metadata().orElseThrow().tags()).containsEntry("export_format", "ovf");
        assertThat(m.pipeline().orElseThrow().fix().orElseThrow().printFstab()).isFalse();
        assertThat(m.options().orElseThrow().dryRun()).isFalse();
    }

    @Test
    void anOmittedBootOrderHintReadsAsTheDocumentedDefault999() throws IOException {
        ArtifactManifest m =
                ManifestCodec.parse(resource("upstream-vsphere.json"), ManifestFormat.JSON);

        assertThat(m.disks().get(0).bootOrderHint()).isEqualTo(999);
        assertThat(m.disks().get(1).bootOrderHint()).isEqualTo(1);
        assertThat(m.bootDisk().id()).isEqualTo("disk-1");
    }

    @Test
    void bootOrderHintZeroIsWrittenAndReadBack() {
        String json = ManifestCodec.toJson(layoutManifest());

        assertThat(json).contains("\"boot_order_hint\": 0");
        ArtifactManifest back = ManifestCodec.parse(json, ManifestFormat.JSON);
        assertThat(back.disks().get(0).bootOrderHint()).isZero();
        assertThat(back.bootDisk().id()).isEqualTo("disk-0");
    }

    @Test
    void writesTwoSpaceIndentedJsonInTheUpstreamLayout() throws IOException {
        assertThat(ManifestCodec.toJson(layoutManifest()))
                .isEqualTo(resource("written-layout.json"));
    }

    @Test
    void writesYamlWithTheSameFieldNames() throws IOException {
        assertThat(ManifestCodec.toYaml(layoutManifest()))
                .isEqualTo(resource("written-layout.yaml"));
    }

    @Test
    void readingDoesNotRequireTheDiskFilesToExist() throws IOException {
        Path file = dir.resolve("artifact-manifest.json");
        Files.writeString(file, resource("upstream-vsphere.json"));

        ArtifactManifest m = ManifestCodec.read(file);

        assertThat(Files.exists(m.disks().get(0).localPath())).isFalse();
        assertThat(ManifestValidator.validate(m, ValidationOptions.withDiskFiles()))
                .extracting(Violation::path)
                .containsExactly("disks[0].local_path", "disks[1].local_path");
    }

    @Test
    void writeIsAtomicWithMode0644AndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("artifact-manifest.json");
        Files.writeString(file, "old content");

        ManifestCodec.write(layoutManifest(), file);

        assertThat(Files.readString(file)).isEqualTo(resource("written-layout.json"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-r--r--");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writeChoosesYamlByExtensionAndReadReadsItBack() throws IOException {
        Path yaml = dir.resolve("manifest.yml");

        ManifestCodec.write(layoutManifest(), yaml);

        assertThat(Files.readString(yaml)).isEqualTo(resource("written-layout.yaml"));
        assertThat(ManifestCodec.read(yaml)).isEqualTo(layoutManifest());
    }

    @Test
    void writeRefusesAnInvalidManifestAndLeavesTheExistingFileUntouched() throws IOException {
        Path file = dir.resolve("artifact-manifest.json");
        Files.writeString(file, "previous");
        ArtifactManifest invalid = layoutManifest().toBuilder().disks(List.of()).build();

        assertThatThrownBy(() -> ManifestCodec.write(invalid, file))
                .isInstanceOf(ManifestValidationException.class)
                .hasMessageContaining("disks: manifest must have at least one disk");
        assertThat(Files.readString(file)).isEqualTo("previous");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writeIntoAMissingDirectoryNamesTheFile() {
        Path file = dir.resolve("no-such-dir/artifact-manifest.json");

        assertThatThrownBy(() -> ManifestCodec.write(layoutManifest(), file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("directory exists");
    }

    @Test
    void aManifestWithFiveFaultsReportsFiveViolationsWithTheirPaths() throws IOException {
        ManifestValidationException e =
                catchThrowableOfType(
                        ManifestValidationException.class,
                        () ->
                                ManifestCodec.parse(
                                        resource("five-faults.json"), ManifestFormat.JSON));

        assertThat(e.violations())
                .extracting(Violation::path)
                .containsExactlyInAnyOrder(
                        "manifest_version",
                        "vm.firmware",
                        "disks[1].source_format",
                        "disks[1].bytes",
                        "disks[2].checksum");
        assertThat(e.violations()).hasSize(5);
        assertThat(e.getMessage())
                .startsWith("invalid manifest (json text): 5 violations: ")
                .contains(
                        "disks[1].source_format: \"qcow3\" must be one of: vmdk, qcow2, raw, vhd,"
                                + " vhdx, vdi")
                .contains("vm.firmware: \"openfirmware\" must be one of: bios, uefi, unknown")
                .doesNotContain("\n");
    }

    @Test
    void wrongTypesAndMissingFieldsAreViolationsNotParserExceptions() {
        String doc =
                "{\"manifest_version\": \"1.0\", \"vm\": {\"cpu\": \"two\", \"secureboot\": 1},"
                        + " \"disks\": [{\"source_format\": \"raw\", \"bytes\": 1.5, \"local_path\": 7,"
                        + " \"boot_order_hint\": null}, \"disk\"], \"nics\": {}, \"notes\": [1],"
                        + " \"warnings\": [{\"stage\": \"export\"}]}";

        ManifestValidationException e =
                catchThrowableOfType(
                        ManifestValidationException.class,
                        () -> ManifestCodec.parse(doc, ManifestFormat.JSON));

        assertThat(e.violations())
                .containsExactlyInAnyOrder(
                        new Violation("vm.cpu", "must be an integer (got: \"two\")"),
                        new Violation("vm.secureboot", "must be true or false (got: 1)"),
                        new Violation("disks[0].id", "is required"),
                        new Violation("disks[0].bytes", "must be an integer (got: 1.5)"),
                        new Violation("disks[0].local_path", "must be a string (got: a number)"),
                        new Violation("disks[1]", "must be an object (got: a string)"),
                        new Violation("nics", "must be an array (got: an object)"),
                        new Violation("notes[0]", "must be a string (got: a number)"),
                        new Violation("warnings[0].message", "is required"));
    }

    @Test
    void aDocumentThatIsNotJsonIsOneViolationWithItsPosition() {
        assertThatThrownBy(
                        () ->
                                ManifestCodec.parse(
                                        "{\"manifest_version\": \"1.0\",\n  \"disks\": [",
                                        ManifestFormat.JSON))
                .isInstanceOf(ManifestValidationException.class)
                .hasMessageStartingWith(
                        "invalid manifest (json text): 1 violation: $: not valid JSON at"
                                + " line 2");
    }

    @Test
    void emptyDocumentsArraysAndDuplicateKeysAreRejected() {
        assertThatThrownBy(() -> ManifestCodec.parse("", ManifestFormat.JSON))
                .isInstanceOf(ManifestValidationException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> ManifestCodec.parse("[]", ManifestFormat.JSON))
                .isInstanceOf(ManifestValidationException.class)
                .hasMessageContaining("$: a manifest must be an object (got: an array)");
        assertThatThrownBy(
                        () ->
                                ManifestCodec.parse(
                                        "{\"manifest_version\": \"1.0\", \"manifest_version\": \"1.0\", \"disks\": []}",
                                        ManifestFormat.JSON))
                .isInstanceOf(ManifestValidationException.class)
                .hasMessageContaining("Duplicate field 'manifest_version'");
        assertThatThrownBy(() -> ManifestCodec.parse("manifest_version: [", ManifestFormat.YAML))
                .isInstanceOf(ManifestValidationException.class)
                .hasMessageContaining("$: not valid YAML at line");
    }

    @Test
    void yamlAcceptsAnUnquotedVersionNumber() {
        ArtifactManifest m =
                ManifestCodec.parse(
                        "manifest_version: 1.0\ndisks:\n  - id: d0\n"
                                + "    source_format: raw\n    bytes: 1\n    local_path: /d0.raw\n",
                        ManifestFormat.YAML);

        assertThat(m.manifestVersion()).isEqualTo("1.0");
        assertThat(m.disks().get(0).diskType()).isEqualTo(DiskType.UNKNOWN);
    }

    @Test
    void readsFromAStreamAndFromAYamlFileByExtension() throws IOException {
        String yaml = ManifestCodec.toYaml(layoutManifest());
        assertThat(
                        ManifestCodec.read(
                                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                                ManifestFormat.YAML))
                .isEqualTo(layoutManifest());
        Path file = dir.resolve("m.YAML");
        Files.writeString(file, yaml);
        assertThat(ManifestFormat.forPath(file)).isEqualTo(ManifestFormat.YAML);
        assertThat(ManifestCodec.read(file)).isEqualTo(layoutManifest());
    }

    @Test
    void aMissingFileIsAnIoErrorNamingThePath() {
        Path file = dir.resolve("absent.json");

        assertThatThrownBy(() -> ManifestCodec.read(file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessage("cannot read manifest " + file + ": no such file");
    }

    @Test
    void theErrorNamesTheFileItCameFrom() throws IOException {
        Path file = dir.resolve("broken.json");
        Files.writeString(file, "{\"manifest_version\": \"1.0\", \"disks\": []}");

        assertThatThrownBy(() -> ManifestCodec.read(file))
                .isInstanceOf(ManifestValidationException.class)
                .hasMessage(
                        "invalid manifest "
                                + file
                                + ": 1 violation: disks: manifest must have at least one disk");
    }

    @Test
    void controlCharactersFromTheDocumentAreEscapedInTheOneLineMessage() {
        String doc =
                "{\"manifest_version\": \"1.0\", \"disks\": [{\"id\": \"a\\nb\","
                        + " \"source_format\": \"raw\", \"bytes\": 1, \"local_path\": \"/d\"}],"
                        + " \"metadata\": {\"tags\": {\"x\\u0000y\": 1}}}";

        assertThatThrownBy(() -> ManifestCodec.parse(doc, ManifestFormat.JSON))
                .isInstanceOf(ManifestValidationException.class)
                .hasMessageContaining("metadata.tags.x\\u0000y: must be a string (got: a number)")
                .hasMessageContaining("disks[0].id: \"a\\nb\" must match pattern")
                .satisfies(
                        e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\0"));
    }
}
