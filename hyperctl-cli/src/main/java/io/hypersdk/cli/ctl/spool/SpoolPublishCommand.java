package io.hypersdk.cli.ctl.spool;

import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.InstanceName;
import io.hypersdk.core.spool.SpoolDescriptor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code hyperctl spool publish}: writes the spool descriptor atomically, once or every {@code
 * --every} seconds until stopped. The shipped {@code hyper2kvm-spool@.service} runs it bound to the
 * daemon's unit ({@code BindsTo=}), so the heartbeat is refreshed exactly while the daemon is
 * active and goes stale when it stops.
 */
@Command(
        name = "publish",
        mixinStandardHelpOptions = true,
        description =
                "Write the spool descriptor (.hypersdk-spool.json) into the spool, atomically; with --every, refresh its heartbeat until stopped.")
public final class SpoolPublishCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--spool",
            required = true,
            paramLabel = "DIR",
            description = "The daemon's watch directory (WATCH_DIR).")
    Path spool;

    @Option(
            names = "--output-dir",
            required = true,
            paramLabel = "DIR",
            description =
                    "The daemon's output directory as export hosts see it (OUTPUT_DIR when they mount it at the same path).")
    Path outputDir;

    @Option(
            names = "--layout",
            defaultValue = "workflow",
            paramLabel = "workflow|flat|disk-watch",
            description =
                    "The queue layout the daemon speaks (QUEUE_LAYOUT; default: ${DEFAULT-VALUE}).")
    String layout;

    @Option(
            names = "--instance",
            paramLabel = "NAME",
            description = "The daemon instance (empty or absent: hyper2kvm.service).")
    String instance;

    @Option(
            names = "--host",
            paramLabel = "NAME",
            description =
                    "This host's name as export hosts should read it (default: the host name).")
    String host;

    @Option(
            names = "--converter",
            paramLabel = "PATH",
            description =
                    "Run PATH --version once and publish its first line as converter_version.")
    Path converter;

    @Option(
            names = "--every",
            paramLabel = "SECONDS",
            description =
                    "Refresh the heartbeat every SECONDS (1-3600) until stopped; without it, write once and exit.")
    Integer everySeconds;

    @Override
    public Integer call() throws Exception {
        QueueLayout l;
        try {
            l = QueueLayout.parse(layout);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--layout: " + e.getMessage());
        }
        Optional<String> inst = Optional.ofNullable(instance).filter(s -> !s.isEmpty());
        if (inst.isPresent() && !InstanceName.isValid(inst.get())) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--instance '"
                            + InstanceName.printable(inst.get())
                            + "' is not a valid instance name: use "
                            + InstanceName.RULE);
        }
        if (!spool.isAbsolute() || !outputDir.isAbsolute()) {
            throw new ParameterException(
                    spec.commandLine(), "--spool and --output-dir must be absolute paths");
        }
        if (!Files.isDirectory(spool)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--spool "
                            + spool
                            + " is not a directory: start the daemon first (it creates it) or create it");
        }
        if (everySeconds != null && (everySeconds < 1 || everySeconds > 3600)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--every must be between 1 and 3600 seconds (got: " + everySeconds + ")");
        }
        Duration interval = Duration.ofSeconds(everySeconds == null ? 10 : everySeconds);
        Clock clock = Clock.systemUTC();
        SpoolDescriptor d =
                new SpoolDescriptor(
                        SpoolDescriptor.VERSION,
                        l,
                        inst,
                        host != null ? host : InetAddress.getLocalHost().getHostName(),
                        converter == null ? "unknown" : converterVersion(converter),
                        outputDir,
                        clock.instant(),
                        interval);
        PrintWriter err = spec.commandLine().getErr();
        d.writeTo(spool);
        if (everySeconds == null) {
            spec.commandLine().getOut().println(SpoolDescriptor.file(spool));
            return 0;
        }
        while (!Thread.currentThread().isInterrupted()) {
            TimeUnit.MILLISECONDS.sleep(interval.toMillis());
            try {
                d.withHeartbeat(clock.instant()).writeTo(spool);
            } catch (IOException e) {
                // a full or briefly unreachable file system: the next beat tries again
                err.println("hyperctl: cannot refresh " + SpoolDescriptor.file(spool) + ": " + e);
                err.flush();
            }
        }
        return 0;
    }

    private static String converterVersion(Path exe) {
        try {
            Process p =
                    new ProcessBuilder(exe.toString(), "--version")
                            .redirectErrorStream(true)
                            .start();
            p.getOutputStream().close();
            String first;
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                first = r.readLine();
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return first == null || first.isBlank() ? "unknown" : first.strip();
        } catch (IOException e) {
            return "unknown (" + exe + ": " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
