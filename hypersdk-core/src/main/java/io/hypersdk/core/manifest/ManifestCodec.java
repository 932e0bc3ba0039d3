package io.hypersdk.core.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads and writes Artifact Manifest v1.0 documents as JSON (2-space indented, the upstream layout)
 * or YAML.
 *
 * <p>Writing: absent optional fields are left out; {@code manifest_version}, {@code disks} and
 * every disk's {@code id}, {@code source_format}, {@code bytes}, {@code local_path}, {@code
 * boot_order_hint} (0 included) and {@code disk_type} are always written. Files are written
 * atomically: a hidden temporary file in the same directory, fsync, rename, mode 0644.
 *
 * <p>Reading: the document's structure and rules are checked and <em>every</em> problem is reported
 * at once, with its field path, as a {@link ManifestValidationException} (never a raw parser
 * exception); vSphere's {@code "efi"} firmware is read as {@code uefi}; a missing {@code
 * boot_order_hint} reads as 999. Reading never requires the disk files to exist: use {@link
 * ManifestValidator} with {@link ValidationOptions#withDiskFiles()} for that. Unknown fields are
 * ignored (newer writers may add fields).
 */
public final class ManifestCodec {
    private ManifestCodec() {}

    /**
     * Reads a manifest file; {@code .yaml}/{@code .yml} is YAML, anything else JSON.
     *
     * @param file the manifest file
     * @return the manifest, structurally valid
     * @throws ManifestValidationException listing every problem, naming the file
     * @throws UncheckedIOException naming the file when it cannot be read
     */
    public static ArtifactManifest read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read manifest " + file + ": " + DiskChecksums.describe(e), e);
        }
        return decode(bytes, ManifestFormat.forPath(file), file.toString());
    }

    /**
     * Reads a manifest from a stream (not closed).
     *
     * @param in the document
     * @param format its format
     * @return the manifest, structurally valid
     * @throws ManifestValidationException listing every problem
     * @throws UncheckedIOException when the stream fails
     */
    public static ArtifactManifest read(InputStream in, ManifestFormat format) {
        try {
            return decode(
                    in.readAllBytes(),
                    format,
                    "(" + format.name().toLowerCase(java.util.Locale.ROOT) + " stream)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest stream: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a manifest from text.
     *
     * @param text the document
     * @param format its format
     * @return the manifest, structurally valid
     * @throws ManifestValidationException listing every problem
     */
    public static ArtifactManifest parse(String text, ManifestFormat format) {
        return decode(
                text.getBytes(StandardCharsets.UTF_8),
                format,
                "(" + format.name().toLowerCase(java.util.Locale.ROOT) + " text)");
    }

    /**
     * The manifest as 2-space indented JSON, ending in a newline. Does not validate.
     *
     * @param manifest the manifest
     * @return the JSON text
     */
    public static String toJson(ArtifactManifest manifest) {
        return Serialization.json(ManifestTree.toTree(manifest));
    }

    /**
     * The manifest as YAML. Does not validate.
     *
     * @param manifest the manifest
     * @return the YAML text
     */
    public static String toYaml(ArtifactManifest manifest) {
        return Serialization.yaml(ManifestTree.toTree(manifest));
    }

    /**
     * The manifest in the given format. Does not validate.
     *
     * @param manifest the manifest
     * @param format JSON or YAML
     * @return the text
     */
    public static String serialize(ArtifactManifest manifest, ManifestFormat format) {
        return format == ManifestFormat.YAML ? toYaml(manifest) : toJson(manifest);
    }

    /**
     * Validates (structurally) and writes the manifest atomically: the text goes to a hidden
     * temporary file in the target's directory, is fsynced, gets mode 0644 and is renamed over the
     * target; the directory is fsynced. Readers (and watching daemons) see either the old file or
     * the complete new one. Format by extension.
     *
     * @param manifest the manifest
     * @param file the target file; its directory must exist
     * @throws ManifestValidationException when the manifest is invalid (nothing is written)
     * @throws UncheckedIOException naming the file when writing fails (the target is untouched)
     */
    public static void write(ArtifactManifest manifest, Path file) {
        Objects.requireNonNull(file, "file");
        List<Violation> violations =
                ManifestValidator.validate(manifest, ValidationOptions.structural());
        if (!violations.isEmpty()) {
            throw new ManifestValidationException("(not written to " + file + ")", violations);
        }
        byte[] bytes =
                serialize(manifest, ManifestFormat.forPath(file)).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, bytes);
    }

    private static ArtifactManifest decode(byte[] bytes, ManifestFormat format, String what) {
        List<Violation> violations = new ArrayList<>();
        JsonNode root;
        ObjectMapper mapper =
                format == ManifestFormat.YAML ? Serialization.YAML : Serialization.JSON;
        try {
            root = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ManifestValidationException(
                    what, List.of(new Violation("$", syntaxMessage(format, e))));
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read manifest " + what + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new ManifestValidationException(
                    what, List.of(new Violation("$", "the document is empty")));
        }
        Optional<ArtifactManifest> decoded =
                ManifestTree.fromTree(root, format == ManifestFormat.YAML, violations);
        if (decoded.isPresent()) {
            Set<String> reported = new HashSet<>();
            violations.forEach(v -> reported.add(v.path()));
            for (Violation v :
                    ManifestValidator.validate(decoded.get(), ValidationOptions.structural())) {
                if (reported.add(v.path())) {
                    violations.add(v);
                }
            }
        }
        if (!violations.isEmpty()) {
            throw new ManifestValidationException(what, violations);
        }
        return decoded.orElseThrow();
    }

    static String syntaxMessage(ManifestFormat format, JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        if (msg != null) {
            int nl = msg.indexOf('\n');
            msg = nl >= 0 ? msg.substring(0, nl) : msg;
        }
        JsonLocation loc = e.getLocation();
        String where =
                loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return "not valid " + format.name() + where + ": " + msg;
    }
}
