package io.hypersdk.provider.vsphere.nfc;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.ExportFormat;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.PreviousFile;
import io.hypersdk.provider.spi.ova.OvaWriter;
import io.hypersdk.provider.vsphere.inventory.PropertyCollector;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineInfo;
import io.hypersdk.provider.vsphere.inventory.VirtualMachineReader;
import io.hypersdk.provider.vsphere.inventory.VmInventory;
import io.hypersdk.provider.vsphere.power.PowerTasks;
import io.hypersdk.provider.vsphere.soap.InvalidPowerStateException;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.PowerStates;
import io.hypersdk.provider.vsphere.soap.VimConnection;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.DownloadedFile;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One export of one VM over NFC: ExportVm, wait for the lease, download every device URL with the
 * {@link DownloadEngine} while a keep-alive sends HttpNfcLeaseProgress, write the OVF descriptor
 * (from OvfManager.CreateDescriptor) and the Artifact Manifest, then HttpNfcLeaseComplete. Any
 * failure or cancellation after the lease was opened sends HttpNfcLeaseAbort.
 *
 * <p>Module-internal: public for the provider session, which maps its failures to the SPI's.
 */
public final class VsphereExporter {

    /**
     * Tunables; tests shorten them.
     *
     * @param leaseReadyTimeout how long to wait for the lease to be ready
     * @param keepAliveInterval the keep-alive interval; empty = a third of the lease timeout
     * @param keepAlive whether to send HttpNfcLeaseProgress at all
     * @param engine changes to the download engine's builder (retries, backoff)
     * @param clock the clock of the manifest's timestamps
     * @param shutdownTimeout how long a guest may take to shut down before it is powered off
     */
    public record Tuning(
            Duration leaseReadyTimeout,
            Optional<Duration> keepAliveInterval,
            boolean keepAlive,
            UnaryOperator<DownloadEngine.Builder> engine,
            Clock clock,
            Duration shutdownTimeout) {
        /** Tunables with a five-minute guest shutdown. */
        public Tuning(
                Duration leaseReadyTimeout,
                Optional<Duration> keepAliveInterval,
                boolean keepAlive,
                UnaryOperator<DownloadEngine.Builder> engine,
                Clock clock) {
            this(
                    leaseReadyTimeout,
                    keepAliveInterval,
                    keepAlive,
                    engine,
                    clock,
                    Duration.ofMinutes(5));
        }

        /** Five minutes for the lease, keep-alive on, the engine's defaults, UTC. */
        public static Tuning defaults() {
            return new Tuning(
                    Duration.ofMinutes(5), Optional.empty(), true, b -> b, Clock.systemUTC());
        }
    }

    private final VimConnection vim;
    private final PropertyCollector properties;
    private final VmInventory inventory;
    private final VirtualMachineReader virtualMachines;
    private final PowerTasks powerTasks;
    private final NfcDownloads downloads;
    private final Tuning tuning;

    /** Lease progress calls sent by the last export (for tests and logs). */
    private volatile int lastKeepAliveCalls;

    /** The lease of the last export (for tests). */
    private volatile ManagedObjectReference lastLease;

    private volatile NfcLease.Info lastLeaseInfo;

    /** An exporter over the parts of one logged-in client. */
    public VsphereExporter(
            VimConnection vim,
            PropertyCollector properties,
            VmInventory inventory,
            VirtualMachineReader virtualMachines,
            PowerTasks powerTasks,
            Tuning tuning) {
        this.vim = vim;
        this.properties = properties;
        this.inventory = inventory;
        this.virtualMachines = virtualMachines;
        this.powerTasks = powerTasks;
        this.downloads = new NfcDownloads(vim, tuning.engine());
        this.tuning = tuning;
    }

    /** Lease progress calls sent by the last export (for tests and logs). */
    public int lastKeepAliveCalls() {
        return lastKeepAliveCalls;
    }

    /** The lease of the last export (for tests). */
    public Optional<ManagedObjectReference> lastLease() {
        return Optional.ofNullable(lastLease);
    }

    /** The device URLs the last export's lease offered, once it was ready (for tests). */
    public List<URI> lastLeaseUrls() {
        NfcLease.Info info = lastLeaseInfo;
        return info == null
                ? List.of()
                : info.deviceUrls().stream().map(NfcLease.DeviceUrl::url).toList();
    }

    /**
     * Exports the VM {@code ref} as {@code request} asks; see the class comment.
     *
     * @throws InvalidPowerStateException when the VM is not powered off and the request does not
     *     allow powering it off
     * @throws SizeMismatchException when a file's size differs from the lease's manifest
     * @throws LeaseFailedException when the lease failed during the transfer
     */
    public ExportResult export(
            ManagedObjectReference ref,
            ExportRequest request,
            ProgressListener listener,
            Cancellation cancellation) {
        Instant started = tuning.clock().instant();
        listener.onEvent(new PhaseChanged(Phase.EXPORT, "reading " + ref.value()));
        VirtualMachineInfo vm = virtualMachines.read(ref);
        PowerState power = vm.powerState().orElse(PowerState.OFF);
        if (power != PowerState.OFF) {
            if (!request.powerOff()) {
                throw new InvalidPowerStateException(
                        "ExportVm",
                        "VM " + vm.name() + " is " + PowerStates.vim25Name(power),
                        Optional.of(power),
                        Optional.of(PowerState.OFF));
            }
            listener.onEvent(
                    new PhaseChanged(Phase.EXPORT, "shutting down " + vm.name() + " (asked for)"));
            String how = powerTasks.shutdownOrPowerOff(ref, tuning.shutdownTimeout());
            listener.onEvent(new PhaseChanged(Phase.EXPORT, vm.name() + " is off (" + how + ")"));
            vm = virtualMachines.read(ref);
        }
        String datacenter = inventory.datacenterName(ref).orElse("");
        cancellation.throwIfCancelled();

        Path out = request.outputDirectory().toAbsolutePath().normalize();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new VsphereException(
                    "cannot create the output directory "
                            + out
                            + ": "
                            + e.getMessage()
                            + "; choose a writable directory",
                    e);
        }
        String base = VmNames.forFileName(vm.name(), VmNames.budget(".ovf"));

        listener.onEvent(new PhaseChanged(Phase.EXPORT, "opening export lease for " + vm.name()));
        NfcLease lease = NfcLease.export(vim, properties, ref, vm.name());
        lastLease = lease.ref();
        lastLeaseInfo = null;
        AtomicReference<String> abortReason = new AtomicReference<>();
        boolean completed = false;
        List<NfcDownloads.Planned> plan;
        List<DownloadedFile> files;
        String ovf;
        try {
            NfcLease.Info info = lease.waitReady(tuning.leaseReadyTimeout(), cancellation);
            lastLeaseInfo = info;
            plan = NfcDownloads.plan(info, out, base);
            long expectedTotal =
                    plan.stream().mapToLong(p -> p.device().fileSize().orElse(0L)).sum();
            if (expectedTotal == 0) {
                expectedTotal = Math.max(1, info.totalDiskCapacityKb() * 1024L);
            }
            Map<String, Long> done = new ConcurrentHashMap<>();
            long total = expectedTotal;
            ProgressListener counting =
                    event -> {
                        if (event instanceof TransferProgress t) {
                            done.put(t.item(), t.bytesDone());
                        }
                        listener.onEvent(event);
                    };
            Cancellation transfer = Cancellation.create();
            Cancellation.Registration link = cancellation.onCancel(transfer::cancel);
            Duration interval =
                    tuning.keepAliveInterval()
                            .orElseGet(() -> LeaseKeepAlive.intervalFor(info.leaseTimeout()));
            LeaseKeepAlive keepAlive =
                    tuning.keepAlive()
                            ? LeaseKeepAlive.start(
                                    lease, interval, () -> percent(done, total), transfer::cancel)
                            : null;
            listener.onEvent(
                    new PhaseChanged(
                            Phase.EXPORT,
                            "downloading " + plan.size() + " file(s) of " + vm.name()));
            try {
                Map<Integer, DownloadedFile> kept =
                        keptFiles(request, lease, plan, counting, transfer);
                files =
                        downloads.download(
                                plan,
                                kept,
                                request.parallel(),
                                request.connectionsPerFile(),
                                counting,
                                transfer);
            } catch (RuntimeException e) {
                Optional<RuntimeException> leaseFailure =
                        keepAlive == null ? Optional.empty() : keepAlive.failure();
                if (leaseFailure.isEmpty() && !(e instanceof CancelledException)) {
                    leaseFailure = leaseError(lease);
                }
                if (leaseFailure.isPresent()) {
                    abortReason.set(
                            "lease failed during the transfer: " + leaseFailure.get().getMessage());
                    throw new LeaseFailedException(
                            "vSphere export lease of "
                                    + vm.name()
                                    + " failed during the transfer ("
                                    + leaseFailure.get().getMessage()
                                    + "); the lease was aborted, partial files were kept in "
                                    + out
                                    + "; run the export again to resume",
                            leaseFailure.get());
                }
                abortReason.set("transfer failed: " + e.getMessage());
                throw e;
            } finally {
                if (keepAlive != null) {
                    keepAlive.close();
                    lastKeepAliveCalls = keepAlive.progressCallsSent();
                }
                link.close();
            }
            cancellation.throwIfCancelled();
            checkSizes(lease, plan, files, abortReason);

            listener.onEvent(
                    new PhaseChanged(Phase.EXPORT, "writing the OVF descriptor of " + vm.name()));
            List<NfcLease.OvfFileRef> refs = new ArrayList<>();
            for (int i = 0; i < plan.size(); i++) {
                refs.add(
                        new NfcLease.OvfFileRef(
                                plan.get(i).device().key(),
                                plan.get(i).target().getFileName().toString(),
                                files.get(i).bytes()));
            }
            String descriptor = lease.createDescriptor(ref, vm.name(), refs);
            ovf = request.removeCdrom() ? OvfDescriptors.withoutCdroms(descriptor) : descriptor;
            cancellation.throwIfCancelled();
            // the transfer is over: release the VM before the (possibly long) local packaging
            lease.complete();
            completed = true;
        } catch (RuntimeException e) {
            if (!completed) {
                lease.abort(
                        e instanceof CancelledException
                                ? "export cancelled by the user"
                                : abortReason.get() != null
                                        ? abortReason.get()
                                        : "export failed: " + e.getMessage());
            }
            throw e;
        }

        Path ovfPath = out.resolve(base + ".ovf");
        Path mfPath = out.resolve(base + ".mf");
        AtomicWrite.write(ovfPath, ovf.getBytes(StandardCharsets.UTF_8));
        AtomicWrite.write(
                mfPath, NfcDownloads.mfContent(ovfPath, files).getBytes(StandardCharsets.UTF_8));
        List<Path> written = new ArrayList<>();
        written.add(ovfPath);
        written.add(mfPath);
        files.forEach(f -> written.add(f.path()));
        if (request.format() == ExportFormat.OVA) {
            Path ova = out.resolve(base + ".ova");
            List<Path> members = new ArrayList<>(List.of(ovfPath, mfPath));
            files.forEach(f -> members.add(f.path()));
            try {
                OvaWriter.write(ova, members, cancellation);
            } catch (IOException e) {
                throw new VsphereException(
                        "cannot write OVA " + ova + ": " + e.getMessage() + "; check free space",
                        e);
            }
            written.add(ova);
        }

        ArtifactManifest manifest =
                ExportManifests.manifest(
                        vm,
                        datacenter,
                        plan,
                        files,
                        request,
                        vim.hostPort(),
                        started,
                        tuning.clock().instant());
        ManifestValidator.requireValid(manifest, ValidationOptions.withDiskFiles());
        Path manifestPath = out.resolve(ExportResult.MANIFEST_FILE_NAME);
        ManifestCodec.write(manifest, manifestPath);
        long bytes = 0;
        for (Path p : written) {
            bytes += sizeOf(p);
        }
        listener.onEvent(new PhaseChanged(Phase.EXPORT, "exported " + vm.name() + " to " + out));
        return new ExportResult(
                manifest,
                manifestPath,
                written,
                bytes,
                Duration.between(started, tuning.clock().instant()));
    }

    /**
     * The planned files a previous export of this VM left complete and unchanged (see {@link
     * PreviousFile#keep}), by plan index: vSphere declares each file's size (the lease manifest,
     * else the lease's file size) but no SHA-256, so the file is hashed again and compared with the
     * previous manifest. None when the request names no previous files.
     */
    private static Map<Integer, DownloadedFile> keptFiles(
            ExportRequest request,
            NfcLease lease,
            List<NfcDownloads.Planned> plan,
            ProgressListener listener,
            Cancellation cancellation) {
        if (request.previousFiles().isEmpty()) {
            return Map.of();
        }
        Map<String, Long> sizes = lease.manifestSizes().orElse(Map.of());
        Map<Integer, DownloadedFile> kept = new java.util.HashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            NfcDownloads.Planned p = plan.get(i);
            Long listed = sizes.get(p.device().key());
            java.util.OptionalLong declared =
                    listed != null ? java.util.OptionalLong.of(listed) : p.device().fileSize();
            int index = i;
            PreviousFile.keep(
                            request, p.target(), declared, Optional.empty(), listener, cancellation)
                    .ifPresent(
                            f ->
                                    kept.put(
                                            index,
                                            new DownloadedFile(p.target(), f.bytes(), f.sha256())));
        }
        return kept;
    }

    /** Compares each downloaded size with the lease's own manifest, when the server offers one. */
    private static void checkSizes(
            NfcLease lease,
            List<NfcDownloads.Planned> plan,
            List<DownloadedFile> files,
            AtomicReference<String> abortReason) {
        Optional<Map<String, Long>> sizes = lease.manifestSizes();
        if (sizes.isEmpty()) {
            return;
        }
        for (int i = 0; i < plan.size(); i++) {
            Long expected = sizes.get().get(plan.get(i).device().key());
            long got = files.get(i).bytes();
            if (expected != null && expected != got) {
                abortReason.set("downloaded size does not match the lease manifest");
                throw new SizeMismatchException(
                        files.get(i).path()
                                + " has "
                                + got
                                + " bytes but the vSphere lease manifest"
                                + " says "
                                + expected
                                + "; the download was cut short or altered on the way; run the export again");
            }
        }
    }

    /** A downloaded file's size differs from what the lease manifest says. */
    public static final class SizeMismatchException extends VsphereException {
        private static final long serialVersionUID = 1L;

        SizeMismatchException(String message) {
            super(message);
        }
    }

    private Optional<RuntimeException> leaseError(NfcLease lease) {
        try {
            return lease.currentError().map(e -> e);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static int percent(Map<String, Long> done, long total) {
        long sum = done.values().stream().mapToLong(Long::longValue).sum();
        return (int) Math.min(99, sum * 100 / Math.max(1, total));
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The lease failed during the transfer; the lease was aborted. */
    public static final class LeaseFailedException extends VsphereException {
        private static final long serialVersionUID = 1L;

        LeaseFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
