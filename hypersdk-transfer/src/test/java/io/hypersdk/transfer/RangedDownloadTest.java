package io.hypersdk.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.hypersdk.core.Cancellation;
import io.hypersdk.transfer.testing.LoopbackFileServer;
import io.hypersdk.transfer.testing.TestBytes;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DownloadEngine#downloadRanges}: only the given ranges cross the wire, the rest reads as
 * zeros.
 */
class RangedDownloadTest {
    @TempDir Path dir;
    LoopbackFileServer server;

    @BeforeEach
    void start() throws Exception {
        server = LoopbackFileServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static DownloadEngine engine() {
        return DownloadEngine.builder()
                .parallelism(4)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .maxAttempts(3)
                .build();
    }

    /** The expected file: the source's bytes inside the ranges, zeros elsewhere. */
    static byte[] expected(byte[] source, List<RangedDownloadRequest.Range> ranges) {
        byte[] e = new byte[source.length];
        for (RangedDownloadRequest.Range r : ranges) {
            System.arraycopy(source, (int) r.offset(), e, (int) r.offset(), (int) r.length());
        }
        return e;
    }

    @Test
    void onlyTheRangesAreFetchedAndWrittenAtTheirOffsets() throws Exception {
        byte[] source = TestBytes.random(20 << 20, 7);
        server.serve("/disk", LoopbackFileServer.Content.of(source));
        List<RangedDownloadRequest.Range> ranges =
                List.of(
                        new RangedDownloadRequest.Range(0, 4096),
                        new RangedDownloadRequest.Range(5 << 20, 9 << 20),
                        new RangedDownloadRequest.Range(source.length - 512, 512));
        Path target = dir.resolve("disk.vhd");
        DownloadedFile f =
                engine().downloadRanges(
                                RangedDownloadRequest.of(
                                        RangedDownloadRequest.UriSource.of(server.uri("/disk")),
                                        target,
                                        source.length,
                                        ranges),
                                e -> {},
                                Cancellation.create());
        byte[] want = expected(source, ranges);
        assertThat(Files.readAllBytes(target)).isEqualTo(want);
        assertThat(f.bytes()).isEqualTo(source.length);
        assertThat(f.sha256()).isEqualTo(TestBytes.sha256(want));
        long sent =
                server.requests("/disk").stream()
                        .mapToLong(LoopbackFileServer.Request::bodyBytesSent)
                        .sum();
        assertThat(sent).isEqualTo(4096 + (9 << 20) + 512);
        assertThat(server.requests("/disk")).allSatisfy(r -> assertThat(r.range()).isPresent());
    }

    @Test
    void aRefusedUrlIsRenewedThroughItsSourceAndTheTransferGoesOn() throws Exception {
        byte[] source = TestBytes.random(6 << 20, 8);
        server.serve("/expired", LoopbackFileServer.Content.of(source)).failWith(403, 1000, null);
        server.serve("/fresh", LoopbackFileServer.Content.of(source));
        AtomicInteger renewals = new AtomicInteger();
        RangedDownloadRequest.UriSource source403 =
                new RangedDownloadRequest.UriSource() {
                    @Override
                    public URI uri() {
                        return server.uri("/expired");
                    }

                    @Override
                    public Optional<URI> renew(URI refused, int status) {
                        renewals.incrementAndGet();
                        return Optional.of(server.uri("/fresh"));
                    }
                };
        List<RangedDownloadRequest.Range> ranges =
                List.of(new RangedDownloadRequest.Range(0, source.length));
        engine().downloadRanges(
                        RangedDownloadRequest.of(
                                source403, dir.resolve("d"), source.length, ranges),
                        e -> {},
                        Cancellation.create());
        assertThat(Files.readAllBytes(dir.resolve("d"))).isEqualTo(source);
        assertThat(renewals).hasValue(1);
    }

    @Test
    void aRefusedUrlThatCannotBeRenewedFailsWithoutItsQuery() {
        server.serve("/x", LoopbackFileServer.Content.of(new byte[4096])).failWith(403, 1000, null);
        URI uri = URI.create(server.uri("/x") + "?sig=SECRET");
        assertThatThrownBy(
                        () ->
                                engine().downloadRanges(
                                                RangedDownloadRequest.of(
                                                        RangedDownloadRequest.UriSource.of(uri),
                                                        dir.resolve("x"),
                                                        4096,
                                                        List.of(
                                                                new RangedDownloadRequest.Range(
                                                                        0, 4096))),
                                                e -> {},
                                                Cancellation.create()))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("403")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void transientFailuresAreRetried() throws Exception {
        byte[] source = TestBytes.random(1 << 20, 9);
        server.serve("/flaky", LoopbackFileServer.Content.of(source)).failWith(503, 2, "0");
        engine().downloadRanges(
                        RangedDownloadRequest.of(
                                RangedDownloadRequest.UriSource.of(server.uri("/flaky")),
                                dir.resolve("f"),
                                source.length,
                                List.of(new RangedDownloadRequest.Range(0, source.length))),
                        e -> {},
                        Cancellation.create());
        assertThat(Files.readAllBytes(dir.resolve("f"))).isEqualTo(source);
    }

    @Test
    void rangesAreSortedAndMergedAndNeverPastTheSize() {
        qt().withExamples(200)
                .forAll(lists().of(integers().between(0, 999)).ofSizeBetween(0, 20))
                .checkAssert(
                        starts -> {
                            List<RangedDownloadRequest.Range> in = new ArrayList<>();
                            for (int s : starts) {
                                in.add(new RangedDownloadRequest.Range(s, 1 + s % 17));
                            }
                            RangedDownloadRequest r =
                                    RangedDownloadRequest.of(
                                            RangedDownloadRequest.UriSource.of(
                                                    URI.create("http://127.0.0.1/")),
                                            Path.of("t"),
                                            1100,
                                            in);
                            for (int i = 1; i < r.ranges().size(); i++) {
                                assertThat(r.ranges().get(i).offset())
                                        .isGreaterThan(r.ranges().get(i - 1).end());
                            }
                            boolean[] covered = new boolean[1100];
                            in.forEach(
                                    x -> {
                                        for (long p = x.offset(); p < x.end(); p++) {
                                            covered[(int) p] = true;
                                        }
                                    });
                            long count = 0;
                            for (boolean c : covered) {
                                count += c ? 1 : 0;
                            }
                            assertThat(r.rangeBytes()).isEqualTo(count);
                        });
        assertThatThrownBy(
                        () ->
                                RangedDownloadRequest.of(
                                        RangedDownloadRequest.UriSource.of(
                                                URI.create("http://127.0.0.1/")),
                                        Path.of("t"),
                                        10,
                                        List.of(new RangedDownloadRequest.Range(8, 4))))
                .hasMessageContaining("past the size 10");
    }
}
