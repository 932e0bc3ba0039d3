package io.hypersdk.core;

import io.hypersdk.core.text.TerminalText;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The identifier of one export or conversion job.
 *
 * <p>Generated ids look like {@code 20261126-113141-123-3f9a2c7b10e4}: the UTC creation time to the
 * millisecond, then 12 hex digits (random; incremented instead when two ids are generated in the
 * same millisecond), so ids are unique, sort by creation time as plain strings, and are safe as
 * file names and systemd/libvirt names: only {@code [a-z0-9-]}.
 *
 * <p>{@link #parse(String)} also accepts ids made elsewhere (for example lower-case UUIDs from the
 * web API) as long as they use {@code [a-z0-9-]}, start with a letter or digit and are at most 100
 * characters long.
 *
 * @param value the id text
 */
public record JobId(String value) implements Comparable<JobId> {
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{0,99}");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long RANDOM_MASK = (1L << 48) - 1;

    private static long lastMillis = Long.MIN_VALUE;
    private static long lastRandom;

    /**
     * Validates the id.
     *
     * @param value the id text
     * @throws IllegalArgumentException if it is not a valid id
     */
    public JobId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "invalid job id \""
                            + TerminalText.escape(value, 120)
                            + "\": use 1-100 characters of [a-z0-9-], starting with a letter or digit");
        }
    }

    /**
     * Generates a new id from the system UTC clock.
     *
     * @return a new, unique id
     */
    public static JobId generate() {
        return generate(Clock.systemUTC());
    }

    /**
     * Generates a new id whose time part comes from the given clock.
     *
     * @param clock the clock to read the creation time from
     * @return a new, unique id
     */
    public static JobId generate(Clock clock) {
        long millis = clock.millis();
        long suffix;
        synchronized (JobId.class) {
            if (millis == lastMillis) {
                suffix = (lastRandom + 1) & RANDOM_MASK;
            } else {
                suffix = RANDOM.nextLong() & (RANDOM_MASK >>> 1); // room to increment within the ms
            }
            lastMillis = millis;
            lastRandom = suffix;
        }
        String time = TIME.format(java.time.Instant.ofEpochMilli(millis));
        return new JobId(time + "-" + String.format("%012x", suffix));
    }

    /**
     * The stable id of one export: the same VM exported into the same directory always gets the
     * same id, so that a resubmission to a shared spool finds the job already there instead of
     * converting twice. Form: {@code e} then 24 hex digits of the SHA-256 of the VM name and the
     * absolute, normalised export directory; the time is not part of it. Use {@link #attempt(int)}
     * for a new try after a failed one.
     *
     * @param vmName the exported VM's name
     * @param exportDir the directory the VM was exported into
     * @return the id
     */
    public static JobId forExport(String vmName, java.nio.file.Path exportDir) {
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(exportDir, "exportDir");
        String key = vmName + "\u0000" + exportDir.toAbsolutePath().normalize();
        try {
            byte[] d =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new JobId("e" + java.util.HexFormat.of().formatHex(d, 0, 12));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The id of try {@code n} of this job: this id for 1, {@code <id>-r<n>} after that.
     *
     * @param n the try, 1 or more
     * @return the id
     */
    public JobId attempt(int n) {
        if (n < 1 || n > 999) {
            throw new IllegalArgumentException("attempt must be 1-999 (got " + n + ")");
        }
        return n == 1 ? this : new JobId(value + "-r" + n);
    }

    /**
     * Parses and validates an id.
     *
     * @param text the id text, for example from a file name or the web API
     * @return the id
     * @throws IllegalArgumentException naming the text and the allowed form
     */
    public static JobId parse(String text) {
        return new JobId(Objects.requireNonNull(text, "text"));
    }

    @Override
    public int compareTo(JobId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
