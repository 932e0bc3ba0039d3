package io.hypersdk.transfer;

import static io.hypersdk.transfer.testing.TestBytes.random;
import static io.hypersdk.transfer.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.transfer.testing.LoopbackFileServer;
import io.hypersdk.transfer.testing.LoopbackFileServer.Content;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DownloadEngineTest {

    private static final int SIZE = 3 * 1024 * 1024 + 12345;

    @TempDir Path dir;

    private LoopbackFileServer server;
    private final List<TransferProgress> progress = new CopyOnWriteArrayList<>();
    private final ProgressListener recorder =
            e -> {
                if (e instanceof TransferProgress p) {
                    progress.add(p);
                }
            };

    @BeforeEach
    void startServer() throws IOException {
        server = LoopbackFileServer.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private static DownloadEngine.Builder fastRetries() {
        return DownloadEngine.builder()
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .progressInterval(Duration.ZERO);
    }

    private void assertNoLeftovers(Path target) throws IOException {
        try (Stream<Path> s = Files.list(target.getParent())) {
            assertThat(
                            s.map(p -> p.getFileName().toString())
                                    .filter(
                                            n ->
                                                    n.endsWith(".part")
                                                            || n.endsWith(".state")
                                                            || n.endsWith(".tmp")))
                    .as("temporary files left next to %s", target)
                    .isEmpty();
        }
    }

    private void assertProgressNeverAbove100Percent() {
        assertThat(progress).isNotEmpty();
        for (TransferProgress p : progress) {
            if (p.bytesTotal() >= 0) {
                assertThat(p.bytesDone())
                        .as("progress of %s", p.item())
                        .isLessThanOrEqualTo(p.bytesTotal());
            }
            assertThat(p.bytesDone()).isNotNegative();
        }
        TransferProgress last = progress.get(progress.size() - 1);
        assertThat(last.bytesDone()).isEqualTo(last.bytesTotal());
    }

    @Test
    void downloadsAFileByteForByteWithItsSha256() throws Exception {
        byte[] data = random(SIZE, 1);
        server.serve("/disk-0.vmdk", Content.of(data));
        Path target = dir.resolve("out/disk-0.vmdk");

        DownloadedFile f =
                fastRetries()
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/disk-0.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(f.path()).isEqualTo(target);
        assertThat(f.bytes()).isEqualTo(data.length);
        assertThat(f.sha256()).isEqualTo(sha256(data)).isEqualTo(sha256(target));
        assertThat(f.checksum()).isEqualTo("sha256:" + sha256(data));
        assertNoLeftovers(target);
        assertProgressNeverAbove100Percent();
        assertThat(progress.get(progress.size() - 1).item()).isEqualTo("disk-0.vmdk");
    }

    @Test
    void connectionDroppedMidBodyIsResumedWithRangeAndTheFileIsIdentical() throws Exception {
        byte[] data = random(SIZE, 2);
        server.serve("/d.vmdk", Content.of(data)).dropAfter(1_000_000, 2);
        Path target = dir.resolve("d.vmdk");

        DownloadedFile f =
                fastRetries()
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(sha256(target)).isEqualTo(sha256(data));
        assertThat(f.sha256()).isEqualTo(sha256(data));
        List<LoopbackFileServer.Request> reqs = server.requests("/d.vmdk");
        assertThat(reqs).hasSize(3);
        // a dropped connection may lose the last bytes in flight: the resume point is at most the
        // drop point
        long first = rangeStart(reqs.get(1));
        assertThat(first).isBetween(1L, 1_000_000L);
        assertThat(reqs.get(1).ifRange()).isPresent();
        assertThat(reqs.get(1).status()).isEqualTo(206);
        assertThat(rangeStart(reqs.get(2))).isBetween(first + 1, first + 1_000_000L);
        assertNoLeftovers(target);
        assertProgressNeverAbove100Percent();
    }

    @Test
    void serverIgnoringRangeWithA200StartsOverInsteadOfAppending() throws Exception {
        byte[] data = random(SIZE, 3);
        server.serve("/d.vmdk", Content.of(data)).dropAfter(1_500_000, 1).ignoreRange(true);
        Path target = dir.resolve("d.vmdk");

        DownloadedFile f =
                fastRetries()
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(Files.size(target)).isEqualTo(data.length);
        assertThat(sha256(target)).isEqualTo(sha256(data)).isEqualTo(f.sha256());
        List<LoopbackFileServer.Request> reqs = server.requests("/d.vmdk");
        assertThat(rangeStart(reqs.get(1))).isBetween(1L, 1_500_000L);
        assertThat(reqs.get(1).status()).isEqualTo(200);
        assertProgressNeverAbove100Percent();
    }

    @Test
    void a416ForACompletePartialFileFinishesWithoutDownloadingAgain() throws Exception {
        byte[] data = random(SIZE, 4);
        server.serve("/d.vmdk", Content.of(data));
        Path target = dir.resolve("d.vmdk");
        // a previous run received every byte but died before the rename
        Files.write(FileTransfer.partFileOf(target), data);
        HttpHeaders h = HttpHeaders.of(Map.of("ETag", List.of(etagOf("/d.vmdk"))), (a, b) -> true);
        ResumeState.of(server.uri("/d.vmdk").toString(), h, OptionalLong.of(data.length))
                .write(target.resolveSibling(".d.vmdk.part.state"));

        int before = server.requests("/d.vmdk").size();

        DownloadedFile f =
                fastRetries()
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(f.sha256()).isEqualTo(sha256(data));
        assertThat(sha256(target)).isEqualTo(sha256(data));
        assertThat(server.requests("/d.vmdk").subList(before, server.requests("/d.vmdk").size()))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.status()).isEqualTo(416);
                            assertThat(r.bodyBytesSent()).isZero();
                        });
        assertNoLeftovers(target);
    }

    @Test
    void a416ForAnIncompletePartialFileStartsOver() throws Exception {
        byte[] data = random(SIZE, 5);
        LoopbackFileServer.Behaviour b =
                server.serve("/d.vmdk", Content.of(data)).dropAfter(800_000, 1).always416(true);
        Path target = dir.resolve("d.vmdk");

        DownloadedFile f =
                fastRetries()
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(sha256(target)).isEqualTo(sha256(data)).isEqualTo(f.sha256());
        List<LoopbackFileServer.Request> reqs = server.requests("/d.vmdk");
        assertThat(reqs)
                .extracting(LoopbackFileServer.Request::status)
                .containsExactly(200, 416, 200);
        assertThat(reqs.get(2).range()).isEmpty();
        assertThat(b).isNotNull();
    }

    @Test
    void aChangedEtagMakesTheServerSend200AndTheNewContentIsDownloadedWhole() throws Exception {
        byte[] oldData = random(SIZE, 6);
        byte[] newData = random(SIZE - 1000, 7);
        server.serve("/d.vmdk", Content.of(oldData))
                .dropAfter(1_200_000, 1)
                .replaceAfter(1, Content.of(newData));
        Path target = dir.resolve("d.vmdk");

        DownloadedFile f =
                fastRetries()
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(sha256(target)).isEqualTo(sha256(newData)).isEqualTo(f.sha256());
        assertThat(f.bytes()).isEqualTo(newData.length);
        List<LoopbackFileServer.Request> reqs = server.requests("/d.vmdk");
        assertThat(reqs.get(1).ifRange()).isPresent();
        assertThat(reqs.get(1).status()).isEqualTo(200);
        assertProgressNeverAbove100Percent();
    }

    @Test
    void aServerThatIgnoresIfRangeButChangedItsEtagIsDetectedAndTheFileStartsOver()
            throws Exception {
        byte[] oldData = random(SIZE, 8);
        byte[] newData = random(SIZE, 9);
        server.serve("/d.vmdk", Content.of(oldData))
                .dropAfter(1_200_000, 1)
                .ignoreIfRange(true)
                .replaceAfter(1, Content.of(newData));
        Path target = dir.resolve("d.vmdk");

        DownloadedFile f =
                fastRetries()
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(sha256(target)).isEqualTo(sha256(newData)).isEqualTo(f.sha256());
        List<LoopbackFileServer.Request> reqs = server.requests("/d.vmdk");
        assertThat(reqs)
                .extracting(LoopbackFileServer.Request::status)
                .containsExactly(200, 206, 200);
        assertThat(reqs.get(2).range()).isEmpty();
    }

    @Test
    void aBodyThatStallsLongerThanTheIdleTimeoutIsDroppedAndResumed() throws Exception {
        byte[] data = random(SIZE, 10);
        server.serve("/d.vmdk", Content.of(data)).stallAfter(700_000, 5_000, 1);
        Path target = dir.resolve("d.vmdk");

        long start = System.nanoTime();
        DownloadedFile f =
                fastRetries()
                        .idleTimeout(Duration.ofMillis(300))
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(sha256(target)).isEqualTo(sha256(data)).isEqualTo(f.sha256());
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("did not wait for the stalled body")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(rangeStart(server.requests("/d.vmdk").get(1))).isBetween(1L, 700_000L);
    }

    @Test
    void aSlowServerStillGivesAnIdenticalFile() throws Exception {
        byte[] data = random(300_000, 11);
        server.serve("/slow.vmdk", Content.of(data)).bytesPerSecond(600_000).dropAfter(100_000, 1);
        Path target = dir.resolve("slow.vmdk");

        DownloadedFile f =
                fastRetries()
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/slow.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(sha256(target)).isEqualTo(sha256(data)).isEqualTo(f.sha256());
        assertProgressNeverAbove100Percent();
    }

    @Test
    void transient503IsRetriedHonouringRetryAfter() throws Exception {
        byte[] data = random(100_000, 12);
        server.serve("/d.vmdk", Content.of(data)).failWith(503, 2, "0");
        Path target = dir.resolve("d.vmdk");

        fastRetries()
                .build()
                .download(
                        DownloadRequest.of(server.uri("/d.vmdk"), target),
                        recorder,
                        Cancellation.none());

        assertThat(sha256(target)).isEqualTo(sha256(data));
        assertThat(server.requests("/d.vmdk"))
                .extracting(LoopbackFileServer.Request::status)
                .containsExactly(503, 503, 200);
    }

    @Test
    void a404FailsAtOnceWithAClearErrorAndNothingIsWritten() {
        Path target = dir.resolve("missing.vmdk");
        DownloadEngine engine = fastRetries().build();

        assertThatThrownBy(
                        () ->
                                engine.download(
                                        DownloadRequest.of(server.uri("/missing.vmdk"), target),
                                        recorder,
                                        Cancellation.none()))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("/missing.vmdk answered 404")
                .hasMessageContaining("check that the export lease is still valid")
                .satisfies(e -> assertThat(((DownloadException) e).retryable()).isFalse());
        assertThat(server.requests("/missing.vmdk")).hasSize(1);
        assertThat(target).doesNotExist();
    }

    @Test
    void a401IsNotRetriedAndSaysToReconnect() {
        server.serve("/d.vmdk", Content.of(new byte[10])).failWith(401, 10, null);
        DownloadEngine engine = fastRetries().build();

        assertThatThrownBy(
                        () ->
                                engine.download(
                                        DownloadRequest.of(
                                                server.uri("/d.vmdk"), dir.resolve("d.vmdk")),
                                        recorder,
                                        Cancellation.none()))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("answered 401 (Unauthorized)")
                .hasMessageContaining("reconnect");
        assertThat(server.requests("/d.vmdk")).hasSize(1);
    }

    @Test
    void givesUpAfterMaxAttemptsWithoutProgressAndSaysTheFailureIsRetryable() {
        server.serve("/f.vmdk", Content.of(random(1000, 13))).failWith(500, 100, null);
        DownloadEngine engine = fastRetries().maxAttempts(3).build();

        assertThatThrownBy(
                        () ->
                                engine.download(
                                        DownloadRequest.of(
                                                server.uri("/f.vmdk"), dir.resolve("f.vmdk")),
                                        recorder,
                                        Cancellation.none()))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining(
                        "failed after 3 attempts without progress: server answered 500")
                .hasMessageEndingWith("; nothing was written, run again once the server answers")
                .satisfies(e -> assertThat(((DownloadException) e).retryable()).isTrue());
        assertThat(server.requests("/f.vmdk")).hasSize(3);
        assertThat(dir.resolve("f.vmdk")).doesNotExist();
    }

    @Test
    void aConnectionThatAlwaysDropsIsRetriedWhileItProgressesThenCompletes() throws Exception {
        byte[] data = random(SIZE, 16);
        server.serve("/d.vmdk", Content.of(data)).dropAfter(400_000, 20);
        Path target = dir.resolve("d.vmdk");

        DownloadedFile f =
                fastRetries()
                        .maxAttempts(2)
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(sha256(target)).isEqualTo(sha256(data)).isEqualTo(f.sha256());
        assertThat(server.requests("/d.vmdk").size()).isGreaterThan(5);
        assertProgressNeverAbove100Percent();
    }

    @Test
    void bytesReceivedBeforeADropAreKeptEvenWhenLessThanOneBuffer() throws Exception {
        byte[] data = random(1_000_000, 17);
        server.serve("/d.vmdk", Content.of(data)).dropAfter(100_000, 100);
        Path target = dir.resolve("d.vmdk");

        DownloadedFile f =
                fastRetries()
                        .maxAttempts(2)
                        .bufferSize(256 * 1024)
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());

        assertThat(sha256(target)).isEqualTo(sha256(data)).isEqualTo(f.sha256());
        assertThat(server.requests("/d.vmdk").size()).isBetween(10, 40);
    }

    @Test
    void aChecksumMismatchFailsAndLeavesNeitherTargetNorPartialFile() throws Exception {
        byte[] data = random(200_000, 14);
        server.serve("/d.vmdk", Content.of(data));
        Path target = dir.resolve("d.vmdk");
        DownloadRequest req =
                DownloadRequest.of(server.uri("/d.vmdk"), target)
                        .withExpectedSha256("sha256:" + "0".repeat(64));

        assertThatThrownBy(() -> fastRetries().build().download(req, recorder, Cancellation.none()))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining(
                        "has SHA-256 " + sha256(data) + " but " + "0".repeat(64) + " was expected");
        assertThat(target).doesNotExist();
        assertNoLeftovers(target);
    }

    @Test
    void anExpectedSizeThatDoesNotMatchFails() throws Exception {
        byte[] data = random(200_000, 15);
        server.serve("/d.vmdk", Content.of(data));
        Path target = dir.resolve("d.vmdk");
        DownloadRequest req =
                DownloadRequest.of(server.uri("/d.vmdk"), target).withExpectedSize(300_000);

        assertThatThrownBy(
                        () ->
                                fastRetries()
                                        .maxAttempts(2)
                                        .build()
                                        .download(req, recorder, Cancellation.none()))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("d.vmdk");
        assertThat(target).doesNotExist();
    }

    @Test
    void downloadsSeveralFilesWithBoundedParallelismInRequestOrder() throws Exception {
        List<DownloadRequest> reqs = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] d = random(400_000 + i, 20 + i);
            datas.add(d);
            server.serve("/disk-" + i + ".vmdk", Content.of(d)).bytesPerSecond(2_000_000);
            reqs.add(
                    DownloadRequest.of(
                            server.uri("/disk-" + i + ".vmdk"),
                            dir.resolve("disk-" + i + ".vmdk")));
        }

        java.util.Set<String> inFlight = new java.util.HashSet<>();
        int[] maxInFlight = {0};
        ProgressListener concurrency =
                e -> {
                    if (e instanceof TransferProgress p) {
                        if (p.bytesDone() < p.bytesTotal()) {
                            inFlight.add(p.item());
                        } else {
                            inFlight.remove(p.item());
                        }
                        maxInFlight[0] = Math.max(maxInFlight[0], inFlight.size());
                    }
                };

        List<DownloadedFile> files =
                fastRetries()
                        .parallelism(2)
                        .build()
                        .downloadAll(reqs, concurrency, Cancellation.none());

        assertThat(files).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(files.get(i).path()).isEqualTo(dir.resolve("disk-" + i + ".vmdk"));
            assertThat(files.get(i).sha256())
                    .isEqualTo(sha256(datas.get(i)))
                    .isEqualTo(sha256(files.get(i).path()));
        }
        assertThat(maxInFlight[0])
                .as("files in flight at once (events are delivered one at a time)")
                .isEqualTo(2);
        assertThat(server.requests()).hasSize(5);
    }

    @Test
    void oneFailingFileStopsTheOthersAndIsReported() {
        server.serve("/ok.vmdk", Content.of(random(2_000_000, 30))).bytesPerSecond(1_000_000);
        List<DownloadRequest> reqs =
                List.of(
                        DownloadRequest.of(server.uri("/ok.vmdk"), dir.resolve("ok.vmdk")),
                        DownloadRequest.of(server.uri("/gone.vmdk"), dir.resolve("gone.vmdk")));

        long start = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                fastRetries()
                                        .parallelism(2)
                                        .build()
                                        .downloadAll(reqs, recorder, Cancellation.none()))
                .isInstanceOf(DownloadException.class)
                .hasMessageContaining("/gone.vmdk answered 404");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(dir.resolve("ok.vmdk")).doesNotExist();
    }

    @Test
    void cancellationStopsPromptlyKeepsThePartialFileAndALaterRunResumes() throws Exception {
        byte[] data = random(SIZE, 40);
        LoopbackFileServer.Behaviour slow =
                server.serve("/d.vmdk", Content.of(data)).bytesPerSecond(1_000_000);
        Path target = dir.resolve("d.vmdk");
        Cancellation cancel = Cancellation.create();
        ProgressListener cancelAfterHalfAMegabyte =
                e -> {
                    if (e instanceof TransferProgress p && p.bytesDone() > 500_000) {
                        cancel.cancel();
                    }
                };

        assertThatThrownBy(
                        () ->
                                fastRetries()
                                        .build()
                                        .download(
                                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                                cancelAfterHalfAMegabyte,
                                                cancel))
                .isInstanceOf(CancelledException.class);
        assertThat(target).doesNotExist();
        assertThat(FileTransfer.partFileOf(target)).exists();
        long partial = Files.size(FileTransfer.partFileOf(target));
        assertThat(partial).isBetween(500_000L, (long) SIZE - 1);

        slow.bytesPerSecond(0);
        DownloadedFile f =
                fastRetries()
                        .build()
                        .download(
                                DownloadRequest.of(server.uri("/d.vmdk"), target),
                                recorder,
                                Cancellation.none());
        assertThat(sha256(target)).isEqualTo(sha256(data)).isEqualTo(f.sha256());
        List<LoopbackFileServer.Request> reqs = server.requests("/d.vmdk");
        assertThat(reqs.get(reqs.size() - 1).range()).hasValue("bytes=" + partial + "-");
        assertThat(reqs.get(reqs.size() - 1).status()).isEqualTo(206);
    }

    @Test
    void theBandwidthLimitSlowsTheTransferDown() throws Exception {
        byte[] data = random(600_000, 50);
        server.serve("/d.vmdk", Content.of(data));
        long start = System.nanoTime();

        fastRetries()
                .bandwidthLimit(1_000_000)
                .build()
                .download(
                        DownloadRequest.of(server.uri("/d.vmdk"), dir.resolve("d.vmdk")),
                        recorder,
                        Cancellation.none());

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThan(Duration.ofMillis(450));
        assertThat(sha256(dir.resolve("d.vmdk"))).isEqualTo(sha256(data));
    }

    @Test
    void twoRequestsForTheSameTargetAreRefused() {
        DownloadRequest a = DownloadRequest.of(server.uri("/a"), dir.resolve("x.vmdk"));
        DownloadRequest b = DownloadRequest.of(server.uri("/b"), dir.resolve("./x.vmdk"));
        assertThatThrownBy(
                        () ->
                                DownloadEngine.builder()
                                        .build()
                                        .downloadAll(
                                                List.of(a, b),
                                                ProgressListener.NONE,
                                                Cancellation.none()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.vmdk");
    }

    @Test
    void requestHeadersAreSentButNeverShownInToString() {
        DownloadRequest r =
                DownloadRequest.of(server.uri("/d?ticket=SECRET123"), dir.resolve("d"))
                        .withHeader("Cookie", "vmware_soap_session=SECRET456");
        assertThat(r.toString())
                .doesNotContain("SECRET123")
                .doesNotContain("SECRET456")
                .contains("Cookie=****");
    }

    @Test
    void builderRejectsOutOfRangeSettingsNamingThem() {
        assertThatThrownBy(() -> DownloadEngine.builder().parallelism(0))
                .hasMessageContaining("parallelism must be between 1 and 16 (got 0)");
        assertThatThrownBy(() -> DownloadEngine.builder().maxAttempts(0))
                .hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> DownloadEngine.builder().bandwidthLimit(10))
                .hasMessageContaining("at least 1024");
        assertThatThrownBy(
                        () ->
                                DownloadRequest.of(
                                        java.net.URI.create("ftp://x/y"), dir.resolve("y")))
                .hasMessageContaining("not http or https");
    }

    private static long rangeStart(LoopbackFileServer.Request r) {
        String range = r.range().orElseThrow(() -> new AssertionError("no Range header in " + r));
        assertThat(range).matches("bytes=\\d+-");
        return Long.parseLong(range.substring(6, range.length() - 1));
    }

    private String etagOf(String path) throws Exception {
        // ask the server for the validator it sends
        var client = java.net.http.HttpClient.newHttpClient();
        var resp =
                client.send(
                        java.net.http.HttpRequest.newBuilder(server.uri(path))
                                .header("Range", "bytes=0-0")
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
        return resp.headers().firstValue("ETag").orElseThrow();
    }
}
