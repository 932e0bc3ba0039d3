package io.hypersdk.server;

import java.util.Map;

/**
 * One event of a job's Server-Sent Events stream ({@code GET /jobs/{id}/events}).
 *
 * @param type {@code status}, {@code progress}, {@code stage}, {@code notice}, {@code mode} or
 *     {@code result}
 * @param data the event's fields, written as one JSON object
 */
record JobEvent(String type, Map<String, Object> data) {
    JobEvent {
        data = Map.copyOf(data);
    }
}
