package io.hypersdk.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;

/**
 * What a partial file was downloaded from, kept next to it ({@code .<name>.part.state}) so that a
 * later run resumes only from the same resource: a hash of the URI (never the URI itself, its query
 * may hold a ticket), the validators (ETag, Last-Modified) and the announced length.
 */
record ResumeState(
        String uriHash, Optional<String> etag, Optional<String> lastModified, OptionalLong length) {

    static ResumeState of(String uri, HttpHeaders headers, OptionalLong length) {
        return new ResumeState(
                hash(uri), headers.firstValue("ETag"), headers.firstValue("Last-Modified"), length);
    }

    /** The value for {@code If-Range}: a strong ETag, else Last-Modified. */
    Optional<String> ifRangeValidator() {
        if (etag.isPresent() && !etag.get().startsWith("W/")) {
            return etag;
        }
        return lastModified;
    }

    boolean sameResource(String uri) {
        return uriHash.equals(hash(uri));
    }

    static Optional<ResumeState> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
        String uri = p.getProperty("uri-sha256");
        if (uri == null) {
            return Optional.empty();
        }
        OptionalLong length = OptionalLong.empty();
        try {
            String l = p.getProperty("length");
            if (l != null) {
                length = OptionalLong.of(Long.parseLong(l));
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(
                new ResumeState(
                        uri,
                        Optional.ofNullable(p.getProperty("etag")),
                        Optional.ofNullable(p.getProperty("last-modified")),
                        length));
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("uri-sha256", uriHash);
        etag.ifPresent(v -> p.setProperty("etag", v));
        lastModified.ifPresent(v -> p.setProperty("last-modified", v));
        length.ifPresent(v -> p.setProperty("length", Long.toString(v)));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "hypersdk download resume state");
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static String hash(String s) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
