package io.hypersdk.cli.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.provider.gcp.GceImages;
import io.hypersdk.provider.gcp.GcpDouble;
import io.hypersdk.provider.gcp.GcsDouble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code hyperexport --provider gcp} does when the export goes wrong, run as a separate JVM
 * (the real entry point, a real SIGTERM) against the scripted Compute Engine / Cloud Build double
 * and the Cloud Storage double on loopback: a cancel mid-download deletes the temporary images and
 * the exported objects and keeps the partial downloads for resume; a CRC32C/MD5 mismatch is
 * downloaded again, then fails naming the object; and no access token appears in stdout, stderr
 * (with every library's logging turned up to debug), the manifest or the output directory.
 */
class GcpCancelAndIntegrityTest {
    @TempDir static Path images;
    static Path vmdk;
    @TempDir Path dir;
    GcpDouble gcp;
    GcsDouble gcs;
    GcpEndToEndTest run;

    @BeforeAll
    static void makeImages() throws Exception {
        assumeTrue(GceImages.toolsAvailable(), "qemu-img, qemu-io and GNU tar are needed");
        Path raw =
                GceImages.raw(images.resolve("disk.raw"), 1, new long[] {0, 700L << 20}, 1 << 20);
        vmdk = GceImages.vmdk(raw, images.resolve("export.vmdk"));
    }

    @BeforeEach
    void start() throws Exception {
        gcp = new GcpDouble().instance("TERMINATED", true).images();
        gcs = new GcsDouble(GcpDouble.TOKEN);
        // the end-to-end test's environment, options and token check, on this test's doubles
        run = new GcpEndToEndTest();
        run.gcp = gcp;
        run.gcs = gcs;
        run.dir = dir;
    }

    @AfterEach
    void stop() {
        gcp.close();
        gcs.close();
    }

    /**
     * The environment of {@link GcpEndToEndTest#env} with the logging a user can turn up at its
     * most verbose: SLF4J (this project, the transfer engine) at debug and java.util.logging of
     * Google's libraries (google-http-client, google-auth-library, gax, the Compute and Storage
     * clients) at FINEST, all of it on stderr. Not included: the JDK's own HTTP wire tracing
     * ({@code sun.net.www}, {@code jdk.internal.httpclient}) and google-http-client at {@code
     * Level.ALL}, which print every request header, {@code Authorization} included, by design.
     */
    Map<String, String> loudEnv() throws Exception {
        Path jul = dir.resolve("logging.properties");
        Files.writeString(
                jul,
                "handlers=java.util.logging.ConsoleHandler\n"
                        + "java.util.logging.ConsoleHandler.level=FINEST\n"
                        + ".level=INFO\n"
                        + "com.google.level=FINEST\n"
                        + "io.hypersdk.level=FINEST\n");
        Map<String, String> env = run.env();
        env.put(
                "JAVA_TOOL_OPTIONS",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug -Djava.util.logging.config.file="
                        + jul);
        return env;
    }

    /**
     * No token in stdout, stderr, the manifest or any file under {@code out}; and the loud logging
     * was on (google-http-client logged its requests, the Authorization header redacted), so the
     * check of stderr covered the libraries' logs.
     */
    void noTokenAnywhere(Cli.Result r, Path out) throws Exception {
        assertThat(r.err())
                .as("google-http-client's request log")
                .contains("Authorization: <Not Logged>");
        run.noTokenIn(r, out);
        noTokenInFiles(out);
    }

    private static long partFiles(Path out) throws Exception {
        return Cli.filesUnder(out).stream()
                .filter(f -> f.getFileName().toString().endsWith(".vmdk.part"))
                .count();
    }

    /** Every file hyperexport left under {@code out}, as text, for the token check. */
    void noTokenInFiles(Path out) throws Exception {
        for (Path f : Cli.filesUnder(out)) {
            if (Files.isRegularFile(f) && Files.size(f) < (1 << 20)) {
                assertThat(
                                new String(
                                        Files.readAllBytes(f),
                                        java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(f.toString())
                        .doesNotContain(GcpDouble.TOKEN);
            }
        }
    }

    @Test
    void sigtermMidDownloadExits143DeletesTheImagesAndObjectsAndKeepsThePartialFiles()
            throws Exception {
        gcp.build(0, "SUCCESS", "");
        // every media request sends 64 KiB of the VMDK, then stalls (retries and resumes too)
        gcs.putAny("exports", ".vmdk", vmdk).stallNextAfter(1000, 64 << 10);
        Path out = dir.resolve("out");
        ProcessBuilder pb =
                new ProcessBuilder(
                                Cli.javaCommand(
                                        "--provider",
                                        "gcp",
                                        "--vm",
                                        GcpDouble.NAME,
                                        "--provider-option",
                                        run.options(",format=vmdk"),
                                        "--output",
                                        out.toString()))
                        .directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .redirectOutput(dir.resolve("stdout.txt").toFile())
                        .redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().putAll(loudEnv());
        Process p = pb.start();
        try {
            // mid-transfer: both disks' downloads are stalled by the server and have their part
            // files open (the server stalling is not enough: the CLI may not have read the
            // answer's headers yet, and a cancel then has no part file to keep)
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions() // a file may vanish while the tree is walked
                    .until(() -> !p.isAlive() || (gcs.stalled() >= 2 && partFiles(out) >= 2));
            assertThat(p.isAlive())
                    .as("hyperexport still running while the downloads stall")
                    .isTrue();
            assertThat(
                            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid()))
                                    .start()
                                    .waitFor())
                    .isZero();
            assertThat(p.waitFor(30, TimeUnit.SECONDS))
                    .as("hyperexport ended after SIGTERM, without waiting for the stalled bodies")
                    .isTrue();
        } finally {
            p.destroyForcibly();
        }
        Cli.Result r =
                new Cli.Result(
                        p.exitValue(),
                        Files.readString(dir.resolve("stdout.txt")),
                        Files.readString(dir.resolve("stderr.txt")));
        assertThat(r.code()).as(r.err()).isEqualTo(143);
        // the temporary image of each disk was deleted (the DELETE reached Compute Engine's double)
        assertThat(gcp.requests("DELETE", ".*/global/images/.*"))
                .as("images.delete calls")
                .hasSize(2)
                .allSatisfy(q -> assertThat(q.getUrl()).contains("/global/images/hypersdk-"));
        // and so was each exported object (keep=false)
        List<String> deletes =
                gcs.requests().stream().filter(q -> q.startsWith("DELETE ")).toList();
        assertThat(deletes)
                .as("objects.delete calls in %s", gcs.requests())
                .hasSize(2)
                .allSatisfy(q -> assertThat(q).startsWith("DELETE /storage/v1/b/exports/o/"));
        // metadata and delete came from google-cloud-storage's HTTP/JSON client (google-api-client
        // underneath: gdcl; the Storage client's invocation id: gccl-invocation-id)
        assertThat(gcs.apiClients())
                .hasSize(4)
                .allSatisfy(q -> assertThat(q).contains(" gdcl/", " gccl-invocation-id/"));
        // the project's rule: a cancelled download keeps its part file for a later run to resume,
        // and the one line says which
        List<Path> parts =
                Cli.filesUnder(out).stream()
                        .filter(f -> f.getFileName().toString().endsWith(".vmdk.part"))
                        .toList();
        assertThat(parts).as("partial downloads kept in " + out).hasSize(2);
        assertThat(r.err().lines().filter(l -> l.contains("partial files kept")).toList())
                .as(r.err())
                .singleElement()
                .asString()
                .contains(".vmdk.part");
        assertThat(out.resolve("artifact-manifest.json")).doesNotExist();
        noTokenAnywhere(r, out);
    }

    @Test
    void aChecksumMismatchIsDownloadedAgainThenExitsThreeNamingTheObject() throws Exception {
        gcp.build(0, "SUCCESS", "");
        // every download arrives with one byte flipped: CRC32C and MD5 of the metadata disagree
        gcs.putAny("exports", ".vmdk", vmdk).corruptNext(1000);
        Path out = dir.resolve("out");
        Cli.Result r =
                Cli.process(
                        dir,
                        loudEnv(),
                        "--provider",
                        "gcp",
                        "--vm",
                        GcpDouble.NAME,
                        "--provider-option",
                        run.options(",format=vmdk,parallel=1,checksum-attempts=2"),
                        "--output",
                        out.toString());
        r.failsWith(
                3,
                "gs://exports/hypersdk/" + GcpDouble.NAME + "-",
                ".vmdk arrived with CRC32C",
                "but Cloud Storage records",
                "after 2 download(s)");
        // retried: the first disk's object was downloaded twice, each time from the start
        List<String> media =
                gcs.requests().stream()
                        .filter(q -> q.startsWith("GET ") && q.contains("alt=media"))
                        .toList();
        assertThat(media).as("media downloads").hasSize(2);
        assertThat(media.get(0)).isEqualTo(media.get(1));
        assertThat(r.err()).contains("(attempt 1 of 2)");
        // nothing mismatching is left as if it were the disk, and the cleanup still ran
        assertThat(Cli.filesUnder(out))
                .noneMatch(f -> f.getFileName().toString().endsWith(".vmdk"));
        assertThat(gcp.requests("DELETE", ".*/global/images/.*")).hasSize(1);
        assertThat(gcs.requests()).anyMatch(q -> q.startsWith("DELETE /storage/v1/b/exports/o/"));
        noTokenAnywhere(r, out);
    }
}
