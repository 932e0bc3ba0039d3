package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import io.hypersdk.pipeline.PipelineExecutor;
import io.hypersdk.server.JobServer;
import io.hypersdk.server.ServerConfigException;
import io.hypersdk.systemd.SystemdClient;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hyperexport serve}: starts the job server (hypersdk-server) and runs until interrupted.
 * Composition only: parses, builds a {@link JobServer}, prints where it listens.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        header = "Run the job server: the web API, Server-Sent Events and the dashboard.",
        description =
                "Runs jobs submitted over HTTP (the original tool's job JSON) through the providers and the pipeline, keeps their state in SQLite under --state-dir, and serves the dashboard at /. Listens on 127.0.0.1:8080 by default; any other address needs --tls-cert, --tls-key and --token-file. Provider credentials come from the environment (vSphere: GOVC_URL, GOVC_USERNAME, GOVC_PASSWORD), never from a job.")
final class ServeCommand implements Callable<Integer> {
    private final Io io;
    private final Cancellation cancellation;

    @Spec CommandSpec spec;

    @Option(
            names = "--listen",
            paramLabel = "ADDR:PORT",
            description = "Address and port to listen on (default: 127.0.0.1:8080).")
    String listen = "127.0.0.1:8080";

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where the job database lives (default: ./hypersdk-server).")
    Path stateDir = Path.of("hypersdk-server");

    @Option(
            names = "--export-root",
            paramLabel = "DIR",
            description =
                    "Where jobs without an absolute output_dir export (default: <state-dir>/exports).")
    Path exportRoot;

    @Option(
            names = "--max-jobs",
            paramLabel = "N",
            description = "Jobs that run at once, 1-64 (default: 2); the others queue.")
    int maxJobs = 2;

    @Option(
            names = "--provider",
            paramLabel = "ID",
            description =
                    "Provider jobs use (default: local); a job may name another configured one in metadata.provider.")
    String provider = "local";

    @Option(
            names = "--provider-option",
            paramLabel = "KEY=VALUE",
            split = ",",
            mapFallbackValue = "",
            description =
                    "A setting of --provider, e.g. directory=/srv/ovas. Credentials are refused here: they come from the environment.")
    Map<String, String> providerOptions = new LinkedHashMap<>();

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "TLS certificate chain (PEM); with --tls-key serves HTTPS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key (PKCS#8 PEM).")
    Path tlsKey;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the bearer token every request must send.")
    Path tokenFile;

    /** For picocli's man page and completion generators, which build the command tree by class. */
    ServeCommand() {
        this(Io.system(), Cancellation.create());
    }

    ServeCommand(Io io, Cancellation cancellation) {
        this.io = io;
        this.cancellation = cancellation;
    }

    @Override
    public Integer call() throws InterruptedException {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--listen " + listen + ": use ADDR:PORT, e.g. 127.0.0.1:8080");
        }
        String host = listen.substring(0, colon).replaceAll("^\\[|]$", "");
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--listen " + listen + ": the port must be a number 0-65535");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--tls-cert and --tls-key go together: give both or neither");
        }
        String path = io.env().getOrDefault("PATH", "");
        PipelineExecutor.Builder executor = PipelineExecutor.builder().searchPath(path);
        ExportSession.onPath("systemctl", path)
                .ifPresent(
                        p -> executor.systemdClient(SystemdClient.builder().systemctl(p).build()));
        JobServer.Builder b =
                JobServer.builder(stateDir.toAbsolutePath())
                        .listen(host, port)
                        .maxConcurrent(maxJobs)
                        .provider(provider, ProviderConfigs.from(providerOptions, io.env(), spec))
                        .executor(io.executor().apply(executor).build());
        if (exportRoot != null) {
            b.exportRoot(exportRoot.toAbsolutePath());
        }
        if (tlsCert != null) {
            b.tls(tlsCert, tlsKey);
        }
        if (tokenFile != null) {
            b.bearerTokenFile(tokenFile);
        }
        JobServer built;
        try {
            built = b.build();
        } catch (ServerConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Interrupts.cancelMeans(
                "stopping the job server; a running job keeps its output and shows as interrupted at the next start, to be resumed");
        try (JobServer server = built.start();
                Cancellation.Registration r = cancellation.onCancel(stopped::countDown)) {
            io.err()
                    .println(
                            "hyperexport serve: listening on "
                                    + server.url()
                                    + " (state in "
                                    + stateDir.toAbsolutePath()
                                    + ")");
            io.err().flush();
            stopped.await();
            io.err().println("hyperexport serve: stopping");
        }
        return ExitCodes.SUCCESS;
    }
}
