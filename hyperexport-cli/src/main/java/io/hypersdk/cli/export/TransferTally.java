package io.hypersdk.cli.export;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Per-item and overall transfer state of the current phase. */
final class TransferTally {
    record Item(String name, long done, long total, double bytesPerSecond, Optional<Duration> eta) {
        boolean finished() {
            return total > 0 && done >= total;
        }
    }

    private final Map<String, Item> items = new LinkedHashMap<>();

    void update(String name, long done, long total, double bps, Optional<Duration> eta) {
        items.put(name, new Item(name, done, total, bps, eta));
    }

    void clear() {
        items.clear();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    List<Item> items() {
        return new ArrayList<>(items.values());
    }

    long done() {
        return items.values().stream().mapToLong(Item::done).sum();
    }

    long total() {
        return items.values().stream().mapToLong(Item::total).sum();
    }

    double rate() {
        return items.values().stream()
                .filter(i -> !i.finished())
                .mapToDouble(Item::bytesPerSecond)
                .sum();
    }

    Optional<Duration> eta() {
        double r = rate();
        long remaining = total() - done();
        if (remaining <= 0) {
            return Optional.of(Duration.ZERO);
        }
        if (!(r > 0)) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds((long) Math.ceil(remaining / r)));
    }
}
