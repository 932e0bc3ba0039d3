package io.hypersdk.transfer;

import static io.hypersdk.transfer.testing.TestBytes.random;
import static io.hypersdk.transfer.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.transfer.testing.LoopbackFileServer;
import io.hypersdk.transfer.testing.LoopbackFileServer.Content;
import io.hypersdk.transfer.testing.LoopbackFileServer.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Several ranged connections per file: order, hash, reuse, resume, a changed file, holes. */
@Timeout(60)
class ParallelRangesTest {

    private static final int SEG = ParallelRanges.SEGMENT;

    @TempDir Path dir;

    private LoopbackFileServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = LoopbackFileServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static DownloadEngine engine(int connections) {
        return DownloadEngine.builder()
                .connectionsPerFile(connections)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
    }

    private DownloadedFile download(int connections, String path) {
        return engine(connections)
                .download(
                        DownloadRequest.of(server.uri(path), dir.resolve("out" + path)),
                        ProgressListener.NONE,
                        Cancellation.none());
    }

    @Test
    void aFileComesOverSeveralKeptAliveConnectionsInOrderWithTheWholeFilesSha256()
            throws Exception {
        byte[] data = random(6 * SEG + 12345, 1);
        server.serve("/d.vmdk", Content.of(data)).bytesPerSecond(16L << 20);
        DownloadedFile f = download(4, "/d.vmdk");

        assertThat(Files.readAllBytes(f.path())).isEqualTo(data);
        assertThat(f.sha256()).isEqualTo(sha256(data));
        List<Request> ranged =
                server.requests("/d.vmdk").stream().filter(r -> r.range().isPresent()).toList();
        // the first GET brings segment 0; the other 6 segments come as ranged GETs with If-Range
        assertThat(ranged).hasSize(6).allMatch(r -> r.status() == 206);
        assertThat(ranged).allMatch(r -> r.ifRange().isPresent());
        assertThat(server.maxConcurrentRequests()).isBetween(2, 4);
        long connections =
                server.requests("/d.vmdk").stream()
                        .mapToInt(Request::clientPort)
                        .distinct()
                        .count();
        assertThat(connections)
                .as("connections for 7 requests over 1 + 3 workers (ranges reuse theirs)")
                .isLessThanOrEqualTo(4);
    }

    @Test
    void oneConnectionSendsNoRangeRequests() throws Exception {
        byte[] data = random(3 * SEG + 1, 2);
        server.serve("/one.vmdk", Content.of(data));
        DownloadedFile f = download(1, "/one.vmdk");
        assertThat(f.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests("/one.vmdk")).hasSize(1);
    }

    @Test
    void droppedRangeConnectionsAreResumedFromThePartFileAndTheHashStaysExact() throws Exception {
        byte[] data = random(8 * SEG, 3);
        // the first three answers (the first GET, then ranges or a resume) drop after 2 MiB
        server.serve("/drop.vmdk", Content.of(data)).dropAfter(2L << 20, 3);
        DownloadedFile f = download(4, "/drop.vmdk");
        assertThat(Files.readAllBytes(f.path())).isEqualTo(data);
        assertThat(f.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests("/drop.vmdk"))
                .anyMatch(r -> r.range().filter(v -> v.matches("bytes=\\d+-")).isPresent())
                .as("a resume request from the part file's end (bytes=N-)");
    }

    @Test
    void aFileThatChangesBetweenRangesStartsOverAndEndsWithTheNewContent() throws Exception {
        byte[] old = random(6 * SEG, 4);
        byte[] fresh = random(6 * SEG, 5);
        server.serve("/chg.vmdk", Content.of(old)).replaceAfter(2, Content.of(fresh));
        DownloadedFile f = download(3, "/chg.vmdk");
        assertThat(Files.readAllBytes(f.path())).isEqualTo(fresh);
        assertThat(f.sha256()).isEqualTo(sha256(fresh));
        assertThat(server.requests("/chg.vmdk"))
                .as("the server ignored an outdated If-Range with a whole 200 body")
                .anyMatch(r -> r.ifRange().isPresent() && r.status() == 200);
    }

    @Test
    void zeroRunsInFetchedDataAreHolesOnDiskAndTheContentIsExact() throws Exception {
        byte[] data = random(6 * SEG, 6);
        Arrays.fill(data, SEG + 4096, 5 * SEG, (byte) 0);
        server.serve("/sparse.vmdk", Content.of(data));
        DownloadedFile f = download(4, "/sparse.vmdk");
        assertThat(Files.readAllBytes(f.path())).isEqualTo(data);
        assertThat(f.sha256()).isEqualTo(sha256(data));
        long allocated = PartWriterTest.allocatedBytes(f.path());
        assertThat(allocated)
                .as("allocated bytes (apparent %d, of which %d zeros)", data.length, 4L * SEG)
                .isLessThan(data.length - 3L * SEG);
    }

    @Test
    void withoutAValidatorTheFileComesOverOneConnection() throws Exception {
        byte[] data = random(3 * SEG, 7);
        server.serve("/nov.vmdk", Content.of(data)).validators(false);
        DownloadedFile f = download(4, "/nov.vmdk");
        assertThat(f.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests("/nov.vmdk"))
                .extracting(Request::range)
                .containsExactly(Optional.empty());
    }

    private DownloadedFile downloadAdaptive(DownloadEngine.Builder b, String path) {
        return b.backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .build()
                .download(
                        DownloadRequest.of(server.uri(path), dir.resolve("out" + path)),
                        ProgressListener.NONE,
                        Cancellation.none());
    }

    @Test
    void byDefaultAServerThatCapsEachConnectionGetsRangedWorkersAfterTheProbe() throws Exception {
        byte[] data = random(8 * SEG + 777, 8);
        // 8 MiB/s per connection: far below the 128 MiB/s the default asks of one connection
        server.serve("/capped.vmdk", Content.of(data)).bytesPerSecond(8L << 20);
        DownloadedFile f = downloadAdaptive(DownloadEngine.builder(), "/capped.vmdk");

        assertThat(Files.readAllBytes(f.path())).isEqualTo(data);
        assertThat(f.sha256()).isEqualTo(sha256(data));
        List<Request> ranged =
                server.requests("/capped.vmdk").stream()
                        .filter(r -> r.range().isPresent())
                        .toList();
        // the first GET brought the probe's two 8 MiB windows (both slow); the other 4 segments
        // and the tail came as ranged GETs, the first of them where the probe ended
        assertThat(ranged).hasSize(5).allMatch(r -> r.status() == 206);
        assertThat(ranged)
                .extracting(r -> r.range().orElseThrow())
                .contains("bytes=" + 4 * SEG + "-" + (5 * SEG - 1))
                .noneMatch(r -> r.startsWith("bytes=" + 2 * SEG + "-"));
        assertThat(server.maxConcurrentRequests()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void byDefaultAConnectionFasterThanTheThresholdKeepsTheWholeFile() throws Exception {
        byte[] data = random(6 * SEG, 9);
        server.serve("/fast.vmdk", Content.of(data));
        // any loopback connection is faster than 1 KiB/s: the rule, not this machine's speed
        DownloadedFile f =
                downloadAdaptive(DownloadEngine.builder().adaptiveThreshold(1024), "/fast.vmdk");
        assertThat(f.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests("/fast.vmdk"))
                .extracting(Request::range)
                .containsExactly(Optional.empty());
    }

    @Test
    void byDefaultASlowFirstWindowAloneDoesNotAddConnections() throws Exception {
        // the first window is slow (a 1 s stall after 2 MiB: under 7 MiB/s), the second is not:
        // what a JVM that has just started sees on a fast connection
        byte[] data = random(8 * SEG, 10);
        server.serve("/warmup.vmdk", Content.of(data)).stallAfter(2L << 20, 1000, 1);
        DownloadedFile f =
                downloadAdaptive(
                        DownloadEngine.builder().adaptiveThreshold(20L << 20), "/warmup.vmdk");
        assertThat(f.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests("/warmup.vmdk"))
                .extracting(Request::range)
                .containsExactly(Optional.empty());
    }

    @Test
    void aRequestsConnectionCountOverridesTheAdaptiveDefaultOfTheEngineAProviderHolds()
            throws Exception {
        byte[] data = random(6 * SEG + 777, 10);
        // capped far below the threshold: the adaptive default would add workers here
        server.serve("/forced.vmdk", Content.of(data)).bytesPerSecond(16L << 20);
        DownloadEngine adaptive =
                DownloadEngine.builder()
                        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                        .build();
        assertThat(adaptive.withConnectionsPerFile(java.util.OptionalInt.empty()))
                .isSameAs(adaptive);
        DownloadedFile f =
                adaptive.withConnectionsPerFile(java.util.OptionalInt.of(1))
                        .download(
                                DownloadRequest.of(
                                        server.uri("/forced.vmdk"), dir.resolve("forced.vmdk")),
                                ProgressListener.NONE,
                                Cancellation.none());
        assertThat(f.sha256()).isEqualTo(sha256(data));
        assertThat(server.requests("/forced.vmdk"))
                .extracting(Request::range)
                .containsExactly(Optional.empty());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> adaptive.withConnectionsPerFile(java.util.OptionalInt.of(17)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("download connectionsPerFile must be between 1 and 16 (got 17)");
    }

    @Test
    void connectionCountsOutOfRangeAreRefusedNamingTheSetting() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> DownloadEngine.builder().adaptiveConnections(17))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("download adaptiveConnections must be between 1 and 16 (got 17)");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> DownloadEngine.builder().connectionsPerFile(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("download connectionsPerFile must be between 1 and 16 (got 0)");
    }
}
