package io.hypersdk.provider.aws.bench;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.core.testing.HeapSampler;
import io.hypersdk.provider.aws.AwsDouble;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exporter side of {@link AwsBenchmark}, in its own JVM ({@code -Xmx128m}): {@code
 * AwsBenchExport OUT OPTIONS} exports {@code web-01} with the shipped provider and prints {@code
 * ELAPSED_NS}, {@code PROGRESS_BYTES} (the last transfer progress of each item, summed), {@code
 * PEAK_HEAP_BYTES} (the sum of the heap pools' peaks: an upper bound) and {@code
 * SAMPLED_HEAP_BYTES} (the largest used heap seen every 5 ms: a lower bound).
 */
public final class AwsBenchExport {
    private AwsBenchExport() {}

    public static void main(String[] args) {
        ProviderConfig.Builder b = ProviderConfig.builder(Map.of());
        for (String kv : args[1].split(",")) {
            int eq = kv.indexOf('=');
            b.set(kv.substring(0, eq), kv.substring(eq + 1));
        }
        HeapSampler heap = HeapSampler.start();
        Map<String, Long> progress = new ConcurrentHashMap<>();
        ProgressListener listener =
                e -> {
                    if (e instanceof TransferProgress t) {
                        progress.merge(t.item(), t.bytesDone(), Math::max);
                    }
                };
        long t0 = System.nanoTime();
        try (ProviderSession s = ExportProviders.require("aws").connect(b.build())) {
            s.export(
                    ExportRequest.builder(AwsDouble.NAME, Path.of(args[0])).build(),
                    listener,
                    Cancellation.create());
        }
        long elapsed = System.nanoTime() - t0;
        heap.close();
        System.out.println("ELAPSED_NS " + elapsed);
        System.out.println(
                "PROGRESS_BYTES " + progress.values().stream().mapToLong(Long::longValue).sum());
        System.out.println("PEAK_HEAP_BYTES " + heap.peakBytes());
        System.out.println("SAMPLED_HEAP_BYTES " + heap.sampledBytes());
    }
}
