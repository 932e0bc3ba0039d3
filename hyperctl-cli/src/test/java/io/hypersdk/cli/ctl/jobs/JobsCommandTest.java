package io.hypersdk.cli.ctl.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hypersdk.cli.ctl.ExitCodes;
import io.hypersdk.cli.ctl.Hyperctl;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.server.JobServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyperctl jobs} against a real job server (hypersdk-server) started in the test. */
@Timeout(120)
class JobsCommandTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run hyperctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Hyperctl.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private JobServer server() throws Exception {
        Path samples =
                Path.of(System.getProperty("hypersdk.repo.dir", ".."), "samples")
                        .toAbsolutePath()
                        .normalize();
        Path token = Files.writeString(tmp.resolve("token"), TOKEN + "\n");
        return JobServer.builder(tmp.resolve("state"))
                .listen("127.0.0.1", 0)
                .maxConcurrent(1)
                .bearerTokenFile(token)
                .provider(
                        "local",
                        ProviderConfig.builder().set("directory", samples.toString()).build())
                .build()
                .start();
    }

    @Test
    void submitListShowAndCancelAJobThroughTheApi() throws Exception {
        Path slow = tmp.resolve("slow-hyper2kvm");
        Files.writeString(slow, "#!/bin/sh\nsleep 600\n");
        Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path job =
                Files.writeString(
                        tmp.resolve("job.yaml"),
                        "name: slow\nvm_path: sample-appliance.ova\noutput_dir: "
                                + tmp.resolve("out")
                                + "\noptions:\n  enable_pipeline: true\n  hyper2kvm_path: "
                                + slow
                                + "\n");
        try (JobServer server = server()) {
            String[] at = {
                "--server", server.url(), "--token-file", tmp.resolve("token").toString()
            };

            Run submitted = hyperctl(concat(new String[] {"jobs", "submit", job.toString()}, at));

            assertThat(submitted.code()).as(submitted.err()).isZero();
            String id = submitted.out().strip();
            assertThat(id).isNotEmpty().doesNotContain("\n");
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    hyperctl(concat(new String[] {"jobs", "show", id}, at))
                                            .out()
                                            .contains("running"));
            Run list = hyperctl(concat(new String[] {"jobs", "list"}, at));
            assertThat(list.code()).isZero();
            assertThat(list.out().lines().findFirst().orElse(""))
                    .startsWith("ID")
                    .contains("STATUS");
            assertThat(list.out()).contains(id, "running", "sample-appliance.ova");
            Run json = hyperctl(concat(new String[] {"jobs", "show", id, "--json"}, at));
            assertThat(
                            JobsClient.JSON
                                    .readTree(json.out())
                                    .path("definition")
                                    .path("name")
                                    .asText())
                    .isEqualTo("slow");

            Run cancelled = hyperctl(concat(new String[] {"jobs", "cancel", id}, at));

            assertThat(cancelled.code()).as(cancelled.err()).isZero();
            assertThat(cancelled.out()).contains("cancelled " + id);
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    hyperctl(concat(new String[] {"jobs", "show", id}, at))
                                            .out()
                                            .contains("cancelled"));
            Run again = hyperctl(concat(new String[] {"jobs", "cancel", id}, at));
            assertThat(again.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(again.err()).contains("already cancelled");

            Run unknown = hyperctl(concat(new String[] {"jobs", "show", "no-such-job"}, at));
            assertThat(unknown.code()).isEqualTo(ExitCodes.UNKNOWN_INSTANCE);
            assertThat(unknown.err()).contains("job no-such-job not found", server.url());
        }
    }

    @Test
    void aWrongTokenAndAnInvalidJobAreRefusedWithTheFix() throws Exception {
        Path bad =
                Files.writeString(
                        tmp.resolve("bad.json"),
                        "{\"vm_path\": \"x\", \"options\": {\"hyper2kvm_poll_interval\": 0}}");
        try (JobServer server = server()) {
            Run noToken = hyperctl("jobs", "list", "--server", server.url());
            assertThat(noToken.code()).isEqualTo(ExitCodes.FAILURE);
            assertThat(noToken.err()).contains(server.url(), "--token-file");

            Run invalid =
                    hyperctl(
                            "jobs",
                            "submit",
                            bad.toString(),
                            "--server",
                            server.url(),
                            "--token-file",
                            tmp.resolve("token").toString());
            assertThat(invalid.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(invalid.err()).contains("hyper2kvm_poll_interval", "1-60");
            assertThat(noToken.err() + invalid.err()).doesNotContain(TOKEN);
        }
    }

    @Test
    void noServerAtTheUrlSaysHowToStartOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;

        Run r = hyperctl("jobs", "list", "--server", url);

        assertThat(r.code()).isEqualTo(ExitCodes.NO_SERVER);
        assertThat(r.err())
                .contains(
                        "no hypersdk server at "
                                + url
                                + "; start it with `hyperexport serve` or systemctl start hypersdk-server");
        Run missing =
                hyperctl("jobs", "submit", tmp.resolve("nope.json").toString(), "--server", url);
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("nope.json");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
