package io.hypersdk.provider.gcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.TransferException;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.DownloadException;
import io.hypersdk.transfer.DownloadRequest;
import io.hypersdk.transfer.DownloadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Cloud Storage object of the JSON API: its metadata ({@code size}, {@code crc32c}, {@code
 * md5Hash}, {@code generation}), its bytes ({@code alt=media} of that generation, through the
 * project's download engine: ranged, resumable, SHA-256 while streaming) checked against GCS's
 * CRC32C and MD5, and its deletion.
 */
final class StorageObject {
    private static final Logger LOG = LoggerFactory.getLogger(StorageObject.class);

    private final GoogleApi api;
    private final URI endpoint;
    private final String bucket;
    private final String name;

    /** What the metadata says the bytes must be. */
    record Metadata(long size, String generation, Optional<String> crc32c, Optional<String> md5) {}

    StorageObject(GoogleApi api, URI endpoint, String bucket, String name) {
        this.api = api;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.name = name;
    }

    String gsUri() {
        return "gs://" + bucket + "/" + name;
    }

    private String objectUrl() {
        return endpoint
                + "/storage/v1/b/"
                + bucket
                + "/o/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    Metadata metadata() {
        JsonNode m = api.get(URI.create(objectUrl()), "reading the metadata of " + gsUri());
        return new Metadata(
                m.path("size").asLong(-1),
                m.path("generation").asText(""),
                Optional.of(m.path("crc32c").asText("")).filter(s -> !s.isEmpty()),
                Optional.of(m.path("md5Hash").asText("")).filter(s -> !s.isEmpty()));
    }

    /**
     * Downloads the object to {@code target} and checks it against the metadata's CRC32C and MD5; a
     * mismatch deletes the file and downloads again, up to {@code attempts} times in all.
     *
     * @throws IntegrityException when every attempt mismatched
     * @throws TransferException when the download failed after the engine's retries
     */
    DownloadedFile download(
            DownloadEngine engine,
            Path target,
            int attempts,
            ProgressListener listener,
            Cancellation cancellation) {
        Metadata meta = metadata();
        String media =
                objectUrl()
                        + "?alt=media"
                        + (meta.generation().isEmpty() ? "" : "&generation=" + meta.generation());
        String mismatch = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            DownloadRequest request =
                    DownloadRequest.of(URI.create(media), target)
                            .withHeader("Authorization", api.bearer("downloading " + gsUri()));
            if (meta.size() >= 0) {
                request = request.withExpectedSize(meta.size());
            }
            DownloadedFile file;
            try {
                file = engine.download(request, listener, cancellation);
            } catch (DownloadException e) {
                String m = e.getMessage() == null ? "" : e.getMessage();
                if (m.contains(" 401") || m.contains(" 403")) {
                    throw new AuthenticationException(
                            "Cloud Storage refused the download of "
                                    + gsUri()
                                    + ": check that the"
                                    + " Application Default Credentials may read the bucket (roles/storage.objectViewer)",
                            e);
                }
                throw new TransferException("downloading " + gsUri() + " failed: " + m, e);
            }
            mismatch = verify(file.path(), meta);
            if (mismatch.isEmpty()) {
                return file;
            }
            LOG.warn("{} (attempt {} of {})", mismatch, attempt, attempts);
            listener.onEvent(
                    new Notice(
                            Notice.Level.WARNING,
                            mismatch + " (attempt " + attempt + " of " + attempts + ")"));
            try {
                Files.deleteIfExists(file.path());
            } catch (IOException e) {
                throw new TransferException(
                        "cannot delete the mismatching download "
                                + file.path()
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
        throw new IntegrityException(
                mismatch
                        + " after "
                        + attempts
                        + " download(s); the object stays in the bucket:"
                        + " check it with 'gcloud storage objects describe "
                        + gsUri()
                        + "' and export again");
    }

    /**
     * Empty when the file matches GCS's CRC32C and MD5 (those the metadata has); else what differs.
     */
    String verify(Path file, Metadata meta) {
        CRC32C crc = new CRC32C();
        MessageDigest md5;
        try {
            md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
                md5.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new TransferException(
                    "cannot read the download " + file + " to check it: " + e.getMessage(), e);
        }
        Base64.Encoder b64 = Base64.getEncoder();
        String gotCrc =
                b64.encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        String gotMd5 = b64.encodeToString(md5.digest());
        if (meta.crc32c().isPresent() && !meta.crc32c().get().equals(gotCrc)) {
            return gsUri()
                    + " arrived with CRC32C "
                    + gotCrc
                    + " but Cloud Storage records "
                    + meta.crc32c().get();
        }
        if (meta.md5().isPresent() && !meta.md5().get().equals(gotMd5)) {
            return gsUri()
                    + " arrived with MD5 "
                    + gotMd5
                    + " but Cloud Storage records "
                    + meta.md5().get();
        }
        return "";
    }

    /** Deletes the object; a failure is a warning naming what to delete by hand. */
    void delete(ProgressListener listener) {
        try {
            api.delete(URI.create(objectUrl()), "deleting " + gsUri());
            listener.onEvent(
                    new Notice(Notice.Level.INFO, "deleted " + gsUri() + " (keep=true keeps it)"));
        } catch (RuntimeException e) {
            String m = e.getMessage() + "; delete " + gsUri() + " yourself";
            LOG.warn("{}", m);
            listener.onEvent(new Notice(Notice.Level.WARNING, m));
        }
    }
}
