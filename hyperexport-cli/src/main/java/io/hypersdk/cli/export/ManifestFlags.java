package io.hypersdk.cli.export;

import io.hypersdk.core.settings.TargetFormat;
import picocli.CommandLine.Option;

/** The Artifact Manifest v1.0 written next to the exported disks. */
final class ManifestFlags {
    @Option(
            names = "--manifest",
            order = 20,
            description =
                    "Write the Artifact Manifest v1.0 (artifact-manifest.json) into the export directory. Implied by --pipeline.")
    boolean manifest;

    @Option(
            names = "--verify-manifest",
            order = 21,
            description =
                    "After writing the manifest, read it back and validate it, including that every disk exists and matches its checksum; a failure fails the export (exit 3). Implies --manifest.")
    boolean verifyManifest;

    @Option(
            names = "--manifest-checksum",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            order = 22,
            description =
                    "Record a SHA-256 checksum per disk in the manifest (default: on; --no-manifest-checksum skips hashing).")
    boolean manifestChecksum = true;

    @Option(
            names = "--manifest-target",
            paramLabel = "qcow2|raw|vdi",
            defaultValue = "qcow2",
            order = 23,
            description =
                    "Image format to convert to: written to the manifest's output.format and used by the pipeline (default: ${DEFAULT-VALUE}).")
    TargetFormat target = TargetFormat.QCOW2;
}
