package io.hypersdk.provider.gcp;

import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code gcp} provider's settings, read from {@code --provider-option KEY=VALUE}. Credentials
 * are never settings: they come from Google's Application Default Credentials.
 *
 * @param project {@code project=} (else {@code GOOGLE_CLOUD_PROJECT} / the credentials' project)
 * @param zone {@code zone=}, the zone of the instances (required)
 * @param bucket {@code bucket=}, the Cloud Storage bucket the image is exported to (required to
 *     export)
 * @param prefix {@code prefix=} of the exported object's name (default {@code hypersdk/})
 * @param format {@code format=tar.gz} (default; the native {@code disk.raw} in a tarball) or {@code
 *     vmdk}
 * @param snapshot {@code snapshot=true}: image a snapshot of a running instance's disks instead of
 *     the disk
 * @param keep {@code keep=true}: keep the exported object in the bucket
 * @param computeEndpoint {@code compute-endpoint=} (tests, private endpoints)
 * @param cloudBuildEndpoint {@code cloudbuild-endpoint=}
 * @param storageEndpoint {@code storage-endpoint=}
 * @param pollInterval {@code poll-interval=} first wait between polls (default 5 s, doubling to 1
 *     min)
 * @param waitTimeout {@code wait-timeout=} for operations and the build (default 6 h)
 * @param checksumAttempts {@code checksum-attempts=} downloads tried when GCS's checksum does not
 *     match, 1-5 (default 2)
 * @param parallel {@code parallel=} disks exported at once, 1-8 (default {@value
 *     #DEFAULT_PARALLEL}: most of a disk's time is Google's (the image, then a Cloud Build job that
 *     boots its own worker VM), so two at once hide most of one disk's wait, while each extra disk
 *     costs one more concurrent build and worker VM of the project's quota; the downloads share one
 *     link anyway)
 */
record GcpSettings(
        Optional<String> project,
        String zone,
        Optional<String> bucket,
        String prefix,
        ExportFormat format,
        boolean snapshot,
        boolean keep,
        URI computeEndpoint,
        URI cloudBuildEndpoint,
        URI storageEndpoint,
        Duration pollInterval,
        Duration waitTimeout,
        int checksumAttempts,
        int parallel) {

    /** Disks exported at once unless {@code parallel=} says otherwise. */
    static final int DEFAULT_PARALLEL = 2;

    /** The keys this provider reads; any other key is a typo and is refused. */
    static final Set<String> KEYS =
            Set.of(
                    "project",
                    "zone",
                    "bucket",
                    "prefix",
                    "format",
                    "snapshot",
                    "keep",
                    "compute-endpoint",
                    "cloudbuild-endpoint",
                    "storage-endpoint",
                    "poll-interval",
                    "wait-timeout",
                    "checksum-attempts",
                    "parallel");

    /** What Google's image-export tool writes. */
    enum ExportFormat {
        /** The native export: {@code disk.raw} in a gzip'd GNU tarball. */
        TAR_GZ("tar.gz"),
        /** A stream-optimized VMDK, converted by the export tool. */
        VMDK("vmdk");

        private final String id;

        ExportFormat(String id) {
            this.id = id;
        }

        String id() {
            return id;
        }
    }

    static GcpSettings from(ProviderConfig config) {
        config.requireKnownKeys("gcp", KEYS);
        String zone = config.get("zone").map(String::trim).orElse("");
        if (!zone.matches("[a-z]+-[a-z]+[0-9]+-[a-z]")) {
            throw new ProviderConfigException(
                    "setting 'zone' must name a Compute Engine zone such as us-central1-a"
                            + (zone.isEmpty()
                                    ? ": add --provider-option zone=ZONE"
                                    : " (got '" + zone + "')"));
        }
        Optional<String> project =
                config.get("project").map(String::trim).filter(s -> !s.isEmpty());
        project.ifPresent(
                p -> {
                    if (!p.matches(
                            "[a-z][a-z0-9-]{4,28}[a-z0-9]|[a-z0-9.-]+:[a-z][a-z0-9-]{4,28}[a-z0-9]")) {
                        throw new ProviderConfigException(
                                "setting 'project' must be a project id such as my-project-123 (got '"
                                        + p
                                        + "')");
                    }
                });
        Optional<String> bucket = config.get("bucket").map(String::trim).filter(s -> !s.isEmpty());
        bucket.ifPresent(
                b -> {
                    if (!b.matches("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]")) {
                        throw new ProviderConfigException(
                                "setting 'bucket' must be a Cloud Storage bucket name without gs://"
                                        + " (got '"
                                        + b
                                        + "')");
                    }
                });
        String prefix = config.get("prefix").orElse("hypersdk/");
        if (prefix.startsWith("/") || prefix.contains("..")) {
            throw new ProviderConfigException(
                    "setting 'prefix' must be a relative object name prefix (got '"
                            + prefix
                            + "')");
        }
        String f = config.get("format").orElse("tar.gz").trim().toLowerCase(Locale.ROOT);
        ExportFormat format =
                switch (f) {
                    case "tar.gz", "raw", "native" -> ExportFormat.TAR_GZ;
                    case "vmdk" -> ExportFormat.VMDK;
                    default ->
                            throw new ProviderConfigException(
                                    "setting 'format' must be tar.gz (the native disk.raw export)"
                                            + " or vmdk (got '"
                                            + f
                                            + "')");
                };
        return new GcpSettings(
                project,
                zone,
                bucket,
                prefix,
                format,
                config.getBoolean("snapshot", false),
                config.getBoolean("keep", false),
                endpoint(config, "compute-endpoint", "https://compute.googleapis.com"),
                endpoint(config, "cloudbuild-endpoint", "https://cloudbuild.googleapis.com"),
                endpoint(config, "storage-endpoint", "https://storage.googleapis.com"),
                config.getDuration("poll-interval", Duration.ofSeconds(5)),
                config.getDuration("wait-timeout", Duration.ofHours(6)),
                config.getInt("checksum-attempts", 2, 1, 5),
                config.getInt("parallel", DEFAULT_PARALLEL, 1, 8));
    }

    /** The bucket, or a message saying how to give one. */
    String requireBucket() {
        return bucket.orElseThrow(
                () ->
                        new ProviderConfigException(
                                "exporting from gcp needs a Cloud Storage bucket"
                                        + " for the exported image: add --provider-option bucket=NAME (the Cloud Build service account must be able"
                                        + " to write to it)"));
    }

    /** An endpoint override: https anywhere, plain http only to a loopback address. */
    private static URI endpoint(ProviderConfig config, String key, String fallback) {
        String v = config.get(key).map(String::trim).filter(s -> !s.isEmpty()).orElse(fallback);
        URI uri;
        try {
            uri = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
        } catch (IllegalArgumentException e) {
            throw new ProviderConfigException(
                    "setting '" + key + "' is not a URI (got '" + v + "')");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ProviderConfigException(
                    "setting '" + key + "' must be an http(s) URI with a host (got '" + v + "')");
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            throw new ProviderConfigException(
                    "setting '"
                            + key
                            + "' uses plain http to "
                            + uri.getHost()
                            + ": only loopback endpoints may use http; use https");
        }
        return uri;
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
