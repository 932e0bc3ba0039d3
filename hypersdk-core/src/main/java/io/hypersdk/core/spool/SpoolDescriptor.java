package io.hypersdk.core.spool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hypersdk.core.settings.QueueLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * The remote-spool descriptor, {@code <spool>/.hypersdk-spool.json}: what the conversion host's
 * units publish about the spool so that an export host, which has no view of that host's systemd,
 * can submit to it (DESIGN.md "Where it goes past one machine"; docs/PIPELINE_INTEGRATION.md
 * "Remote spool"). It is ours, not hyper2kvm's, and versioned: a reader refuses a newer {@code
 * version} instead of guessing.
 *
 * <pre>{@code
 * {"format": "hypersdk-spool", "version": 1, "layout": "workflow", "instance": "prod",
 *  "host": "conv-1", "converter_version": "hyper2kvm 0.0.2",
 *  "output_dir": "/var/lib/hyper2kvm/prod/output",
 *  "heartbeat": "2026-12-07T02:00:00Z", "heartbeat_interval_seconds": 10}
 * }</pre>
 *
 * The daemon counts as alive while its heartbeat is younger than {@link #staleAfter()} (three
 * heartbeat intervals). {@link #writeTo(Path)} replaces the file atomically (temporary file, fsync,
 * rename), so a reader on another host sees the old or the new descriptor, never a torn one.
 *
 * @param version the descriptor format version ({@link #VERSION})
 * @param layout the queue layout the daemon speaks
 * @param instance the daemon instance (empty: the default unit {@code hyper2kvm.service})
 * @param host the conversion host's name
 * @param converterVersion what the converter reports as its version ({@code unknown} when unknown)
 * @param outputDir the daemon's output directory as clients see it (the same path when the spool's
 *     file system is mounted at the same place on every host)
 * @param heartbeat when the publisher last saw the daemon's unit active
 * @param heartbeatInterval how often the publisher refreshes the heartbeat
 */
public record SpoolDescriptor(
        int version,
        QueueLayout layout,
        Optional<String> instance,
        String host,
        String converterVersion,
        Path outputDir,
        Instant heartbeat,
        Duration heartbeatInterval) {

    /** The file name in the spool (watch) directory. */
    public static final String FILE_NAME = ".hypersdk-spool.json";

    /** The format version this SDK writes and the newest it reads. */
    public static final int VERSION = 1;

    /** The value of the {@code format} field. */
    public static final String FORMAT = "hypersdk-spool";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 64 * 1024;

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException for a version below 1, a relative output directory, a blank
     *     host or a non-positive heartbeat interval
     */
    public SpoolDescriptor {
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(converterVersion, "converterVersion");
        Objects.requireNonNull(outputDir, "outputDir");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1 (got " + version + ")");
        }
        if (!outputDir.isAbsolute()) {
            throw new IllegalArgumentException(
                    "output_dir must be an absolute path (got " + outputDir + ")");
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException(
                    "heartbeat interval must be positive (got " + heartbeatInterval + ")");
        }
        instance.ifPresent(
                i -> {
                    if (!InstanceName.isValid(i)) {
                        throw new IllegalArgumentException(
                                "instance \""
                                        + InstanceName.printable(i)
                                        + "\": use "
                                        + InstanceName.RULE);
                    }
                });
    }

    /**
     * The descriptor's path in a spool directory.
     *
     * @param spoolDir the spool (watch) directory
     * @return {@code spoolDir/.hypersdk-spool.json}
     */
    public static Path file(Path spoolDir) {
        return spoolDir.resolve(FILE_NAME);
    }

    /**
     * How old a heartbeat may be while the daemon counts as alive: three heartbeat intervals.
     *
     * @return the bound
     */
    public Duration staleAfter() {
        return heartbeatInterval.multipliedBy(3);
    }

    /**
     * The heartbeat's age (zero when the heartbeat lies in the future: clocks of two hosts differ).
     *
     * @param now the current time
     * @return the age
     */
    public Duration age(Instant now) {
        Duration d = Duration.between(heartbeat, now);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * Whether the heartbeat is younger than {@link #staleAfter()}.
     *
     * @param now the current time
     * @return true while the daemon counts as alive
     */
    public boolean isFresh(Instant now) {
        return age(now).compareTo(staleAfter()) < 0;
    }

    /**
     * The same descriptor with a new heartbeat time.
     *
     * @param time the heartbeat
     * @return a copy
     */
    public SpoolDescriptor withHeartbeat(Instant time) {
        return new SpoolDescriptor(
                version,
                layout,
                instance,
                host,
                converterVersion,
                outputDir,
                time,
                heartbeatInterval);
    }

    /**
     * The JSON text.
     *
     * @return the descriptor as one JSON object
     */
    public String toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("version", version);
        n.put("layout", layout.id());
        n.put("instance", instance.orElse(""));
        n.put("host", host);
        n.put("converter_version", converterVersion);
        n.put("output_dir", outputDir.toString());
        n.put("heartbeat", heartbeat.toString());
        n.put("heartbeat_interval_seconds", heartbeatInterval.toMillis() / 1000.0);
        return n.toPrettyString() + "\n";
    }

    /**
     * Parses a descriptor.
     *
     * @param json the file's text
     * @param source where it came from, for messages
     * @return the descriptor
     * @throws SpoolDescriptorException naming the source, the field and the fix
     */
    public static SpoolDescriptor parse(String json, String source) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new SpoolDescriptorException(source, "is not JSON (" + firstLine(e) + ")");
        }
        if (n == null || !n.isObject()) {
            throw new SpoolDescriptorException(source, "is not a JSON object");
        }
        if (!FORMAT.equals(n.path("format").asText())) {
            throw new SpoolDescriptorException(
                    source, "has no \"format\": \"" + FORMAT + "\" (not a spool descriptor)");
        }
        int version = n.path("version").asInt(0);
        if (version < 1) {
            throw new SpoolDescriptorException(source, "has no valid \"version\"");
        }
        if (version > VERSION) {
            throw new SpoolDescriptorException(
                    source,
                    "has version "
                            + version
                            + ", newer than this SDK reads ("
                            + VERSION
                            + "): upgrade hyperexport/hyperctl on this host");
        }
        try {
            String instance = n.path("instance").asText("");
            double interval = n.path("heartbeat_interval_seconds").asDouble(0);
            return new SpoolDescriptor(
                    version,
                    QueueLayout.parse(required(n, "layout", source)),
                    instance.isEmpty() ? Optional.empty() : Optional.of(instance),
                    required(n, "host", source),
                    n.path("converter_version").asText("unknown"),
                    Path.of(required(n, "output_dir", source)),
                    Instant.parse(required(n, "heartbeat", source)),
                    Duration.ofMillis(Math.round(interval * 1000)));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new SpoolDescriptorException(source, "is invalid: " + e.getMessage());
        }
    }

    private static String required(JsonNode n, String field, String source) {
        String v = n.path(field).asText("");
        if (v.isBlank()) {
            throw new SpoolDescriptorException(source, "has no \"" + field + "\"");
        }
        return v;
    }

    /**
     * Reads the descriptor of a spool.
     *
     * @param spoolDir the spool (watch) directory
     * @return the descriptor; empty when the spool has none
     * @throws SpoolDescriptorException when it exists but is invalid or newer than this SDK reads
     * @throws IOException when it cannot be read (for example the network file system is away)
     */
    public static Optional<SpoolDescriptor> read(Path spoolDir) throws IOException {
        Path f = file(spoolDir);
        byte[] bytes;
        try (InputStream in = Files.newInputStream(f)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(parse(new String(bytes, StandardCharsets.UTF_8), f.toString()));
    }

    /**
     * Writes the descriptor into a spool atomically: a dot-file next to it, fsynced, renamed over
     * the old descriptor.
     *
     * @param spoolDir the spool (watch) directory; must exist
     * @throws IOException when it cannot be written
     */
    public void writeTo(Path spoolDir) throws IOException {
        Path target = file(spoolDir);
        Path tmp = spoolDir.resolve(FILE_NAME + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            try (FileChannel ch =
                    FileChannel.open(
                            tmp,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(toJson().getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(
                    tmp,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        return m.lines().findFirst().orElse(m);
    }
}
