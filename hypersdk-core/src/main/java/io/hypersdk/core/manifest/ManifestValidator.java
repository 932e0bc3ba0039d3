package io.hypersdk.core.manifest;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks a manifest against the rules of Artifact Manifest v1.0 and reports <em>every</em> broken
 * rule with its field path (upstream stopped at the first).
 *
 * <p>Structural rules (always): {@code manifest_version} is "1.0"; at least one disk; each disk has
 * an {@code id} matching {@code ^[a-zA-Z0-9_-]+$}, unique in the manifest, {@code bytes >= 0}, a
 * non-empty absolute {@code local_path}, a {@code checksum} of the form {@code sha256:<64
 * lower-case hex>} if present, {@code boot_order_hint >= 0}; {@code source.provider} not empty;
 * {@code vm.cpu} and {@code vm.mem_gb >= 0}; each {@code nics[].mac} a MAC address {@code
 * xx:xx:xx:xx:xx:xx}; each warning has a {@code stage} and a {@code message}; {@code
 * pipeline.convert.compress_level} in 1-9; {@code output.format} one of qcow2, raw, vdi; {@code
 * options.verbose} in 0-3. Enum-valued fields ({@code source_format}, {@code disk_type}, {@code
 * firmware}) are typed, so their values are checked when a document is read.
 *
 * <p>{@link ValidationOptions#withDiskFiles()} adds: every {@code local_path} is an existing,
 * readable regular file. {@link ValidationOptions#withChecksums()} adds: every recorded checksum
 * matches the file.
 */
public final class ManifestValidator {
    private static final Pattern DISK_ID = Pattern.compile("[a-zA-Z0-9_-]+");
    private static final Pattern MAC =
            Pattern.compile("[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\\1[0-9a-fA-F]{2}){4}");
    private static final List<String> OUTPUT_FORMATS = List.of("qcow2", "raw", "vdi");

    private ManifestValidator() {}

    /**
     * Every violation of the manifest.
     *
     * @param manifest the manifest
     * @param options how much to check
     * @return the violations, empty if the manifest is valid
     */
    public static List<Violation> validate(ArtifactManifest manifest, ValidationOptions options) {
        List<Violation> out = new ArrayList<>();
        if (!ArtifactManifest.VERSION.equals(manifest.manifestVersion())) {
            out.add(
                    new Violation(
                            "manifest_version",
                            "unsupported manifest version \""
                                    + manifest.manifestVersion()
                                    + "\": expected \"1.0\""));
        }
        manifest.source()
                .ifPresent(
                        s -> {
                            if (s.provider().isBlank()) {
                                out.add(new Violation("source.provider", "is required"));
                            }
                        });
        manifest.vm()
                .ifPresent(
                        vm -> {
                            if (vm.cpu() < 0) {
                                out.add(
                                        new Violation(
                                                "vm.cpu",
                                                "must be non-negative (got: " + vm.cpu() + ")"));
                            }
                            if (vm.memGb() < 0) {
                                out.add(
                                        new Violation(
                                                "vm.mem_gb",
                                                "must be non-negative (got: " + vm.memGb() + ")"));
                            }
                        });
        validateDisks(manifest.disks(), options, out);
        for (int i = 0; i < manifest.nics().size(); i++) {
            Optional<String> mac = manifest.nics().get(i).mac();
            if (mac.isPresent() && !MAC.matcher(mac.get()).matches()) {
                out.add(
                        new Violation(
                                "nics[" + i + "].mac",
                                "\""
                                        + mac.get()
                                        + "\" is not a MAC address (expected xx:xx:xx:xx:xx:xx)"));
            }
        }
        for (int i = 0; i < manifest.warnings().size(); i++) {
            ManifestWarning w = manifest.warnings().get(i);
            if (w.stage().isBlank()) {
                out.add(new Violation("warnings[" + i + "].stage", "is required"));
            }
            if (w.message().isBlank()) {
                out.add(new Violation("warnings[" + i + "].message", "is required"));
            }
        }
        manifest.pipeline()
                .flatMap(PipelineStages::convert)
                .ifPresent(
                        c -> {
                            if (c.compressLevel().isPresent()
                                    && (c.compressLevel().getAsInt() < 1
                                            || c.compressLevel().getAsInt() > 9)) {
                                out.add(
                                        new Violation(
                                                "pipeline.convert.compress_level",
                                                "must be between 1 and 9 (got: "
                                                        + c.compressLevel().getAsInt()
                                                        + ")"));
                            }
                        });
        manifest.output()
                .flatMap(OutputSpec::format)
                .ifPresent(
                        f -> {
                            if (!OUTPUT_FORMATS.contains(f)) {
                                out.add(
                                        new Violation(
                                                "output.format",
                                                "\"" + f + "\" must be one of: qcow2, raw, vdi"));
                            }
                        });
        manifest.options()
                .ifPresent(
                        o -> {
                            if (o.verbose() < 0 || o.verbose() > 3) {
                                out.add(
                                        new Violation(
                                                "options.verbose",
                                                "must be between 0 and 3 (got: "
                                                        + o.verbose()
                                                        + ")"));
                            }
                        });
        return List.copyOf(out);
    }

    /**
     * Throws unless the manifest is valid.
     *
     * @param manifest the manifest
     * @param options how much to check
     * @throws ManifestValidationException listing every violation
     */
    public static void requireValid(ArtifactManifest manifest, ValidationOptions options) {
        List<Violation> violations = validate(manifest, options);
        if (!violations.isEmpty()) {
            throw new ManifestValidationException("manifest", violations);
        }
    }

    private static void validateDisks(
            List<DiskArtifact> disks, ValidationOptions options, List<Violation> out) {
        if (disks.isEmpty()) {
            out.add(new Violation("disks", "manifest must have at least one disk"));
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < disks.size(); i++) {
            DiskArtifact d = disks.get(i);
            String p = "disks[" + i + "].";
            if (d.id().isEmpty()) {
                out.add(new Violation(p + "id", "is required"));
            } else if (!DISK_ID.matcher(d.id()).matches()) {
                out.add(
                        new Violation(
                                p + "id",
                                "\"" + d.id() + "\" must match pattern ^[a-zA-Z0-9_-]+$"));
            } else {
                Integer first = seen.putIfAbsent(d.id(), i);
                if (first != null) {
                    out.add(
                            new Violation(
                                    p + "id",
                                    "duplicate disk id \""
                                            + d.id()
                                            + "\" (also disks["
                                            + first
                                            + "])"));
                }
            }
            if (d.bytes() < 0) {
                out.add(
                        new Violation(
                                p + "bytes", "must be non-negative (got: " + d.bytes() + ")"));
            }
            boolean pathOk = false;
            if (d.localPath().toString().isEmpty()) {
                out.add(new Violation(p + "local_path", "is required"));
            } else if (!d.localPath().isAbsolute()) {
                out.add(
                        new Violation(
                                p + "local_path",
                                "\"" + d.localPath() + "\" must be an absolute path"));
            } else {
                pathOk = true;
            }
            boolean checksumOk = true;
            if (d.checksum().isPresent() && !DiskChecksums.isWellFormed(d.checksum().get())) {
                checksumOk = false;
                out.add(
                        new Violation(
                                p + "checksum",
                                "must match format sha256:<64 lower-case hex digits> (got: \""
                                        + d.checksum().get()
                                        + "\")"));
            }
            if (d.bootOrderHint() < 0) {
                out.add(
                        new Violation(
                                p + "boot_order_hint",
                                "must be non-negative (got: " + d.bootOrderHint() + ")"));
            }
            if (pathOk && options.diskFiles()) {
                boolean fileOk = checkFile(d.localPath(), p + "local_path", out);
                if (fileOk && checksumOk && options.checksums()) {
                    try {
                        DiskChecksums.mismatch(d)
                                .ifPresent(
                                        m ->
                                                out.add(
                                                        new Violation(
                                                                p + "checksum",
                                                                "mismatch: expected "
                                                                        + m.expected()
                                                                        + ", got "
                                                                        + m.actual())));
                    } catch (UncheckedIOException e) {
                        out.add(new Violation(p + "local_path", e.getMessage()));
                    }
                }
            }
        }
    }

    private static boolean checkFile(Path path, String field, List<Violation> out) {
        if (!Files.exists(path)) {
            out.add(new Violation(field, "not found: \"" + path + "\""));
            return false;
        }
        if (!Files.isRegularFile(path)) {
            out.add(new Violation(field, "\"" + path + "\" is not a regular file"));
            return false;
        }
        if (!Files.isReadable(path)) {
            out.add(new Violation(field, "\"" + path + "\" is not readable"));
            return false;
        }
        return true;
    }
}
