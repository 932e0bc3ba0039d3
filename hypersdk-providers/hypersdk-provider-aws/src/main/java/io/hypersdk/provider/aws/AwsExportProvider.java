package io.hypersdk.provider.aws;

import io.hypersdk.provider.spi.Capability;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.transfer.DownloadEngine;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code aws} export provider (EC2 instances of one region), registered in {@code
 * META-INF/services}.
 *
 * <p>Two export methods ({@code --provider-option method=}): {@code ebs-direct}, the default,
 * snapshots every EBS volume and reads only the written blocks with the EBS direct APIs (no S3
 * bucket, no export-task restrictions, a 100 GiB volume with 6 GiB written moves 6 GiB); and {@code
 * export-task}, CreateInstanceExportTask to {@code bucket=}/{@code prefix=} followed by a download
 * of the object (root volume only).
 *
 * <p>Credentials come only from the AWS SDK's default chain (environment, shared profiles, SSO,
 * container or instance metadata), optionally one {@code profile=}; never from settings. Settings:
 * see {@link AwsSettings#KEYS}.
 */
public final class AwsExportProvider implements ExportProvider {
    /** The provider id. */
    public static final String ID = "aws";

    private final AwsClients.Tuning tuning;
    private final DownloadEngine engine;

    /** The provider with the default retries and download engine. */
    public AwsExportProvider() {
        this(AwsClients.Tuning.defaults(), DownloadEngine.builder().build());
    }

    AwsExportProvider(AwsClients.Tuning tuning, DownloadEngine engine) {
        this.tuning = tuning;
        this.engine = engine;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(
                Capability.LIST_VMS,
                Capability.DESCRIBE_VM,
                Capability.EXPORT_OVF,
                Capability.CHECKSUMS,
                Capability.PARALLEL_DISKS);
    }

    @Override
    public String description() {
        return "AWS EC2 (method=ebs-direct, the default: snapshots read block by block, only written blocks;"
                + " method=export-task: CreateInstanceExportTask to S3, root volume only)";
    }

    @Override
    public ProviderSession connect(ProviderConfig config) {
        AwsSettings settings = AwsSettings.from(config);
        AwsClients clients = new AwsClients(settings, tuning);
        return new AwsSession(clients, settings, tuning, engine, Clock.systemUTC());
    }

    @Override
    public String toString() {
        return "AwsExportProvider";
    }
}
