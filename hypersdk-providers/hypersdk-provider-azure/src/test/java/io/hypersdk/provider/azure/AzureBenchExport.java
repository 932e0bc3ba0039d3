package io.hypersdk.provider.azure;

import com.azure.core.credential.AccessToken;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.core.testing.HeapSampler;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.RangedDownloadRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;

/**
 * One side of {@link AzureBenchmark}, in its own JVM ({@code -Xmx128m}); the SAS comes on stdin.
 *
 * <ul>
 *   <li>{@code page-ranges OUT ARM_ENDPOINT CA_PEM SUBSCRIPTION GROUP}: the shipped provider
 *       exports {@code myVM} (grantAccess, Get Page Ranges, only the allocated ranges, revoke).
 *   <li>{@code whole-blob OUT SIZE}: the same download engine, with the provider's parallelism,
 *       fetches the whole blob (every 4 MiB range, no page-range awareness).
 * </ul>
 *
 * Prints {@code ELAPSED_NS} (the whole export), {@code TRANSFER_NS} (from the first byte request to
 * the last progress event), {@code BYTES}, {@code PEAK_HEAP_BYTES} (heap pools' peaks summed: an
 * upper bound) and {@code SAMPLED_HEAP_BYTES} (largest used heap seen every 5 ms).
 */
public final class AzureBenchExport {
    private AzureBenchExport() {}

    public static void main(String[] args) throws Exception {
        String sas =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        .readLine();
        Path out = Path.of(args[1]);
        HeapSampler heap = HeapSampler.start();
        AtomicLong transferStart = new AtomicLong();
        AtomicLong lastProgress = new AtomicLong();
        ProgressListener listener =
                e -> {
                    if (e instanceof PhaseChanged p && p.detail().contains("page range(s)")) {
                        transferStart.set(System.nanoTime());
                    } else if (e instanceof TransferProgress) {
                        lastProgress.set(System.nanoTime());
                    }
                };
        int parallel = ExportRequest.builder("myVM", out).build().parallel();
        long bytes;
        long t0 = System.nanoTime();
        if (args[0].equals("page-ranges")) {
            ProviderConfig config =
                    ProviderConfig.builder(Map.of())
                            .set("endpoint", args[2])
                            .set("ca-file", args[3])
                            .set("subscription", args[4])
                            .set("resource-group", args[5])
                            .build();
            AzureExportProvider provider =
                    new AzureExportProvider(
                            http ->
                                    request ->
                                            Mono.just(
                                                    new AccessToken(
                                                            "bench-token",
                                                            OffsetDateTime.now().plusHours(1))),
                            AzureExporter.Tuning.defaults());
            try (ProviderSession s = provider.connect(config)) {
                s.export(
                        ExportRequest.builder("myVM", out).build(),
                        listener,
                        Cancellation.create());
                bytes = ((AzureSession) s).exporter().lastTransferred();
            }
        } else {
            transferStart.set(t0);
            long size = Long.parseLong(args[2]);
            // the provider's engine parallelism for the default --parallel (AzureExporter.transfer)
            DownloadEngine engine =
                    DownloadEngine.builder()
                            .parallelism(Math.max(4, Math.min(16, parallel * 2)))
                            .build();
            RangedDownloadRequest r =
                    RangedDownloadRequest.of(
                            RangedDownloadRequest.UriSource.of(URI.create(sas)),
                            out.resolve("whole-blob.vhd"),
                            size,
                            List.of(new RangedDownloadRequest.Range(0, size)));
            java.nio.file.Files.createDirectories(out);
            engine.downloadRanges(r, listener, Cancellation.create());
            bytes = r.rangeBytes();
        }
        long elapsed = System.nanoTime() - t0;
        heap.close();
        System.out.println("ELAPSED_NS " + elapsed);
        System.out.println("TRANSFER_NS " + (lastProgress.get() - transferStart.get()));
        System.out.println("BYTES " + bytes);
        System.out.println("PEAK_HEAP_BYTES " + heap.peakBytes());
        System.out.println("SAMPLED_HEAP_BYTES " + heap.sampledBytes());
    }
}
