package io.hypersdk.provider.aws;

import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderConfigException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code aws} provider's settings, read from {@code --provider-option KEY=VALUE}. Credentials
 * are never settings: they come from the AWS SDK's default chain (environment, profiles, SSO,
 * instance metadata), optionally narrowed to one {@code profile}.
 *
 * @param region the region ({@code region=}); else the default chain's region
 * @param profile a named profile of the shared config files ({@code profile=})
 * @param ec2Endpoint {@code ec2-endpoint=} (tests and VPC endpoints)
 * @param ebsEndpoint {@code ebs-endpoint=}
 * @param s3Endpoint {@code s3-endpoint=} (path-style addressing is used with it)
 * @param method {@code method=ebs-direct} (default) or {@code export-task}
 * @param bucket {@code bucket=}, required by export-task
 * @param prefix {@code prefix=} of the exported object's key (default {@code hypersdk/})
 * @param diskFormat {@code disk-format=vmdk|vhd|raw} of the export task (default vmdk)
 * @param ova {@code container=ova}: the export task writes an OVA (OVF descriptor + disks), which
 *     is unpacked through the {@code local} provider; {@code container=none} (default) writes the
 *     disk image alone
 * @param keepOva {@code keep-ova=true} keeps the downloaded OVA in the output directory; by default
 *     it is a temporary, deleted once its disks are extracted and verified
 * @param cleanup {@code cleanup=true} deletes the exported S3 object after the download
 * @param keepSnapshots {@code keep-snapshots=true} keeps the snapshots the provider created
 * @param snapshotIds {@code snapshot-ids=snap-1;snap-2}: read these instead of snapshotting
 * @param blockParallel {@code block-parallel=} blocks read at once by ebs-direct, 1-64 (default 16)
 * @param pollInterval {@code poll-interval=} first wait between status polls (default 5 s, doubling
 *     to 1 min)
 * @param waitTimeout {@code wait-timeout=} for snapshots and export tasks (default 6 h)
 */
record AwsSettings(
        Optional<String> region,
        Optional<String> profile,
        Optional<URI> ec2Endpoint,
        Optional<URI> ebsEndpoint,
        Optional<URI> s3Endpoint,
        ExportMethod method,
        Optional<String> bucket,
        String prefix,
        DiskFormat diskFormat,
        boolean ova,
        boolean keepOva,
        boolean cleanup,
        boolean keepSnapshots,
        List<String> snapshotIds,
        int blockParallel,
        Duration pollInterval,
        Duration waitTimeout) {

    /** The keys this provider reads; any other key is a typo and is refused. */
    static final Set<String> KEYS =
            Set.of(
                    "region",
                    "profile",
                    "ec2-endpoint",
                    "ebs-endpoint",
                    "s3-endpoint",
                    "method",
                    "bucket",
                    "prefix",
                    "disk-format",
                    "container",
                    "keep-ova",
                    "cleanup",
                    "keep-snapshots",
                    "snapshot-ids",
                    "block-parallel",
                    "poll-interval",
                    "wait-timeout");

    AwsSettings {
        snapshotIds = List.copyOf(snapshotIds);
    }

    static AwsSettings from(ProviderConfig config) {
        config.requireKnownKeys("aws", KEYS);
        ExportMethod method =
                config.get("method").map(ExportMethod::parse).orElse(ExportMethod.EBS_DIRECT);
        DiskFormat format =
                config.get("disk-format").map(AwsSettings::diskFormat).orElse(DiskFormat.VMDK);
        String container = config.get("container").orElse("none").trim().toLowerCase(Locale.ROOT);
        if (!container.equals("none") && !container.equals("ova")) {
            throw new ProviderConfigException(
                    "setting 'container' must be none (the disk image alone) or ova (an OVF"
                            + " descriptor and the disk in one archive), got '"
                            + container
                            + "'");
        }
        boolean ova = container.equals("ova");
        if (ova && method != ExportMethod.EXPORT_TASK) {
            throw new ProviderConfigException(
                    "setting 'container=ova' works only with method=export-task (ebs-direct reads"
                            + " the snapshots and writes raw images, no container)");
        }
        boolean keepOva = config.getBoolean("keep-ova", false);
        if (keepOva && !ova) {
            throw new ProviderConfigException(
                    "setting 'keep-ova=true' needs container=ova (there is no OVA to keep otherwise)");
        }
        Optional<String> bucket = config.get("bucket").map(String::trim).filter(s -> !s.isEmpty());
        if (method == ExportMethod.EXPORT_TASK && bucket.isEmpty()) {
            throw new ProviderConfigException(
                    "method=export-task needs an S3 bucket: add --provider-option bucket=NAME"
                            + " (the bucket must grant VM Import/Export write access), or use method=ebs-direct, which needs none");
        }
        List<String> snaps =
                config.get("snapshot-ids")
                        .map(
                                s ->
                                        Arrays.stream(s.split("[;:\\s]+"))
                                                .filter(x -> !x.isEmpty())
                                                .toList())
                        .orElse(List.of());
        for (String s : snaps) {
            if (!s.matches("snap-[0-9a-f]{8,17}")) {
                throw new ProviderConfigException(
                        "setting 'snapshot-ids' holds '"
                                + s
                                + "', which is not a snapshot id"
                                + " (snap-0123456789abcdef0); separate several with ';'");
            }
        }
        if (!snaps.isEmpty() && method != ExportMethod.EBS_DIRECT) {
            throw new ProviderConfigException(
                    "setting 'snapshot-ids' works only with method=ebs-direct");
        }
        String prefix = config.get("prefix").orElse("hypersdk/");
        return new AwsSettings(
                config.get("region").map(String::trim).filter(s -> !s.isEmpty()),
                config.get("profile").map(String::trim).filter(s -> !s.isEmpty()),
                endpoint(config, "ec2-endpoint"),
                endpoint(config, "ebs-endpoint"),
                endpoint(config, "s3-endpoint"),
                method,
                bucket,
                prefix,
                format,
                ova,
                keepOva,
                config.getBoolean("cleanup", false),
                config.getBoolean("keep-snapshots", false),
                snaps,
                config.getInt("block-parallel", 16, 1, 64),
                config.getDuration("poll-interval", Duration.ofSeconds(5)),
                config.getDuration("wait-timeout", Duration.ofHours(6)));
    }

    private static DiskFormat diskFormat(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "vmdk":
                return DiskFormat.VMDK;
            case "vhd":
                return DiskFormat.VHD;
            case "raw":
                return DiskFormat.RAW;
            default:
                throw new ProviderConfigException(
                        "setting 'disk-format' must be vmdk, vhd or raw (got '" + text + "')");
        }
    }

    /** An endpoint override: https anywhere, plain http only to a loopback address. */
    private static Optional<URI> endpoint(ProviderConfig config, String key) {
        Optional<String> v = config.get(key).map(String::trim).filter(s -> !s.isEmpty());
        if (v.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(v.get());
        } catch (IllegalArgumentException e) {
            throw new ProviderConfigException(
                    "setting '" + key + "' is not a URI (got '" + v.get() + "')");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new ProviderConfigException(
                    "setting '"
                            + key
                            + "' must be an http(s) URI with a host (got '"
                            + v.get()
                            + "')");
        }
        if (scheme.equals("http") && !loopback(uri.getHost())) {
            throw new ProviderConfigException(
                    "setting '"
                            + key
                            + "' uses plain http to "
                            + uri.getHost()
                            + ": only loopback endpoints may use http; use https");
        }
        return Optional.of(uri);
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
