package io.hypersdk.provider.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestMetadata;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every provider's manifest takes from the caller's request, in one place. */
class ExportRequestTest {

    @Test
    void theCallersJobIdTagsNotesAndConfigurationReachTheManifestAndItsTagsWin() {
        JobId job = JobId.generate();
        ExportRequest request =
                ExportRequest.builder("vm-1", Path.of("/srv/out"))
                        .jobId(job)
                        .manifest(
                                ManifestTemplate.builder()
                                        .tag("team", "db")
                                        .tag("provider", "caller-says")
                                        .note("migrated in wave 3")
                                        .configuration(Map.of("hostname", "db01"))
                                        .build())
                        .build();
        ManifestMetadata providers =
                new ManifestMetadata(
                        Optional.of("1.0"),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("provider", "aws", "aws_region", "eu-west-1"));

        ArtifactManifest m =
                request.completeManifest(ArtifactManifest.builder(), providers).build();

        assertThat(m.metadata())
                .hasValueSatisfying(
                        meta -> {
                            assertThat(meta.jobId()).contains(job.toString());
                            assertThat(meta.tags())
                                    .containsEntry("team", "db")
                                    .containsEntry("aws_region", "eu-west-1")
                                    .containsEntry("provider", "caller-says");
                        });
        assertThat(m.notes()).containsExactly("migrated in wave 3");
        assertThat(m.configuration()).hasValue(Map.of("hostname", "db01"));
        assertThat(m.pipeline()).isEmpty();
    }

    @Test
    void withoutAJobIdOrTemplateTheProvidersMetadataIsKeptAsItIs() {
        ManifestMetadata providers =
                new ManifestMetadata(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("provider", "gcp"));

        ArtifactManifest m =
                ExportRequest.builder("vm-1", Path.of("/srv/out"))
                        .build()
                        .completeManifest(ArtifactManifest.builder(), providers)
                        .build();

        assertThat(m.metadata()).contains(providers);
        assertThat(m.notes()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void connectionsPerFileIsTheEnginesChoiceUnlessSetAndOutOfRangeIsRefusedNamingIt() {
        ExportRequest.Builder b =
                ExportRequest.builder("vm", java.nio.file.Path.of("/tmp/out-not-created"));
        org.assertj.core.api.Assertions.assertThat(b.build().connectionsPerFile()).isEmpty();
        org.assertj.core.api.Assertions.assertThat(
                        b.connectionsPerFile(java.util.OptionalInt.of(8)).build().toBuilder()
                                .build()
                                .connectionsPerFile())
                .hasValue(8);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> b.connectionsPerFile(java.util.OptionalInt.of(17)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectionsPerFile must be between 1 and 16 (got 17)");
    }
}
