package io.hypersdk.provider.azure;

import com.azure.core.http.HttpClient;
import com.azure.resourcemanager.compute.fluent.models.VirtualMachineInner;
import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestMetadata;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.TransferException;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNic;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.DownloadException;
import io.hypersdk.transfer.DownloadedFile;
import io.hypersdk.transfer.RangedDownloadRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export of one Azure VM: for each managed disk (OS disk first, then by LUN) grantAccess (read,
 * {@code sas-seconds}) → Get Page Ranges → only the allocated ranges through the {@link
 * DownloadEngine} into a sparse fixed VHD of the disk's size → revokeAccess, always (success,
 * failure, cancellation). A refused SAS (expired) is renewed with a new grantAccess. A running (or
 * stopped but allocated) VM is refused unless {@code snapshot=true}: then each disk is snapshotted,
 * the snapshots are read, and deleted afterwards.
 */
final class AzureExporter {
    private static final Logger LOG = LoggerFactory.getLogger(AzureExporter.class);
    static final String HYPERSDK_VERSION = "0.1.0";

    /** Tunables; tests shorten them. */
    record Tuning(
            UnaryOperator<DownloadEngine.Builder> engine, int pageRangesPerAnswer, Clock clock) {
        static Tuning defaults() {
            return new Tuning(b -> b, 10_000, Clock.systemUTC());
        }
    }

    /** A VM that must be deallocated (or exported from snapshots). */
    static final class VmRunningException extends ExportException {
        private static final long serialVersionUID = 1L;

        VmRunningException(String message) {
            super(message);
        }
    }

    private final AzureArm arm;
    private final AzureSettings settings;
    private final HttpClient storageHttp;
    private final Tuning tuning;

    /** Bytes received for the last export's disks (tests, the benchmark). */
    private volatile long lastTransferred;

    AzureExporter(AzureArm arm, AzureSettings settings, HttpClient storageHttp, Tuning tuning) {
        this.arm = arm;
        this.settings = settings;
        this.storageHttp = storageHttp;
        this.tuning = tuning;
    }

    long lastTransferred() {
        return lastTransferred;
    }

    ExportResult export(
            VirtualMachineInner vm,
            AzureInventory.Described described,
            ExportRequest request,
            ProgressListener listener,
            Cancellation cancellation) {
        Instant started = tuning.clock().instant();
        String ref = AzureVmRefs.path(vm.id());
        String power = described.powerCode();
        boolean fromSnapshots = !power.equals("deallocated");
        if (fromSnapshots && !settings.snapshot()) {
            String[] rg = ref.split("/", 2);
            throw new VmRunningException(
                    "VM "
                            + ref
                            + " is "
                            + power
                            + "; its disks can be read consistently only when it is"
                            + " deallocated: run 'az vm deallocate -g "
                            + rg[0]
                            + " -n "
                            + rg[1]
                            + "', or export from snapshots of its"
                            + " disks with --provider-option snapshot=true");
        }
        Path out = request.outputDirectory().toAbsolutePath().normalize();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new ExportException(
                    "cannot create the output directory "
                            + out
                            + ": "
                            + e.getMessage()
                            + "; choose a writable directory",
                    e);
        }
        String base = VmNames.forFileName(vm.name());
        List<DownloadedFile> files = new ArrayList<>();
        long transferred = 0;
        for (int i = 0; i < described.disks().size(); i++) {
            cancellation.throwIfCancelled();
            AzureInventory.ManagedDisk disk = described.disks().get(i);
            Path target = out.resolve(base + "-disk-" + i + ".vhd");
            AzureArm.Grantable g =
                    new AzureArm.Grantable(
                            AzureVmRefs.path(disk.id()).split("/", 2)[0],
                            disk.disk().name(),
                            false);
            AzureArm.Grantable snapshot = null;
            try {
                if (fromSnapshots) {
                    listener.onEvent(
                            new PhaseChanged(
                                    Phase.EXPORT,
                                    "snapshotting disk "
                                            + g.name()
                                            + " of running VM "
                                            + vm.name()));
                    snapshot = arm.snapshot(disk.disk(), snapshotName(disk.disk().name(), started));
                    g = snapshot;
                }
                DiskTransfer t = transfer(g, target, request, listener, cancellation);
                files.add(t.file());
                transferred += t.transferred();
            } finally {
                if (snapshot != null) {
                    deleteSnapshot(snapshot);
                }
            }
        }
        lastTransferred = transferred;
        ArtifactManifest manifest =
                manifest(vm, described.description(), files, request, started, fromSnapshots);
        ManifestValidator.requireValid(manifest, ValidationOptions.withDiskFiles());
        Path manifestPath = out.resolve(ExportResult.MANIFEST_FILE_NAME);
        ManifestCodec.write(manifest, manifestPath);
        List<Path> written = files.stream().map(DownloadedFile::path).toList();
        long bytes = files.stream().mapToLong(DownloadedFile::bytes).sum();
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT,
                        "exported "
                                + vm.name()
                                + " to "
                                + out
                                + " ("
                                + transferred
                                + " bytes transferred for "
                                + bytes
                                + " bytes of disk)"));
        return new ExportResult(
                manifest,
                manifestPath,
                written,
                bytes,
                Duration.between(started, tuning.clock().instant()));
    }

    /** What one disk's transfer gave. */
    record DiskTransfer(DownloadedFile file, long transferred) {}

    /** grantAccess → page ranges → ranged download → revokeAccess (always). */
    DiskTransfer transfer(
            AzureArm.Grantable g,
            Path target,
            ExportRequest request,
            ProgressListener listener,
            Cancellation cancellation) {
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT, "granting read access to " + g.kind() + " " + g.name()));
        String sas = arm.grantRead(g);
        RuntimeException failure = null;
        try {
            PageRanges.Layout layout =
                    PageRanges.read(sas, storageHttp, tuning.pageRangesPerAnswer());
            listener.onEvent(
                    new PhaseChanged(
                            Phase.EXPORT,
                            g.kind()
                                    + " "
                                    + g.name()
                                    + ": "
                                    + layout.allocated()
                                    + " of "
                                    + layout.size()
                                    + " bytes allocated in "
                                    + layout.ranges().size()
                                    + " page range(s)"));
            RangedDownloadRequest.UriSource source =
                    new RangedDownloadRequest.UriSource() {
                        private volatile URI current = URI.create(sas);

                        @Override
                        public URI uri() {
                            return current;
                        }

                        @Override
                        public Optional<URI> renew(URI refused, int status) {
                            LOG.info(
                                    "{} {}: the SAS was refused ({}), asking for a new grant",
                                    g.kind(),
                                    g.name(),
                                    status);
                            current = URI.create(arm.grantRead(g));
                            return Optional.of(current);
                        }
                    };
            DownloadEngine engine =
                    tuning.engine()
                            .apply(
                                    DownloadEngine.builder()
                                            .parallelism(
                                                    Math.max(
                                                            4,
                                                            Math.min(16, request.parallel() * 2))))
                            .build();
            RangedDownloadRequest r =
                    RangedDownloadRequest.of(source, target, layout.size(), layout.ranges());
            try {
                DownloadedFile f = engine.downloadRanges(r, listener, cancellation);
                return new DiskTransfer(f, r.rangeBytes());
            } catch (DownloadException e) {
                throw new TransferException(
                        "download of "
                                + g.kind()
                                + " "
                                + g.name()
                                + " failed: "
                                + SasUrls.redact(e.getMessage()),
                        e);
            }
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            revoke(g, failure);
        }
    }

    /**
     * revokeAccess; a failure is added to the export's own failure, or thrown when there is none.
     */
    private void revoke(AzureArm.Grantable g, RuntimeException failure) {
        try {
            arm.revoke(g);
        } catch (RuntimeException e) {
            if (failure != null) {
                failure.addSuppressed(e);
                LOG.warn(
                        "revokeAccess of {} {} failed after the export failed: {}",
                        g.kind(),
                        g.name(),
                        e.getMessage());
            } else {
                throw new ExportException(
                        "the disks were exported but revoking the read grant of "
                                + g.kind()
                                + " "
                                + g.name()
                                + " failed ("
                                + e.getMessage()
                                + "); revoke it with 'az "
                                + g.kind()
                                + " revoke-access -g "
                                + g.resourceGroup()
                                + " -n "
                                + g.name()
                                + "'",
                        e);
            }
        }
    }

    private void deleteSnapshot(AzureArm.Grantable s) {
        try {
            arm.deleteSnapshot(s);
        } catch (RuntimeException e) {
            LOG.warn(
                    "cannot delete snapshot {}/{}: {}; delete it with 'az snapshot delete -g {} -n {}'",
                    s.resourceGroup(),
                    s.name(),
                    e.getMessage(),
                    s.resourceGroup(),
                    s.name());
        }
    }

    static String snapshotName(String disk, Instant at) {
        String n = "hypersdk-" + disk + "-" + at.getEpochSecond();
        return n.length() <= 80 ? n : n.substring(n.length() - 80);
    }

    private ArtifactManifest manifest(
            VirtualMachineInner vm,
            VmDescription d,
            List<DownloadedFile> files,
            ExportRequest request,
            Instant started,
            boolean fromSnapshots) {
        ArtifactManifest.Builder b = ArtifactManifest.builder();
        b.source(
                ManifestSource.of("azure")
                        .withVmId(vm.id())
                        .withVmName(vm.name())
                        .withExportMethod(fromSnapshots ? "snapshot-sas" : "managed-disk-sas")
                        .withExportTimestamp(started));
        // whole GiB, rounded up as the other providers do: a VM never gets less memory than it had
        ManifestVm mvm =
                ManifestVm.of(
                                d.cpu(),
                                (int)
                                        Math.min(
                                                Integer.MAX_VALUE,
                                                (d.memoryBytes() + (1L << 30) - 1) >> 30),
                                d.firmware())
                        .withSecureboot(d.secureBoot())
                        .withOsHint(d.osHint());
        if (d.guestOs().isPresent()) {
            mvm = mvm.withOsVersion(d.guestOs().get());
        }
        b.vm(mvm);
        for (int i = 0; i < files.size(); i++) {
            DownloadedFile f = files.get(i);
            DiskArtifact.Builder db =
                    DiskArtifact.builder()
                            .id("disk-" + i)
                            .sourceFormat(DiskFormat.VHD)
                            .bytes(f.bytes())
                            .localPath(f.path())
                            .bootOrderHint(i)
                            .diskType(i == 0 ? DiskType.BOOT : DiskType.DATA);
            if (request.checksums()) {
                db.checksum(f.checksum());
            }
            d.disks().get(i).label().ifPresent(db::label);
            b.addDisk(db.build());
        }
        for (VmNic n : d.nics()) {
            b.addNic(new NicArtifact(n.id(), n.mac(), n.network()));
        }
        b.addNote(
                "Exported from Azure (subscription "
                        + settings.subscription()
                        + ") by hypersdk-java "
                        + HYPERSDK_VERSION);
        b.addNote(
                "Export method: "
                        + (fromSnapshots
                                ? "snapshots of the running VM's disks, read through a SAS"
                                : "managed disks read through a SAS")
                        + ", allocated page ranges only");
        request.manifest().notes().forEach(b::addNote);
        ManifestMetadata meta =
                ManifestMetadata.empty()
                        .withHypersdkVersion(HYPERSDK_VERSION)
                        .withCreatedAt(tuning.clock().instant())
                        .withTag("provider", "azure")
                        .withTag("azure_subscription", settings.subscription())
                        .withTag("azure_location", String.valueOf(vm.location()));
        request.completeManifest(b, meta);
        return b.build();
    }
}
