package io.hypersdk.provider.azure;

import static org.assertj.core.api.Assumptions.assumeThat;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.PageRange;
import com.azure.storage.blob.sas.BlobSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.blob.specialized.PageBlobClient;
import com.azure.storage.common.StorageSharedKeyCredential;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real Azure Blob Storage emulator (the npm package {@code azurite}) on a free loopback port,
 * started per test class and stopped by its PID. Found through {@code AZURITE_BLOB} or on the PATH
 * as {@code azurite-blob} ({@code scripts/install-test-deps.sh} installs it); the tests that need
 * it are skipped with a message when it is missing.
 */
@SuppressWarnings("try")
final class Azurite implements AutoCloseable {
    /** Azurite's well-known development account (public, documented by Microsoft). */
    static final String ACCOUNT = "devstoreaccount1";

    static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private final Process process;
    final int port;
    private final BlobContainerClient container;

    private Azurite(Process process, int port) {
        this.process = process;
        this.port = port;
        this.container =
                new BlobServiceClientBuilder()
                        .endpoint(endpoint())
                        .credential(new StorageSharedKeyCredential(ACCOUNT, KEY))
                        .buildClient()
                        .getBlobContainerClient("disks");
    }

    static Optional<Path> binary() {
        String env = System.getenv("AZURITE_BLOB");
        if (env != null && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "azurite-blob");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Azurite start(Path workDir) throws IOException {
        Optional<Path> bin = binary();
        assumeThat(bin)
                .as(
                        "azurite-blob (npm azurite 3.37.0; scripts/install-test-deps.sh installs it, or set AZURITE_BLOB)")
                .isPresent();
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = workDir.resolve("azurite-" + port + ".log");
        Process p =
                new ProcessBuilder(
                                bin.get().toString(),
                                "--silent",
                                "--inMemoryPersistence",
                                "--disableTelemetry",
                                "--skipApiVersionCheck",
                                "--blobHost",
                                "127.0.0.1",
                                "--blobPort",
                                String.valueOf(port))
                        .directory(workDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        int finalPort = port;
        Awaitility.await("azurite listening on " + port)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            if (!p.isAlive()) {
                                throw new IllegalStateException(
                                        "azurite-blob exited: " + Files.readString(log));
                            }
                            try (Socket s = new Socket("127.0.0.1", finalPort)) {
                                return true;
                            } catch (IOException e) {
                                return false;
                            }
                        });
        Azurite a = new Azurite(p, port);
        a.container.createIfNotExists();
        return a;
    }

    String endpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    /**
     * Uploads {@code vhd} as a page blob, writing only its non-zero 512-byte pages so that Get Page
     * Ranges answers with the written parts only (as for a managed disk).
     */
    PageBlobClient uploadSparse(String name, Path vhd) throws IOException {
        long size = Files.size(vhd);
        PageBlobClient blob = container.getBlobClient(name).getPageBlobClient();
        blob.create(size, true);
        byte[] chunk = new byte[1 << 20];
        try (FileChannel ch = FileChannel.open(vhd, StandardOpenOption.READ)) {
            for (long off = 0; off < size; off += chunk.length) {
                int n = (int) Math.min(chunk.length, size - off);
                ByteBuffer b = ByteBuffer.wrap(chunk, 0, n);
                while (b.hasRemaining() && ch.read(b, off + b.position()) >= 0) {
                    // fill
                }
                int run = -1;
                for (int page = 0; page <= n / 512; page++) {
                    boolean data = page < n / 512 && !zero(chunk, page * 512, 512);
                    if (data && run < 0) {
                        run = page;
                    } else if (!data && run >= 0) {
                        int from = run * 512;
                        int len = (page - run) * 512;
                        blob.uploadPages(
                                new PageRange().setStart(off + from).setEnd(off + from + len - 1),
                                new ByteArrayInputStream(chunk, from, len));
                        run = -1;
                    }
                }
            }
        }
        return blob;
    }

    /** A real read-only service SAS URL for the blob, valid until {@code expiry}. */
    String readSas(PageBlobClient blob, OffsetDateTime expiry) {
        return blob.getBlobUrl()
                + "?"
                + blob.generateSas(
                        new BlobServiceSasSignatureValues(
                                        expiry, new BlobSasPermission().setReadPermission(true))
                                .setStartTime(OffsetDateTime.now().minusMinutes(5)));
    }

    private static boolean zero(byte[] b, int from, int len) {
        for (int i = from; i < from + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        // this process only, by its PID; --disableTelemetry makes it honour SIGTERM
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
