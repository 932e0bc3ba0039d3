package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The two progress displays fed with real progress events. */
class ProgressDisplayTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainProgressPrintsOneLinePerPhaseAndEveryTenPercent() {
        ProgressListener l = ProgressEvents.to(new PlainProgress(out, "web-01"));
        l.onEvent(new PhaseChanged(Phase.CONNECT, "vcenter"));
        l.onEvent(new PhaseChanged(Phase.EXPORT, "2 disks"));
        for (int i = 0; i <= 100; i++) {
            l.onEvent(
                    new TransferProgress(
                            "disk-0.vmdk",
                            i * 1024L * 1024,
                            100L * 1024 * 1024,
                            2e6,
                            Optional.of(Duration.ofSeconds(100 - i))));
            l.onEvent(
                    new TransferProgress(
                            "disk-1.vmdk",
                            i * 1024L * 1024,
                            100L * 1024 * 1024,
                            2e6,
                            Optional.empty()));
        }
        l.onEvent(new Notice(Notice.Level.WARNING, "fell back to direct mode"));
        l.onEvent(new Notice(Notice.Level.INFO, "not shown"));
        l.onEvent(new PhaseChanged(Phase.CONVERT, "disk-0"));
        l.onEvent(new PhaseChanged(Phase.CONVERT, "disk-0"));
        List<String> lines = text().lines().toList();
        assertThat(lines).startsWith("web-01: connect: vcenter", "web-01: export: 2 disks");
        assertThat(lines.stream().filter(s -> s.startsWith("web-01: export ") && s.contains("%")))
                .hasSize(11);
        assertThat(lines)
                .contains("web-01: export 50% (100.0 MiB of 200.0 MiB, 3.8 MiB/s, ETA 0:27)");
        assertThat(lines).contains("web-01: export 100% (200.0 MiB of 200.0 MiB, -- B/s)");
        assertThat(lines)
                .contains("web-01: warning: fell back to direct mode")
                .doesNotContain("web-01: info: not shown");
        assertThat(lines.stream().filter(s -> s.equals("web-01: convert: disk-0"))).hasSize(1);
    }

    @Test
    void plainProgressNamesEachDiskEveryTenPercentWithBoundedOutput() {
        ProgressListener l = ProgressEvents.to(new PlainProgress(out, "web-01"));
        l.onEvent(new PhaseChanged(Phase.EXPORT, "2 disks"));
        long small = 10L * 1024 * 1024;
        long large = 30L * 1024 * 1024;
        for (int i = 0; i <= 1000; i++) {
            l.onEvent(
                    new TransferProgress(
                            "disk-0.vmdk",
                            small * i / 1000,
                            small,
                            1e6,
                            Optional.of(Duration.ofSeconds(10 - i / 100))));
            l.onEvent(
                    new TransferProgress(
                            "disk-1.vmdk", large * i / 1000, large, 3e6, Optional.empty()));
        }
        l.onEvent(new PhaseChanged(Phase.CONVERT, "disk-0"));
        l.onEvent(new TransferProgress("disk-0.qcow2", 0, 1000, 0, Optional.empty()));
        l.onEvent(new TransferProgress("disk-0.qcow2", 1000, 1000, 0, Optional.empty()));
        List<String> lines = text().lines().toList();
        assertThat(
                        lines.stream()
                                .filter(
                                        s ->
                                                s.startsWith("web-01: export: disk-0.vmdk ")
                                                        && s.contains("%")))
                .hasSize(11);
        assertThat(
                        lines.stream()
                                .filter(
                                        s ->
                                                s.startsWith("web-01: export: disk-1.vmdk ")
                                                        && s.contains("%")))
                .hasSize(11);
        assertThat(lines.stream().filter(s -> s.startsWith("web-01: export ") && s.contains("%")))
                .hasSize(11);
        assertThat(lines)
                .contains(
                        "web-01: export: disk-0.vmdk 50% (5.0 MiB of 10.0 MiB, 976.6 KiB/s, ETA 0:05)",
                        "web-01: export: disk-1.vmdk 70% (21.0 MiB of 30.0 MiB, 2.9 MiB/s)",
                        "web-01: export: disk-1.vmdk 100% (30.0 MiB of 30.0 MiB, 2.9 MiB/s)",
                        "web-01: export 50% (20.0 MiB of 40.0 MiB, 3.8 MiB/s, ETA 0:06)",
                        "web-01: convert: disk-0.qcow2 0% (0 B of 1000 B, -- B/s)",
                        "web-01: convert: disk-0.qcow2 100% (1000 B of 1000 B, -- B/s)");
        // a disk line comes before the overall line it moved
        assertThat(
                        lines.indexOf(
                                "web-01: export: disk-1.vmdk 100% (30.0 MiB of 30.0 MiB, 2.9 MiB/s)"))
                .isLessThan(lines.indexOf("web-01: export 100% (40.0 MiB of 40.0 MiB, -- B/s)"));
        // 2002 progress events: 1 phase line + 11 per disk + 11 overall, then 1 + 2 + 2 in the next
        // phase
        assertThat(lines).hasSize(1 + 22 + 11 + 1 + 2 + 2);
    }

    @Test
    void terminalProgressRedrawsPerDiskAndOverallBarsInPlace() {
        AtomicLong now = new AtomicLong();
        ProgressListener l = ProgressEvents.to(new TerminalProgress(out, "web-01", now::get));
        l.onEvent(new PhaseChanged(Phase.EXPORT, ""));
        l.onEvent(new TransferProgress("disk-0.vmdk", 0, 1000, 0, Optional.empty()));
        l.onEvent(new TransferProgress("disk-1.vmdk", 0, 3000, 0, Optional.empty()));
        now.addAndGet(50_000_000L);
        l.onEvent(
                new TransferProgress(
                        "disk-0.vmdk", 10, 1000, 100, Optional.of(Duration.ofSeconds(9))));
        int beforeThrottle = text().length();
        now.addAndGet(100_000_000L);
        l.onEvent(
                new TransferProgress(
                        "disk-0.vmdk", 500, 1000, 100, Optional.of(Duration.ofSeconds(5))));
        assertThat(text().length()).isGreaterThan(beforeThrottle);
        l.onEvent(new TransferProgress("disk-0.vmdk", 1000, 1000, 100, Optional.of(Duration.ZERO)));
        l.onEvent(new PhaseChanged(Phase.CONVERT, "disk-0"));
        String t = text();
        assertThat(t).contains("\u25b8 web-01: export").contains("\u25b8 web-01: convert: disk-0");
        assertThat(t).contains("\033[3F\033[J");
        assertThat(t)
                .contains(
                        TerminalProgress.line(
                                "disk-0.vmdk", 1000, 1000, 0, Optional.of(Duration.ZERO)));
        assertThat(t).contains(TerminalProgress.line("overall", 1000, 4000, 0, Optional.empty()));
        assertThat(
                        TerminalProgress.line(
                                "disk-0.vmdk", 500, 1000, 100, Optional.of(Duration.ofSeconds(5))))
                .isEqualTo(
                        "  disk-0.vmdk            [############------------]  50%  500 B / 1000 B  100 B/s  ETA 0:05");
    }
}
