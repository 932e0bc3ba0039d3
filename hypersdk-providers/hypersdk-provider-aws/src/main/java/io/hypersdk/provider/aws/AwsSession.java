package io.hypersdk.provider.aws;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmSummary;
import io.hypersdk.transfer.DownloadEngine;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;

/** A session against one AWS region. */
final class AwsSession implements ProviderSession {
    private final AwsClients aws;
    private final Ec2Inventory inventory;
    private final AwsExporter exporter;

    AwsSession(
            AwsClients aws,
            AwsSettings settings,
            AwsClients.Tuning tuning,
            DownloadEngine engine,
            Clock clock) {
        this.aws = aws;
        this.inventory = new Ec2Inventory(aws.ec2);
        this.exporter = new AwsExporter(aws, settings, tuning, engine, clock);
    }

    @Override
    public String providerId() {
        return AwsExportProvider.ID;
    }

    @Override
    public List<VmSummary> listVms() {
        try {
            return inventory.list();
        } catch (SdkException e) {
            throw AwsErrors.wrap(e, "DescribeInstances in " + aws.region.id());
        }
    }

    @Override
    public VmDescription describe(String vm) {
        try {
            return inventory.find(vm).description();
        } catch (SdkException e) {
            throw AwsErrors.wrap(e, "describing EC2 instance '" + vm + "' in " + aws.region.id());
        }
    }

    @Override
    public ExportResult export(
            ExportRequest request, ProgressListener listener, Cancellation cancellation) {
        Ec2Inventory.Ec2Vm vm;
        try {
            vm = inventory.find(request.vm());
        } catch (SdkException e) {
            throw AwsErrors.wrap(
                    e, "describing EC2 instance '" + request.vm() + "' in " + aws.region.id());
        }
        return exporter.export(vm, request, listener, cancellation);
    }

    @Override
    public void close() {
        aws.close();
    }
}
