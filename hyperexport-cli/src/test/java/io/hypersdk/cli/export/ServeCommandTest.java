package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hypersdk.core.Cancellation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyperexport serve}: starts the job server, answers over HTTP, stops on cancellation. */
@Timeout(120)
class ServeCommandTest {
    @TempDir Path tmp;

    @Test
    void serveStartsTheServerAndStopsWhenInterrupted() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io =
                new Io(
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8),
                        new ByteArrayInputStream(new byte[0]),
                        System.getenv(),
                        false);
        Cancellation cancel = Cancellation.create();
        CompletableFuture<Integer> code =
                CompletableFuture.supplyAsync(
                        () ->
                                HyperExport.run(
                                        new String[] {
                                            "serve",
                                            "--listen",
                                            "127.0.0.1:0",
                                            "--state-dir",
                                            tmp.resolve("state").toString(),
                                            "--provider-option",
                                            "directory=" + tmp
                                        },
                                        io,
                                        cancel));
        Pattern url = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> url.matcher(err.toString(StandardCharsets.UTF_8)).find());
        Matcher m = url.matcher(err.toString(StandardCharsets.UTF_8));
        assertThat(m.find()).isTrue();

        HttpResponse<String> health =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(m.group(1) + "/health")).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("healthy");
        assertThat(tmp.resolve("state/jobs.db")).exists();

        cancel.cancel();
        assertThat(code.get(30, TimeUnit.SECONDS)).isEqualTo(ExitCodes.SUCCESS);
    }

    @Test
    void sigtermStopsTheServerSayingWhatStoppingMeansNotWhatCancellingAnExportDoes()
            throws Exception {
        Path log = tmp.resolve("serve.log");
        Process p =
                new ProcessBuilder(
                                Cli.javaCommand(
                                        "serve",
                                        "--listen",
                                        "127.0.0.1:0",
                                        "--state-dir",
                                        tmp.resolve("state").toString()))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(log).contains("listening on"));
            assertThat(
                            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid()))
                                    .start()
                                    .waitFor())
                    .isZero();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("serve ended after SIGTERM").isTrue();
        } finally {
            p.destroyForcibly();
        }
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isEqualTo(ExitCodes.SUCCESS);
        assertThat(text)
                .contains("cancelling on SIGTERM (stopping the job server;")
                .contains("hyperexport serve: stopping")
                .doesNotContain("export lease")
                .doesNotContain("queue submission");
    }

    @Test
    void aNonLoopbackListenWithoutTlsIsAUsageError() {
        Cli.Result r =
                Cli.run(
                        "serve",
                        "--listen",
                        "0.0.0.0:0",
                        "--state-dir",
                        tmp.resolve("state").toString());

        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("0.0.0.0").contains("TLS").contains("--token-file");
        assertThat(tmp.resolve("state")).doesNotExist();
    }
}
