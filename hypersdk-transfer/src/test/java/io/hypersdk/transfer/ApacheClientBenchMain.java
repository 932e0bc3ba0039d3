package io.hypersdk.transfer;

import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;

/**
 * The https benchmark's library contender (not part of {@code mvn verify}): Apache HttpClient 5
 * classic (blocking, {@code HttpClients.createSystem()}, so the JVM's trust store properties apply)
 * fetching every URI in parallel, each body hashed (SHA-256) and written through the engine's own
 * {@link PartWriter} (direct I/O, 4 x 1 MiB slots) exactly as the engine does: {@code
 * ApacheClientBenchMain DIR URI...} prints {@code ELAPSED_NS} and {@code SHA256 <name> <hex>} like
 * {@code DownloadBenchMain}.
 */
public final class ApacheClientBenchMain {
    private static final int SLOT = 1 << 20;

    private ApacheClientBenchMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        List<URI> uris = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            uris.add(URI.create(args[i]));
        }
        ExecutorService pool = Executors.newFixedThreadPool(uris.size());
        long t0 = System.nanoTime();
        try (CloseableHttpClient client = HttpClients.createSystem()) {
            List<Future<String>> results = new ArrayList<>();
            for (URI u : uris) {
                results.add(pool.submit(() -> fetch(client, u, dir)));
            }
            for (Future<String> f : results) {
                System.out.println(f.get());
            }
        }
        System.out.println("ELAPSED_NS " + (System.nanoTime() - t0));
        pool.shutdown();
    }

    private static String fetch(CloseableHttpClient client, URI u, Path dir) throws Exception {
        Path target = dir.resolve(Path.of(u.getPath()).getFileName());
        Path part = FileTransfer.partFileOf(target);
        int alignment = PartWriter.alignmentFor(part, true);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return client.execute(
                new HttpGet(u),
                response -> {
                    if (response.getCode() != 200) {
                        throw new IllegalStateException(u + " answered " + response.getCode());
                    }
                    byte[] chunk = new byte[64 * 1024];
                    try (InputStream in = response.getEntity().getContent();
                            PartWriter w =
                                    new PartWriter(
                                            part, 0, SLOT, 4, alignment, alignment, "apache-w")) {
                        boolean eof = false;
                        while (!eof) {
                            ByteBuffer slot = w.take();
                            while (slot.hasRemaining()) {
                                int n = in.read(chunk, 0, Math.min(chunk.length, slot.remaining()));
                                if (n < 0) {
                                    eof = true;
                                    break;
                                }
                                slot.put(chunk, 0, n);
                            }
                            slot.flip();
                            md.update(slot);
                            slot.rewind();
                            w.submit(slot);
                        }
                        w.finish();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    Files.move(part, target);
                    return "SHA256 "
                            + target.getFileName()
                            + " "
                            + HexFormat.of().formatHex(md.digest());
                });
    }
}
