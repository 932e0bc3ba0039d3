package io.hypersdk.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtifactManifestTest {

    static DiskArtifact disk(String id, int hint) {
        return DiskArtifact.builder()
                .id(id)
                .sourceFormat(DiskFormat.VMDK)
                .bytes(1)
                .localPath(Path.of("/e/" + id))
                .bootOrderHint(hint)
                .build();
    }

    @Test
    void theBootDiskIsTheLowestBootOrderHintAndTheFirstOnATie() {
        ArtifactManifest m =
                ArtifactManifest.builder()
                        .addDisk(disk("data", 1))
                        .addDisk(disk("boot", 0))
                        .addDisk(disk("other", 0))
                        .build();

        assertThat(m.bootDisk().id()).isEqualTo("boot");
        assertThatThrownBy(() -> ArtifactManifest.builder().build().bootDisk())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("manifest has no disks");
    }

    @Test
    void aManifestIsDeeplyImmutable() {
        List<Object> users = new ArrayList<>(List.of("root"));
        Map<String, Object> config = new HashMap<>(Map.of("users", users));
        ArtifactManifest m =
                ArtifactManifest.builder().addDisk(disk("d", 0)).configuration(config).build();

        users.add("intruder");
        config.put("hostname", "changed");

        assertThat(m.configuration().orElseThrow()).isEqualTo(Map.of("users", List.of("root")));
        @SuppressWarnings("unchecked")
        List<Object> stored = (List<Object>) m.configuration().orElseThrow().get("users");
        assertThatThrownBy(() -> stored.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> m.disks().add(disk("e", 1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderKeepsEveryFieldAndBuilderDefaultsMatchTheDocumentation() {
        ArtifactManifest m =
                ArtifactManifest.builder()
                        .source(ManifestSource.of("local"))
                        .addDisk(disk("d", 0))
                        .addNote("n")
                        .addWarning(ManifestWarning.of("export", "w"))
                        .metadata(ManifestMetadata.empty().withTag("k", "v"))
                        .build();

        assertThat(m.toBuilder().build()).isEqualTo(m);
        assertThat(m.manifestVersion()).isEqualTo("1.0");
        DiskArtifact defaults =
                DiskArtifact.builder()
                        .id("x")
                        .sourceFormat(DiskFormat.RAW)
                        .localPath(Path.of("/x"))
                        .build();
        assertThat(defaults.bootOrderHint()).isEqualTo(999);
        assertThat(defaults.diskType()).isEqualTo(DiskType.UNKNOWN);
        assertThat(defaults.toBuilder().build()).isEqualTo(defaults);
        assertThatThrownBy(() -> DiskArtifact.builder().id("x").build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("sourceFormat");
    }

    @Test
    void enumsParseTheirJsonStrings() {
        assertThat(Firmware.parse("efi")).isEqualTo(Firmware.UEFI);
        assertThat(Firmware.parse(" BIOS ")).isEqualTo(Firmware.BIOS);
        assertThat(DiskFormat.parse("vhdx").id()).isEqualTo("vhdx");
        assertThat(DiskType.parse("data")).isEqualTo(DiskType.DATA);
        assertThatThrownBy(() -> Firmware.parse("coreboot"))
                .hasMessage("\"coreboot\" must be one of: bios, uefi, unknown");
        assertThatThrownBy(() -> DiskFormat.parse("iso"))
                .hasMessage("\"iso\" must be one of: vmdk, qcow2, raw, vhd, vhdx, vdi");
    }
}
