package io.hypersdk.provider.gcp;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
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
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Cloud Storage object: its metadata ({@code size}, {@code crc32c}, {@code md5Hash}, {@code
 * generation}) and its deletion through Google's {@code google-cloud-storage} client (HTTP/JSON
 * transport, on {@code storage-endpoint=}), its bytes ({@code alt=media} of that generation,
 * through the project's download engine: ranged, resumable, SHA-256 while streaming) checked
 * against GCS's CRC32C and MD5, and its deletion.
 */
final class StorageObject {
    private static final Logger LOG = LoggerFactory.getLogger(StorageObject.class);

    private final GoogleApi api;
    private final Storage storage;
    private final URI endpoint;
    private final String bucket;
    private final String name;

    /** What the metadata says the bytes must be. */
    record Metadata(long size, String generation, Optional<String> crc32c, Optional<String> md5) {}

    StorageObject(GoogleApi api, Storage storage, URI endpoint, String bucket, String name) {
        this.api = api;
        this.storage = storage;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.name = name;
    }

    /**
     * The Cloud Storage client of a session: HTTP/JSON transport on {@code endpoint}, the session's
     * credentials, 429/5xx retried with backoff from {@code retryBackoff} (4 attempts in all).
     */
    static Storage client(
            URI endpoint, String project, GoogleCredentials credentials, Duration retryBackoff) {
        return StorageOptions.http()
                .setHost(endpoint.toString())
                .setProjectId(project)
                .setCredentials(credentials)
                .setRetrySettings(
                        RetrySettings.newBuilder()
                                .setMaxAttempts(4)
                                .setInitialRetryDelayDuration(retryBackoff)
                                .setRetryDelayMultiplier(2.0)
                                .setMaxRetryDelayDuration(Duration.ofSeconds(30))
                                .setInitialRpcTimeoutDuration(Duration.ofMinutes(2))
                                .setMaxRpcTimeoutDuration(Duration.ofMinutes(2))
                                .setTotalTimeoutDuration(Duration.ofMinutes(10))
                                .build())
                .build()
                .getService();
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
        String doing = "reading the metadata of " + gsUri();
        Blob b;
        try {
            b = storage.get(BlobId.of(bucket, name));
        } catch (StorageException e) {
            throw failed(e, doing);
        }
        if (b == null) {
            throw new GoogleApi.NotFound(
                    doing
                            + " failed (Google answered 404: no such object); check bucket= and"
                            + " prefix=, and that the export build wrote it");
        }
        return new Metadata(
                b.getSize() == null ? -1 : b.getSize(),
                b.getGeneration() == null ? "" : b.getGeneration().toString(),
                Optional.ofNullable(b.getCrc32c()).filter(s -> !s.isEmpty()),
                Optional.ofNullable(b.getMd5()).filter(s -> !s.isEmpty()));
    }

    /** The client's error as the SPI's, with Google's message and never a token. */
    private static RuntimeException failed(StorageException e, String doing) {
        if (e.getCode() > 0) {
            return GoogleApi.error(
                    e.getCode(),
                    e.getReason() == null ? "" : e.getReason(),
                    GoogleApi.firstLine(e),
                    doing);
        }
        return new TransferException(
                doing
                        + " failed: "
                        + GoogleApi.firstLine(e)
                        + "; check the network path to Google Cloud and try again",
                e);
    }

    /** The media URL of the metadata's generation. */
    private URI media(Metadata meta) {
        return URI.create(
                objectUrl()
                        + "?alt=media"
                        + (meta.generation().isEmpty() ? "" : "&generation=" + meta.generation()));
    }

    private DownloadRequest request(Metadata meta, Path target) {
        DownloadRequest request =
                DownloadRequest.of(media(meta), target)
                        .withHeader("Authorization", api.bearer("downloading " + gsUri()));
        return meta.size() >= 0 ? request.withExpectedSize(meta.size()) : request;
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
        String mismatch = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            DownloadedFile file;
            try {
                file = engine.download(request(meta, target), listener, cancellation);
            } catch (DownloadException e) {
                throw failed(e);
            }
            mismatch = verify(file.path(), meta);
            if (mismatch.isEmpty()) {
                return file;
            }
            mismatched(mismatch, attempt, attempts, file.path(), listener);
        }
        throw integrity(mismatch, attempts);
    }

    /** What reads the object's bytes while they arrive. */
    interface StreamReader<T> {
        T read(InputStream in) throws IOException;
    }

    /**
     * Downloads the object through the engine into {@code <target>.<generation>} (kept only so that
     * the engine can resume it, deleted once read) while {@code reader} reads the bytes as they
     * land; CRC32C and MD5 are computed over exactly the bytes the reader was given (and whatever
     * it left, read to the end). A mismatch, or a reader failing on bytes that then mismatch (a
     * corrupt gzip stream from a damaged transfer), runs the reader again on a new download, up to
     * {@code attempts} times in all; a reader failing on bytes that match is the object's fault and
     * is thrown.
     */
    <T> T downloadWhileReading(
            DownloadEngine engine,
            Path target,
            int attempts,
            StreamReader<T> reader,
            ProgressListener listener,
            Cancellation cancellation) {
        Metadata meta = metadata();
        if (meta.size() < 0) {
            throw new TransferException(
                    "Cloud Storage gave no size for "
                            + gsUri()
                            + ", so it cannot be unpacked while it downloads;"
                            + " export again, or use --provider-option format=vmdk");
        }
        Path file =
                target.resolveSibling(
                        target.getFileName()
                                + (meta.generation().isEmpty() ? "" : ".g" + meta.generation()));
        String mismatch = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Cancellation download = Cancellation.create();
            FollowingStream in = new FollowingStream(file, meta.size(), cancellation);
            ProgressListener wake =
                    e -> {
                        listener.onEvent(e);
                        in.progressed();
                    };
            CompletableFuture<DownloadedFile> done = new CompletableFuture<>();
            Thread t =
                    new Thread(
                            () -> {
                                try {
                                    done.complete(
                                            engine.download(request(meta, file), wake, download));
                                } catch (Throwable e) {
                                    done.completeExceptionally(e);
                                }
                            },
                            "gcp-download-" + file.getFileName());
            done.whenComplete((f, e) -> in.ended(e));
            T result = null;
            RuntimeException readerFailure = null;
            try (Cancellation.Registration r = cancellation.onCancel(download::cancel);
                    in) {
                t.start();
                try {
                    result = reader.read(in);
                } catch (io.hypersdk.provider.spi.InvalidSourceException e) {
                    readerFailure = e; // damaged on the wire, or a bad object: the digests say
                }
                in.drain();
                join(done);
            } catch (FollowingStream.DownloadEnded e) {
                throw downloadFailure(e.getCause());
            } catch (IOException e) {
                download.cancel();
                awaitQuietly(done);
                throw new TransferException(
                        "cannot read " + file + " while downloading it: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                download.cancel();
                awaitQuietly(done);
                throw e;
            }
            mismatch = in.digests().mismatch(gsUri(), meta);
            if (mismatch.isEmpty()) {
                deleteQuietly(file);
                if (readerFailure != null) {
                    throw readerFailure;
                }
                return result;
            }
            mismatched(mismatch, attempt, attempts, file, listener);
        }
        throw integrity(mismatch, attempts);
    }

    private void join(CompletableFuture<DownloadedFile> done) {
        try {
            done.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw downloadFailure(e.getCause());
        }
    }

    private RuntimeException downloadFailure(Throwable e) {
        if (e instanceof DownloadException d) {
            return failed(d);
        }
        return e instanceof RuntimeException r
                ? r
                : new TransferException("downloading " + gsUri() + " failed: " + e, e);
    }

    private static void awaitQuietly(CompletableFuture<DownloadedFile> done) {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // the reader's failure is the one reported
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete the downloaded {}: {}", file, e.getMessage());
        }
    }

    /** The engine's failure as the SPI's: refused credentials, or a failed transfer. */
    private RuntimeException failed(DownloadException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains(" 401") || m.contains(" 403")) {
            return new AuthenticationException(
                    "Cloud Storage refused the download of "
                            + gsUri()
                            + ": check that the"
                            + " Application Default Credentials may read the bucket (roles/storage.objectViewer)",
                    e);
        }
        return new TransferException("downloading " + gsUri() + " failed: " + m, e);
    }

    private void mismatched(
            String mismatch, int attempt, int attempts, Path file, ProgressListener listener) {
        LOG.warn("{} (attempt {} of {})", mismatch, attempt, attempts);
        listener.onEvent(
                new Notice(
                        Notice.Level.WARNING,
                        mismatch + " (attempt " + attempt + " of " + attempts + ")"));
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new TransferException(
                    "cannot delete the mismatching download " + file + ": " + e.getMessage(), e);
        }
    }

    private IntegrityException integrity(String mismatch, int attempts) {
        return new IntegrityException(
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
        Digests d = new Digests();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new TransferException(
                    "cannot read the download " + file + " to check it: " + e.getMessage(), e);
        }
        return d.mismatch(gsUri(), meta);
    }

    /** CRC32C and MD5 of bytes as they stream by, in the metadata's base64 form. */
    static final class Digests {
        private final CRC32C crc = new CRC32C();
        private final MessageDigest md5;

        Digests() {
            try {
                md5 = MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JVM has no MD5", e);
            }
        }

        void update(byte[] b, int off, int len) {
            crc.update(b, off, len);
            md5.update(b, off, len);
        }

        /**
         * Empty when the bytes match the metadata's CRC32C and MD5 (those it has); else what
         * differs.
         */
        String mismatch(String what, Metadata meta) {
            Base64.Encoder b64 = Base64.getEncoder();
            String gotCrc =
                    b64.encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
            String gotMd5 = b64.encodeToString(md5.digest());
            if (meta.crc32c().isPresent() && !meta.crc32c().get().equals(gotCrc)) {
                return what
                        + " arrived with CRC32C "
                        + gotCrc
                        + " but Cloud Storage records "
                        + meta.crc32c().get();
            }
            if (meta.md5().isPresent() && !meta.md5().get().equals(gotMd5)) {
                return what
                        + " arrived with MD5 "
                        + gotMd5
                        + " but Cloud Storage records "
                        + meta.md5().get();
            }
            return "";
        }
    }

    /** Deletes the object; a failure is a warning naming what to delete by hand. */
    void delete(ProgressListener listener) {
        try {
            if (!storage.delete(BlobId.of(bucket, name))) {
                throw new GoogleApi.NotFound("deleting " + gsUri() + " failed (no such object)");
            }
            listener.onEvent(
                    new Notice(Notice.Level.INFO, "deleted " + gsUri() + " (keep=true keeps it)"));
        } catch (StorageException e) {
            warnUndeleted(failed(e, "deleting " + gsUri()), listener);
        } catch (RuntimeException e) {
            warnUndeleted(e, listener);
        }
    }

    private void warnUndeleted(RuntimeException e, ProgressListener listener) {
        String m = e.getMessage() + "; delete " + gsUri() + " yourself";
        LOG.warn("{}", m);
        listener.onEvent(new Notice(Notice.Level.WARNING, m));
    }
}
