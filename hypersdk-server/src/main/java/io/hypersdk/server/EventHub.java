package io.hypersdk.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Fans each job's events out to its subscribers (the SSE streams). Subscribers are called on the
 * job's thread and must return quickly; one that throws is dropped.
 */
final class EventHub {
    private final Map<String, List<Consumer<JobEvent>>> subscribers = new ConcurrentHashMap<>();

    Runnable subscribe(String jobId, Consumer<JobEvent> subscriber) {
        subscribers.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(subscriber);
        return () ->
                subscribers.computeIfPresent(
                        jobId,
                        (k, l) -> {
                            l.remove(subscriber);
                            return l.isEmpty() ? null : l;
                        });
    }

    /** How many streams follow the job (for the benchmark). */
    int subscriberCount(String jobId) {
        List<Consumer<JobEvent>> l = subscribers.get(jobId);
        return l == null ? 0 : l.size();
    }

    void publish(String jobId, JobEvent event) {
        List<Consumer<JobEvent>> l = subscribers.get(jobId);
        if (l == null) {
            return;
        }
        for (Consumer<JobEvent> s : l) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                l.remove(s);
            }
        }
    }
}
