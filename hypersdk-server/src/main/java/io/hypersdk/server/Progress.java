package io.hypersdk.server;

import io.hypersdk.core.job.JobProgress;
import java.util.LinkedHashMap;
import java.util.Map;

/** Progress snapshots as event fields. */
final class Progress {
    private Progress() {}

    static Map<String, Object> fields(JobProgress p) {
        Map<String, Object> m = new LinkedHashMap<>();
        p.phase().ifPresent(v -> m.put("phase", v));
        p.currentFile().ifPresent(v -> m.put("current_file", v));
        m.put("bytes_downloaded", p.bytesDownloaded());
        m.put("total_bytes", p.totalBytes());
        m.put("percent_complete", p.percentComplete());
        return m;
    }
}
