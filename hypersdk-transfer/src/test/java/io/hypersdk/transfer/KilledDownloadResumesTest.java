package io.hypersdk.transfer;

import static io.hypersdk.transfer.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.transfer.testing.DownloadMain;
import io.hypersdk.transfer.testing.LoopbackFileServer;
import io.hypersdk.transfer.testing.LoopbackFileServer.Content;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export process (a separate JVM) is killed with SIGKILL mid-download, then run again; and one
 * whose disk refuses a write midway fails with a clear error and keeps what it wrote.
 */
@Timeout(90)
class KilledDownloadResumesTest {

    @TempDir Path dir;

    private static Process startDownloader(String uri, Path target, String... extra)
            throws IOException {
        return startDownloader(List.of(), uri, target, extra);
    }

    /**
     * The downloader JVM, its command run after {@code prefix} (e.g. a shell that sets a limit).
     */
    private static Process startDownloader(
            List<String> prefix, String uri, Path target, String... extra) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp =
                System.getProperty(
                        "surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new java.util.ArrayList<>(prefix);
        cmd.addAll(
                List.of(
                        java,
                        "-Xmx64m",
                        "-cp",
                        cp,
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        DownloadMain.class.getName(),
                        uri,
                        target.toString()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void aDownloaderKilledWithSigkillResumesWhereItStoppedAndTheResultIsIdentical()
            throws Exception {
        Content content = Content.generated(8L << 20, 42);
        try (LoopbackFileServer server = LoopbackFileServer.start()) {
            server.serve("/disk-0.vmdk", content);
            Path target = dir.resolve("export/disk-0.vmdk");
            Path part = FileTransfer.partFileOf(target);

            Process first =
                    startDownloader(server.uri("/disk-0.vmdk").toString(), target, "2000000");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(part) && Files.size(part) >= 2L << 20)) {
                assertThat(first.isAlive()).as("downloader still running").isTrue();
                assertThat(System.nanoTime())
                        .as("partial file grows to 2 MiB")
                        .isLessThan(deadline);
                Thread.sleep(20);
            }
            first.destroyForcibly(); // SIGKILL on Linux
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as("killed by SIGKILL").isEqualTo(137);
            long keptBytes = Files.size(part);
            assertThat(target).doesNotExist();
            assertThat(keptBytes).isBetween(2L << 20, (8L << 20) - 1);

            Process second = startDownloader(server.uri("/disk-0.vmdk").toString(), target);
            String out = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(second.exitValue()).as(out).isZero();

            assertThat(out).contains("DONE " + content.sha256());
            assertThat(sha256(target)).isEqualTo(content.sha256());
            assertThat(part).doesNotExist();
            List<LoopbackFileServer.Request> reqs = server.requests("/disk-0.vmdk");
            LoopbackFileServer.Request resumed = reqs.get(reqs.size() - 1);
            assertThat(resumed.status()).isEqualTo(206);
            assertThat(resumed.range())
                    .hasValueSatisfying(
                            r -> {
                                long start = Long.parseLong(r.substring(6, r.length() - 1));
                                assertThat(start).isBetween(1L, keptBytes);
                            });
            assertThat(resumed.bodyBytesSent()).isLessThan(8L << 20);
        }
    }

    @Test
    void aWriteTheDiskRefusesFailsAtOnceNamingTheFileAndKeepsThePartialFile() throws Exception {
        Content content = Content.generated(8L << 20, 43);
        try (LoopbackFileServer server = LoopbackFileServer.start()) {
            server.serve("/disk-1.vmdk", content);
            Path target = dir.resolve("export/disk-1.vmdk");
            // RLIMIT_FSIZE of 3 MiB: a write past it fails with EFBIG, like a full disk fails with
            // ENOSPC
            // (the JVM ignores SIGXFSZ, so the write returns the error instead of killing the
            // process)
            Process p =
                    startDownloader(
                            List.of("bash", "-c", "ulimit -f 3072 && exec \"$0\" \"$@\""),
                            server.uri("/disk-1.vmdk").toString(),
                            target);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isNotZero();
            assertThat(out)
                    .contains(
                            "DownloadException",
                            "cannot write " + FileTransfer.partFileOf(target),
                            "File too large",
                            "check free space and permissions of " + target.getParent());
            assertThat(server.requests("/disk-1.vmdk"))
                    .as("a disk error is not retried")
                    .hasSize(1);
            assertThat(target).doesNotExist();
            assertThat(Files.size(FileTransfer.partFileOf(target))).isEqualTo(3L << 20);
        }
    }
}
