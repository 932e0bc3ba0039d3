package io.hypersdk.provider.aws;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.AuthenticationException;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.TransferException;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.DownloadException;
import io.hypersdk.transfer.DownloadRequest;
import io.hypersdk.transfer.DownloadedFile;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.ContainerFormat;
import software.amazon.awssdk.services.ec2.model.DiskImageFormat;
import software.amazon.awssdk.services.ec2.model.ExportEnvironment;
import software.amazon.awssdk.services.ec2.model.ExportTask;
import software.amazon.awssdk.services.ec2.model.ExportToS3TaskSpecification;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The {@code export-task} path: CreateInstanceExportTask to S3, DescribeExportTasks with backoff
 * until it ends, then the object is downloaded through the project's download engine with a
 * pre-signed URL (ranged, resumable, SHA-256 while streaming). Deletes the object only with {@code
 * cleanup=true}.
 */
final class ExportTaskRun {
    private static final Logger LOG = LoggerFactory.getLogger(ExportTaskRun.class);
    private static final Duration PRESIGN_FOR = Duration.ofHours(6);

    private final AwsClients aws;
    private final AwsSettings settings;
    private final DownloadEngine engine;

    ExportTaskRun(AwsClients aws, AwsSettings settings, DownloadEngine engine) {
        this.aws = aws;
        this.settings = settings;
        this.engine = engine;
    }

    /**
     * The known VM Import/Export restrictions this instance runs into, each naming the alternative;
     * empty when none applies.
     */
    static List<String> restrictions(Ec2Inventory.Ec2Vm vm) {
        List<String> out = new ArrayList<>();
        vm.volumes().stream()
                .filter(Ec2Inventory.Ec2Volume::encrypted)
                .forEach(
                        v ->
                                out.add(
                                        "volume "
                                                + v.volumeId()
                                                + " is encrypted, and CreateInstanceExportTask cannot export encrypted EBS volumes"));
        if (vm.instance().productCodes().stream()
                .anyMatch(p -> "marketplace".equals(p.productCodeTypeAsString()))) {
            out.add(
                    "instance "
                            + vm.instance().instanceId()
                            + " was launched from an AWS Marketplace AMI (product code "
                            + vm.instance().productCodes().get(0).productCodeId()
                            + "), which VM Import/Export cannot export");
        }
        return out;
    }

    /**
     * The exported object: its bucket and key, {@code s3://bucket/key}, and the downloaded file.
     */
    record Exported(String bucket, String key, String where, DownloadedFile file) {}

    /** Runs the export task and downloads its object to {@code target}. */
    Exported run(
            Ec2Inventory.Ec2Vm vm,
            Path target,
            ProgressListener listener,
            Cancellation cancellation) {
        String instanceId = vm.instance().instanceId();
        List<String> blocked = restrictions(vm);
        if (!blocked.isEmpty()) {
            throw new ExportException(
                    String.join("; ", blocked)
                            + ": use --provider-option method=ebs-direct,"
                            + " which reads the snapshots directly");
        }
        String bucket = settings.bucket().orElseThrow();
        DiskFormat format = settings.diskFormat();
        ExportTask task;
        try {
            task =
                    aws.ec2
                            .createInstanceExportTask(
                                    b ->
                                            b.instanceId(instanceId)
                                                    .description("hypersdk export of " + instanceId)
                                                    .targetEnvironment(
                                                            format == DiskFormat.VHD
                                                                    ? ExportEnvironment.MICROSOFT
                                                                    : ExportEnvironment.VMWARE)
                                                    .exportToS3Task(
                                                            ExportToS3TaskSpecification.builder()
                                                                    .diskImageFormat(
                                                                            DiskImageFormat
                                                                                    .fromValue(
                                                                                            format.id()
                                                                                                    .toUpperCase(
                                                                                                            Locale
                                                                                                                    .ROOT)))
                                                                    .containerFormat(
                                                                            settings.ova()
                                                                                    ? ContainerFormat
                                                                                            .OVA
                                                                                    : null)
                                                                    .s3Bucket(bucket)
                                                                    .s3Prefix(settings.prefix())
                                                                    .build()))
                            .exportTask();
        } catch (SdkException e) {
            throw AwsErrors.wrap(
                    e,
                    "CreateInstanceExportTask for "
                            + instanceId
                            + " to s3://"
                            + bucket
                            + "/"
                            + settings.prefix());
        }
        String taskId = task.exportTaskId();
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT, "export task " + taskId + " started for " + instanceId));
        ExportTask finished = await(task, instanceId, listener, cancellation);
        String key =
                finished.exportToS3Task() != null && finished.exportToS3Task().s3Key() != null
                        ? finished.exportToS3Task().s3Key()
                        : settings.prefix() + taskId + "." + (settings.ova() ? "ova" : format.id());
        String where = "s3://" + bucket + "/" + key;
        HeadObjectResponse head;
        try {
            head = aws.s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw AwsErrors.wrap(e, "HeadObject " + where + " (the export task's image)");
        }
        URI url =
                URI.create(
                        aws.presigner
                                .presignGetObject(
                                        p ->
                                                p.signatureDuration(PRESIGN_FOR)
                                                        .getObjectRequest(
                                                                g -> g.bucket(bucket).key(key)))
                                .url()
                                .toString());
        listener.onEvent(new PhaseChanged(Phase.EXPORT, "downloading " + where));
        DownloadedFile file;
        try {
            file =
                    engine.download(
                            DownloadRequest.of(url, target).withExpectedSize(head.contentLength()),
                            listener,
                            cancellation);
        } catch (DownloadException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (m.contains(" 403") || m.contains("403 ")) {
                throw new AuthenticationException(
                        "S3 refused the download of "
                                + where
                                + " (403 Forbidden): the credentials"
                                + " the AWS default chain found may not read it; check them (AWS_PROFILE, AWS_ACCESS_KEY_ID) and s3:GetObject"
                                + " on the bucket",
                        e);
            }
            throw new TransferException(e.getMessage(), e);
        }
        return new Exported(bucket, key, where, file);
    }

    /**
     * With {@code cleanup=true}, deletes the exported object; called once what was downloaded has
     * been turned into the export's disks, so a failed unpack leaves the object for a retry.
     */
    void cleanup(Exported exported, ProgressListener listener) {
        String bucket = exported.bucket();
        String key = exported.key();
        String where = exported.where();
        if (settings.cleanup()) {
            try {
                aws.s3.deleteObject(b -> b.bucket(bucket).key(key));
                listener.onEvent(
                        new Notice(Notice.Level.INFO, "deleted " + where + " (cleanup=true)"));
            } catch (SdkException e) {
                String m = AwsErrors.wrap(e, "DeleteObject " + where).getMessage();
                LOG.warn("{}; delete it yourself", m);
                listener.onEvent(new Notice(Notice.Level.WARNING, m + "; delete it yourself"));
            }
        }
    }

    private ExportTask await(
            ExportTask task,
            String instanceId,
            ProgressListener listener,
            Cancellation cancellation) {
        String taskId = task.exportTaskId();
        Instant deadline = Instant.now().plus(settings.waitTimeout());
        Duration wait = settings.pollInterval();
        String lastShown = "";
        while (true) {
            if (cancellation.isCancelled()) {
                cancel(taskId);
                throw new CancelledException("export task " + taskId + " cancelled");
            }
            ExportTask t;
            try {
                t =
                        aws
                                .ec2
                                .describeExportTasks(b -> b.exportTaskIds(taskId))
                                .exportTasks()
                                .stream()
                                .findFirst()
                                .orElseThrow(
                                        () ->
                                                new ExportException(
                                                        "DescribeExportTasks does not know export task "
                                                                + taskId
                                                                + " any more; look for it in the EC2 console"));
            } catch (SdkException e) {
                throw AwsErrors.wrap(e, "DescribeExportTasks for " + taskId);
            }
            String state = t.stateAsString();
            String msg = t.statusMessage() == null ? "" : t.statusMessage();
            String shown =
                    "export task " + taskId + " " + state + (msg.isEmpty() ? "" : ": " + msg);
            if (!shown.equals(lastShown)) {
                listener.onEvent(new PhaseChanged(Phase.EXPORT, shown));
                lastShown = shown;
            }
            if ("completed".equals(state)) {
                return t;
            }
            if ("cancelled".equals(state) || "cancelling".equals(state) || "failed".equals(state)) {
                throw new ExportException(
                        "export task "
                                + taskId
                                + " of "
                                + instanceId
                                + " ended "
                                + state
                                + (msg.isEmpty() ? " without a status message" : ": " + msg)
                                + "; fix what AWS names, or use --provider-option method=ebs-direct");
            }
            if (Instant.now().isAfter(deadline)) {
                cancel(taskId);
                throw new ExportException(
                        "export task "
                                + taskId
                                + " did not complete within "
                                + settings.waitTimeout()
                                + " and was cancelled; raise --provider-option wait-timeout=");
            }
            try {
                SnapshotLifecycle.sleep(wait, cancellation);
            } catch (CancelledException e) {
                cancel(taskId);
                throw e;
            }
            wait =
                    Duration.ofMillis(
                            Math.min(wait.toMillis() * 2, Duration.ofMinutes(1).toMillis()));
        }
    }

    private void cancel(String taskId) {
        try {
            aws.ec2.cancelExportTask(b -> b.exportTaskId(taskId));
        } catch (SdkException e) {
            LOG.warn(
                    "{}; cancel it in the EC2 console",
                    AwsErrors.wrap(e, "CancelExportTask " + taskId).getMessage());
        }
    }
}
