package io.hypersdk.provider.vsphere;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hypersdk.provider.vsphere.soap.VsphereTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * VMware's vSphere simulator (govmomi's vcsim with the export overlay of {@code
 * shared/tools/vcsim}), built at most once per test JVM into {@code target/vcsim} (reused when
 * newer than the launcher sources and the govmomi package; GOCACHE in {@code target/gocache}) and
 * started on 127.0.0.1 with a random port. {@link #close()} sends SIGTERM to the PID it printed.
 */
final class Vcsim implements AutoCloseable {
    private static final Path GOVMOMI_SIMULATOR =
            Path.of("/usr/share/gocode/src/github.com/vmware/govmomi/simulator");
    private static Path binary;

    final URI sdk;
    final Path certPem;
    final String thumbprint;
    final long pid;
    private final Process process;

    private Vcsim(Process process, URI sdk, Path certPem, String thumbprint, long pid) {
        this.process = process;
        this.sdk = sdk;
        this.certPem = certPem;
        this.thumbprint = thumbprint;
        this.pid = pid;
    }

    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    }

    /**
     * Builds the simulator once per JVM; skips (assumption) when go or govmomi is not installed.
     */
    static synchronized Path build() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        boolean go =
                List.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":")).stream()
                        .anyMatch(d -> Files.isExecutable(Path.of(d, "go")));
        assumeTrue(
                go,
                "vcsim tests skipped: the go compiler is not installed (apt-get install -y golang-go"
                        + " golang-github-vmware-govmomi-dev)");
        assumeTrue(
                Files.isDirectory(GOVMOMI_SIMULATOR),
                "vcsim tests skipped: govmomi source is not installed"
                        + " (apt-get install -y golang-github-vmware-govmomi-dev)");
        Path shared =
                Path.of(
                        System.getProperty(
                                "hypersdk.shared.dir",
                                moduleDir().resolve("../../../shared").toString()));
        Path script = shared.resolve("tools/vcsim/build.sh").toAbsolutePath().normalize();
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(
                    "vcsim build script not found at "
                            + script
                            + "; set -Dhypersdk.shared.dir to the shared directory");
        }
        Path out = moduleDir().resolve("target/vcsim");
        Files.createDirectories(out);
        Path built = out.resolve("vcsim");
        if (isNewerThan(
                built,
                List.of(
                        script,
                        script.resolveSibling("main.go"),
                        script.resolveSibling("export_overlay.go"),
                        GOVMOMI_SIMULATOR))) {
            binary = built; // built by an earlier run of this module's tests from the same sources
            return binary;
        }
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), out.toString());
        pb.environment().put("GOCACHE", moduleDir().resolve("target/gocache").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(out.resolve("build.log").toFile());
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "building vcsim took more than 180 s; see " + out.resolve("build.log"));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(
                    "building vcsim failed (exit "
                            + p.exitValue()
                            + "): "
                            + Files.readString(out.resolve("build.log")));
        }
        binary = out.resolve("vcsim");
        return binary;
    }

    private static boolean isNewerThan(Path file, List<Path> sources) throws IOException {
        if (!Files.isExecutable(file)) {
            return false;
        }
        long t = Files.getLastModifiedTime(file).toMillis();
        for (Path src : sources) {
            if (Files.exists(src) && Files.getLastModifiedTime(src).toMillis() >= t) {
                return false;
            }
        }
        return true;
    }

    /** Starts a fresh simulator (default vpx model: DC0, 4 powered-on VMs). */
    static Vcsim start(Path workDir) throws IOException, InterruptedException {
        return start(workDir, "vpx");
    }

    /**
     * Starts a fresh simulator of the given model: {@code vpx} (vCenter) or {@code esx} (a
     * standalone host).
     */
    static Vcsim start(Path workDir, String model) throws IOException, InterruptedException {
        Path bin = build();
        Path cert = workDir.resolve("vcsim-cert.pem");
        ProcessBuilder pb =
                new ProcessBuilder(
                        bin.toString(),
                        "-l",
                        "127.0.0.1:0",
                        "-model",
                        model,
                        "-cert-out",
                        cert.toString());
        pb.redirectError(workDir.resolve("vcsim.log").toFile());
        Process p = pb.start();
        Map<String, String> vars = new HashMap<>();
        BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String line;
        while (!vars.containsKey("STARTUP_MS") && (line = r.readLine()) != null) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                vars.put(line.substring(0, eq), line.substring(eq + 1));
            }
            if (System.nanoTime() > deadline) {
                break;
            }
        }
        if (!vars.containsKey("GOVC_URL") || !vars.containsKey("GOVC_SIM_PID")) {
            p.destroy();
            throw new IllegalStateException(
                    "vcsim did not start: " + Files.readString(workDir.resolve("vcsim.log")));
        }
        // keep draining stdout so the simulator never blocks on a full pipe
        Thread drain =
                new Thread(
                        () -> {
                            try {
                                while (r.readLine() != null) {
                                    // discard
                                }
                            } catch (IOException ignored) {
                                // process ended
                            }
                        },
                        "vcsim-stdout");
        drain.setDaemon(true);
        drain.start();
        URI withCreds = URI.create(vars.get("GOVC_URL"));
        URI sdk =
                URI.create(
                        "https://"
                                + withCreds.getHost()
                                + ":"
                                + withCreds.getPort()
                                + withCreds.getPath());
        long pid = Long.parseLong(vars.get("GOVC_SIM_PID"));
        if (pid != p.pid()) {
            p.destroy();
            throw new IllegalStateException(
                    "vcsim printed PID " + pid + " but the started process is " + p.pid());
        }
        return new Vcsim(p, sdk, cert, vars.get("GOVC_TLS_THUMBPRINT"), pid);
    }

    /** A client trusting the simulator's certificate, not logged in. */
    VimClient.Builder clientBuilder() {
        return VimClient.builder()
                .url(sdk)
                .username("user")
                .password("pass")
                .tls(VsphereTls.trustCertificates(certPem));
    }

    /** The GOVC_* environment a govc user would have for this simulator. */
    Map<String, String> govcEnvironment() {
        return Map.of(
                "GOVC_URL",
                sdk.toString(),
                "GOVC_USERNAME",
                "user",
                "GOVC_PASSWORD",
                "pass",
                "GOVC_TLS_CA_CERTS",
                certPem.toString());
    }

    /** PUTs a file over a datastore path ({@code VM/disk1.vmdk}) with the datastore HTTP API. */
    void upload(VimClient vim, String datastorePath, Path file)
            throws IOException, InterruptedException {
        upload(vim, datastorePath, file, "DC0", "LocalDS_0");
    }

    void upload(VimClient vim, String datastorePath, Path file, String datacenter, String datastore)
            throws IOException, InterruptedException {
        URI uri =
                URI.create(
                        "https://"
                                + sdk.getHost()
                                + ":"
                                + sdk.getPort()
                                + "/folder/"
                                + datastorePath
                                + "?dcPath="
                                + datacenter
                                + "&dsName="
                                + datastore);
        HttpRequest put =
                HttpRequest.newBuilder(uri)
                        .header("Cookie", vim.sessionCookie().orElseThrow())
                        .PUT(HttpRequest.BodyPublishers.ofFile(file))
                        .build();
        HttpResponse<String> resp =
                java.net.http.HttpClient.newBuilder()
                        .version(java.net.http.HttpClient.Version.HTTP_1_1)
                        .sslContext(vim.downloadSslContext())
                        .build()
                        .send(put, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    "upload of "
                            + file
                            + " to "
                            + datastorePath
                            + " failed: HTTP "
                            + resp.statusCode()
                            + " "
                            + resp.body());
        }
    }

    /** A streamOptimized VMDK with {@code bytes} of random content, made by qemu-img. */
    static Path makeVmdk(Path dir, String name, int bytes)
            throws IOException, InterruptedException {
        assumeTrue(
                Files.isExecutable(Path.of("/usr/bin/qemu-img")),
                "qemu-img is not installed (apt-get install -y qemu-utils)");
        Path raw = dir.resolve(name + ".raw");
        byte[] data = new byte[bytes];
        new java.util.Random(name.hashCode()).nextBytes(data);
        Files.write(raw, data);
        Path vmdk = dir.resolve(name);
        Process p =
                new ProcessBuilder(
                                "qemu-img",
                                "convert",
                                "-f",
                                "raw",
                                "-O",
                                "vmdk",
                                "-o",
                                "subformat=streamOptimized",
                                raw.toString(),
                                vmdk.toString())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("qemu-img convert failed: " + out);
        }
        Files.delete(raw);
        return vmdk;
    }

    @Override
    public void close() throws InterruptedException {
        // SIGTERM to the PID the simulator printed (= the process started above)
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
