package io.hypersdk.transfer;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One file to download.
 *
 * @param uri http or https URI
 * @param target final path; written only by an atomic rename once complete and verified
 * @param headers extra request headers (a session cookie, a ticket); their values are redacted in
 *     {@link #toString()} and never logged
 * @param expectedSize the size the file must have, when known
 * @param expectedSha256 the SHA-256 the file must have ({@code hex} or {@code sha256:hex}), when
 *     known
 */
public record DownloadRequest(
        URI uri,
        Path target,
        Map<String, String> headers,
        OptionalLong expectedSize,
        Optional<String> expectedSha256) {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public DownloadRequest {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(expectedSize, "expectedSize");
        Objects.requireNonNull(expectedSha256, "expectedSha256");
        headers = Map.copyOf(headers);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(
                    "download URI " + redact(uri) + " is not http or https");
        }
        if (target.getFileName() == null) {
            throw new IllegalArgumentException("download target '" + target + "' has no file name");
        }
        if (expectedSize.isPresent() && expectedSize.getAsLong() < 0) {
            throw new IllegalArgumentException(
                    "expectedSize must be >= 0 (got " + expectedSize.getAsLong() + ")");
        }
        expectedSha256 =
                expectedSha256.map(
                        s -> {
                            String hex = s.toLowerCase(Locale.ROOT);
                            hex = hex.startsWith("sha256:") ? hex.substring(7) : hex;
                            if (!HEX64.matcher(hex).matches()) {
                                throw new IllegalArgumentException(
                                        "expected SHA-256 '"
                                                + s
                                                + "' for "
                                                + target
                                                + " is not 64 hex digits");
                            }
                            return hex;
                        });
    }

    /** A request with no headers and nothing known in advance. */
    public static DownloadRequest of(URI uri, Path target) {
        return new DownloadRequest(uri, target, Map.of(), OptionalLong.empty(), Optional.empty());
    }

    /** This request with {@code name: value} added to the headers. */
    public DownloadRequest withHeader(String name, String value) {
        Map<String, String> h = new TreeMap<>(headers);
        h.put(name, value);
        return new DownloadRequest(uri, target, h, expectedSize, expectedSha256);
    }

    /** This request with a known size. */
    public DownloadRequest withExpectedSize(long bytes) {
        return new DownloadRequest(uri, target, headers, OptionalLong.of(bytes), expectedSha256);
    }

    /** This request with a known SHA-256 ({@code hex} or {@code sha256:hex}). */
    public DownloadRequest withExpectedSha256(String sha256) {
        return new DownloadRequest(uri, target, headers, expectedSize, Optional.of(sha256));
    }

    /** Header values shown as {@code ****}; the URI without its query (which may hold a ticket). */
    @Override
    public String toString() {
        Map<String, String> h = new TreeMap<>();
        headers.keySet().forEach(k -> h.put(k, "****"));
        return "DownloadRequest[uri="
                + redact(uri)
                + ", target="
                + target
                + ", headers="
                + h
                + ", expectedSize="
                + expectedSize
                + ", expectedSha256="
                + expectedSha256
                + "]";
    }

    /** The URI without user info and query, for messages and logs. */
    static String redact(URI uri) {
        StringBuilder sb = new StringBuilder();
        if (uri.getScheme() != null) {
            sb.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            sb.append(uri.getHost());
            if (uri.getPort() >= 0) {
                sb.append(':').append(uri.getPort());
            }
        }
        if (uri.getRawPath() != null) {
            sb.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            sb.append("?…");
        }
        return sb.toString();
    }
}
