package io.hypersdk.provider.aws.bench;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.aws.AwsDouble;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Map;

/**
 * The exporter side of {@link AwsBenchmark}, in its own JVM: {@code AwsBenchExport OUT OPTIONS}
 * exports {@code web-01} with the shipped provider and prints {@code ELAPSED_NS} and {@code
 * PEAK_HEAP_BYTES} (sum of the heap pools' peaks: an upper bound).
 */
public final class AwsBenchExport {
    private AwsBenchExport() {}

    public static void main(String[] args) {
        ProviderConfig.Builder b = ProviderConfig.builder(Map.of());
        for (String kv : args[1].split(",")) {
            int eq = kv.indexOf('=');
            b.set(kv.substring(0, eq), kv.substring(eq + 1));
        }
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
        long t0 = System.nanoTime();
        try (ProviderSession s = ExportProviders.require("aws").connect(b.build())) {
            s.export(
                    ExportRequest.builder(AwsDouble.NAME, Path.of(args[0])).build(),
                    ProgressListener.NONE,
                    Cancellation.create());
        }
        long elapsed = System.nanoTime() - t0;
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        System.out.println("ELAPSED_NS " + elapsed);
        System.out.println("PEAK_HEAP_BYTES " + peak);
    }
}
