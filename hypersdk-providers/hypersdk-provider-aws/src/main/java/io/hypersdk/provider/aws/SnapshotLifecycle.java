package io.hypersdk.provider.aws;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.InstanceSpecification;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotInfo;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** Creates crash-consistent snapshots of an instance, waits for them, and deletes them. */
final class SnapshotLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLifecycle.class);

    private final Ec2Client ec2;
    private final AwsSettings settings;

    SnapshotLifecycle(Ec2Client ec2, AwsSettings settings) {
        this.ec2 = ec2;
        this.settings = settings;
    }

    /** A snapshot to read, and the volume it was taken of. */
    record SnapshotRef(String snapshotId, String volumeId) {}

    /** CreateSnapshots for every EBS volume of the instance (boot volume included). */
    List<SnapshotRef> create(String instanceId, String jobTag) {
        CreateSnapshotsResponse r;
        try {
            r =
                    ec2.createSnapshots(
                            b ->
                                    b.instanceSpecification(
                                                    InstanceSpecification.builder()
                                                            .instanceId(instanceId)
                                                            .excludeBootVolume(false)
                                                            .build())
                                            .description("hypersdk export of " + instanceId)
                                            .tagSpecifications(
                                                    TagSpecification.builder()
                                                            .resourceType(ResourceType.SNAPSHOT)
                                                            .tags(
                                                                    Tag.builder()
                                                                            .key("hypersdk:export")
                                                                            .value(jobTag)
                                                                            .build())
                                                            .build()));
        } catch (SdkException e) {
            throw AwsErrors.wrap(e, "CreateSnapshots for " + instanceId);
        }
        List<SnapshotRef> out = new ArrayList<>();
        for (SnapshotInfo s : r.snapshots()) {
            out.add(new SnapshotRef(s.snapshotId(), s.volumeId()));
        }
        return out;
    }

    /** The user's snapshots, with the volume each was taken of. */
    List<SnapshotRef> existing(List<String> ids) {
        List<SnapshotRef> out = new ArrayList<>();
        try {
            for (Snapshot s : ec2.describeSnapshotsPaginator(b -> b.snapshotIds(ids)).snapshots()) {
                out.add(new SnapshotRef(s.snapshotId(), s.volumeId() == null ? "" : s.volumeId()));
            }
        } catch (SdkException e) {
            throw AwsErrors.wrap(e, "DescribeSnapshots for " + String.join(", ", ids));
        }
        return out;
    }

    /** Polls DescribeSnapshots with backoff until every snapshot is completed. */
    void awaitCompleted(
            List<SnapshotRef> snapshots, ProgressListener listener, Cancellation cancellation) {
        List<String> ids = snapshots.stream().map(SnapshotRef::snapshotId).toList();
        Instant deadline = Instant.now().plus(settings.waitTimeout());
        Duration wait = settings.pollInterval();
        while (true) {
            cancellation.throwIfCancelled();
            List<Snapshot> states;
            try {
                states = ec2.describeSnapshots(b -> b.snapshotIds(ids)).snapshots();
            } catch (SdkException e) {
                throw AwsErrors.wrap(e, "DescribeSnapshots for " + String.join(", ", ids));
            }
            boolean done = !states.isEmpty();
            List<String> shown = new ArrayList<>();
            for (Snapshot s : states) {
                String state = s.stateAsString();
                if ("error".equals(state)) {
                    throw new ExportException(
                            "snapshot "
                                    + s.snapshotId()
                                    + " of "
                                    + s.volumeId()
                                    + " failed: "
                                    + (s.stateMessage() == null
                                            ? "no reason given"
                                            : s.stateMessage())
                                    + "; try the export again");
                }
                done &= "completed".equals(state);
                shown.add(
                        s.snapshotId()
                                + " "
                                + state
                                + (s.progress() == null ? "" : " " + s.progress()));
            }
            listener.onEvent(
                    new PhaseChanged(Phase.EXPORT, "snapshots: " + String.join(", ", shown)));
            if (done) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new ExportException(
                        "snapshots "
                                + String.join(", ", ids)
                                + " did not complete within "
                                + settings.waitTimeout()
                                + "; raise --provider-option wait-timeout= or try again later");
            }
            sleep(wait, cancellation);
            wait =
                    Duration.ofMillis(
                            Math.min(wait.toMillis() * 2, Duration.ofMinutes(1).toMillis()));
        }
    }

    /** Deletes the snapshots this export created; failures are reported, never thrown. */
    void delete(List<SnapshotRef> created, ProgressListener listener) {
        for (SnapshotRef s : created) {
            try {
                ec2.deleteSnapshot(b -> b.snapshotId(s.snapshotId()));
                LOG.info("deleted snapshot {} of {}", s.snapshotId(), s.volumeId());
            } catch (SdkException e) {
                String m = AwsErrors.wrap(e, "DeleteSnapshot " + s.snapshotId()).getMessage();
                LOG.warn("{}; delete it yourself", m);
                listener.onEvent(new Notice(Notice.Level.WARNING, m + "; delete it yourself"));
            }
        }
    }

    /** Sleeps {@code d}, or less when cancelled (then throws). */
    static void sleep(Duration d, Cancellation cancellation) {
        CountDownLatch latch = new CountDownLatch(1);
        try (Cancellation.Registration ignored = cancellation.onCancel(latch::countDown)) {
            latch.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancelledException("interrupted while waiting for AWS");
        }
        cancellation.throwIfCancelled();
    }
}
