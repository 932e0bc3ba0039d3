package io.hypersdk.provider.vsphere;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestMetadata;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.ManifestWarning;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.download.DownloadEngine;
import io.hypersdk.provider.download.DownloadRequest;
import io.hypersdk.provider.download.DownloadedFile;
import io.hypersdk.provider.spi.ExportFormat;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.ova.OvaWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One export of one VM over NFC: ExportVm, wait for the lease, download every device URL with the
 * {@link DownloadEngine} while a keep-alive sends HttpNfcLeaseProgress, write the OVF descriptor
 * (from OvfManager.CreateDescriptor) and the Artifact Manifest, then HttpNfcLeaseComplete. Any
 * failure or cancellation after the lease was opened sends HttpNfcLeaseAbort.
 */
final class VsphereExporter {
  private static final Logger LOG = LoggerFactory.getLogger(VsphereExporter.class);
  static final String HYPERSDK_VERSION = "0.1.0";

  /** Tunables; tests shorten them. */
  record Tuning(Duration leaseReadyTimeout, Optional<Duration> keepAliveInterval, boolean keepAlive,
                UnaryOperator<DownloadEngine.Builder> engine, Clock clock, Duration shutdownTimeout) {
    Tuning(Duration leaseReadyTimeout, Optional<Duration> keepAliveInterval, boolean keepAlive,
           UnaryOperator<DownloadEngine.Builder> engine, Clock clock) {
      this(leaseReadyTimeout, keepAliveInterval, keepAlive, engine, clock, Duration.ofMinutes(5));
    }

    static Tuning defaults() {
      return new Tuning(Duration.ofMinutes(5), Optional.empty(), true, b -> b, Clock.systemUTC());
    }
  }

  private final VimClient vim;
  private final javax.net.ssl.SSLContext downloadSsl;
  private final Tuning tuning;
  /** Lease progress calls sent by the last export (for tests and logs). */
  private volatile int lastKeepAliveCalls;
  /** The lease of the last export (for tests). */
  private volatile ManagedObjectReference lastLease;
  private volatile NfcLease.Info lastLeaseInfo;

  VsphereExporter(VimClient vim, javax.net.ssl.SSLContext downloadSsl, Tuning tuning) {
    this.vim = vim;
    this.downloadSsl = downloadSsl;
    this.tuning = tuning;
  }

  int lastKeepAliveCalls() {
    return lastKeepAliveCalls;
  }

  Optional<ManagedObjectReference> lastLease() {
    return Optional.ofNullable(lastLease);
  }

  Optional<NfcLease.Info> lastLeaseInfo() {
    return Optional.ofNullable(lastLeaseInfo);
  }

  ExportResult export(ManagedObjectReference ref, ExportRequest request, ProgressListener listener,
                      Cancellation cancellation) {
    Instant started = tuning.clock().instant();
    listener.onEvent(new PhaseChanged(Phase.EXPORT, "reading " + ref.value()));
    VirtualMachineInfo vm = vim.virtualMachine(ref);
    PowerState power = vm.powerState().orElse(PowerState.POWERED_OFF);
    if (power != PowerState.POWERED_OFF) {
      if (!request.powerOff()) {
        throw new InvalidPowerStateException("ExportVm", "VM " + vm.name() + " is " + power.id(),
            Optional.of(power), Optional.of(PowerState.POWERED_OFF));
      }
      listener.onEvent(new PhaseChanged(Phase.EXPORT, "shutting down " + vm.name() + " (asked for)"));
      String how = vim.shutdownOrPowerOff(ref, tuning.shutdownTimeout());
      listener.onEvent(new PhaseChanged(Phase.EXPORT, vm.name() + " is off (" + how + ")"));
      vm = vim.virtualMachine(ref);
    }
    String datacenter = vim.datacenterName(ref).orElse("");
    cancellation.throwIfCancelled();

    Path out = request.outputDirectory().toAbsolutePath().normalize();
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new VsphereException("cannot create the output directory " + out + ": " + e.getMessage()
          + "; choose a writable directory", e);
    }
    String base = VmNames.forFileName(vm.name(), VmNames.budget(".ovf"));

    listener.onEvent(new PhaseChanged(Phase.EXPORT, "opening export lease for " + vm.name()));
    NfcLease lease = NfcLease.export(vim, ref, vm.name());
    lastLease = lease.ref();
    lastLeaseInfo = null;
    AtomicReference<String> abortReason = new AtomicReference<>();
    boolean completed = false;
    List<Planned> plan;
    List<DownloadedFile> files;
    String ovf;
    try {
      NfcLease.Info info = lease.waitReady(tuning.leaseReadyTimeout(), cancellation);
      lastLeaseInfo = info;
      plan = plan(info, out, base);
      long expectedTotal = plan.stream().mapToLong(p -> p.device().fileSize().orElse(0L)).sum();
      if (expectedTotal == 0) {
        expectedTotal = Math.max(1, info.totalDiskCapacityKb() * 1024L);
      }
      Map<String, Long> done = new ConcurrentHashMap<>();
      long total = expectedTotal;
      ProgressListener counting = event -> {
        if (event instanceof TransferProgress t) {
          done.put(t.item(), t.bytesDone());
        }
        listener.onEvent(event);
      };
      Cancellation transfer = Cancellation.create();
      Cancellation.Registration link = cancellation.onCancel(transfer::cancel);
      Duration interval = tuning.keepAliveInterval().orElseGet(() -> LeaseKeepAlive.intervalFor(info.leaseTimeout()));
      LeaseKeepAlive keepAlive = tuning.keepAlive()
          ? LeaseKeepAlive.start(lease, interval, () -> percent(done, total), transfer::cancel) : null;
      listener.onEvent(new PhaseChanged(Phase.EXPORT, "downloading " + plan.size() + " file(s) of " + vm.name()));
      try {
        files = download(plan, request.parallel(), counting, transfer);
      } catch (RuntimeException e) {
        Optional<RuntimeException> leaseFailure = keepAlive == null ? Optional.empty() : keepAlive.failure();
        if (leaseFailure.isEmpty() && !(e instanceof CancelledException)) {
          leaseFailure = leaseError(lease);
        }
        if (leaseFailure.isPresent()) {
          abortReason.set("lease failed during the transfer: " + leaseFailure.get().getMessage());
          throw new LeaseFailedException("vSphere export lease of " + vm.name() + " failed during the transfer ("
              + leaseFailure.get().getMessage() + "); the lease was aborted, partial files were kept in " + out
              + "; run the export again to resume", leaseFailure.get());
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

      listener.onEvent(new PhaseChanged(Phase.EXPORT, "writing the OVF descriptor of " + vm.name()));
      List<NfcLease.OvfFileRef> refs = new ArrayList<>();
      for (int i = 0; i < plan.size(); i++) {
        refs.add(new NfcLease.OvfFileRef(plan.get(i).device().key(), plan.get(i).target().getFileName().toString(),
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
        lease.abort(e instanceof CancelledException ? "export cancelled by the user"
            : abortReason.get() != null ? abortReason.get() : "export failed: " + e.getMessage());
      }
      throw e;
    }

    Path ovfPath = out.resolve(base + ".ovf");
    Path mfPath = out.resolve(base + ".mf");
    AtomicWrite.write(ovfPath, ovf.getBytes(StandardCharsets.UTF_8));
    AtomicWrite.write(mfPath, mfContent(ovfPath, files).getBytes(StandardCharsets.UTF_8));
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
        throw new VsphereException("cannot write OVA " + ova + ": " + e.getMessage() + "; check free space", e);
      }
      written.add(ova);
    }

    ArtifactManifest manifest = manifest(vm, datacenter, plan, files, request, out, started);
    ManifestValidator.requireValid(manifest, ValidationOptions.withDiskFiles());
    Path manifestPath = out.resolve(ExportResult.MANIFEST_FILE_NAME);
    ManifestCodec.write(manifest, manifestPath);
    long bytes = 0;
    for (Path p : written) {
      bytes += sizeOf(p);
    }
    listener.onEvent(new PhaseChanged(Phase.EXPORT, "exported " + vm.name() + " to " + out));
    return new ExportResult(manifest, manifestPath, written, bytes, Duration.between(started, tuning.clock().instant()));
  }

  /** Compares each downloaded size with the lease's own manifest, when the server offers one. */
  private static void checkSizes(NfcLease lease, List<Planned> plan, List<DownloadedFile> files,
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
        throw new SizeMismatchException(files.get(i).path() + " has " + got + " bytes but the vSphere lease manifest"
            + " says " + expected + "; the download was cut short or altered on the way; run the export again");
      }
    }
  }

  /** A downloaded file's size differs from what the lease manifest says. */
  static final class SizeMismatchException extends VsphereException {
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

  /** A lease file and where it goes. */
  record Planned(NfcLease.DeviceUrl device, Path target) {
  }

  private List<Planned> plan(NfcLease.Info info, Path out, String base) {
    if (info.deviceUrls().isEmpty()) {
      throw new VsphereException("vSphere export lease offers no files for this VM (no disks?); nothing to export");
    }
    List<Planned> plan = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int i = 0;
    for (NfcLease.DeviceUrl d : info.deviceUrls()) {
      String leaf = safeLeaf(d.url().getPath(), i);
      String name = VmNames.fitFileName(base + "-" + leaf, VmNames.MAX_FINAL_NAME_BYTES);
      while (!names.add(name)) {
        name = VmNames.fitFileName(base + "-" + (i++) + "-" + leaf, VmNames.MAX_FINAL_NAME_BYTES);
      }
      plan.add(new Planned(d, out.resolve(name)));
      i++;
    }
    return plan;
  }

  static String safeLeaf(String urlPath, int index) {
    String leaf = urlPath == null ? "" : urlPath.substring(urlPath.lastIndexOf('/') + 1);
    if (!leaf.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}") || leaf.contains("..")) {
      return "file-" + index + (leaf.toLowerCase(java.util.Locale.ROOT).endsWith(".vmdk") ? ".vmdk" : ".bin");
    }
    return leaf;
  }

  private List<DownloadedFile> download(List<Planned> plan, int parallel, ProgressListener listener,
                                        Cancellation cancellation) {
    // files on the connection's host get its TLS policy and the session cookie; files on another
    // host (an ESXi host behind vCenter) are pinned to the thumbprint the lease gives for them.
    Map<Optional<String>, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < plan.size(); i++) {
      NfcLease.DeviceUrl d = plan.get(i).device();
      boolean sameHost = sameHost(d);
      groups.computeIfAbsent(sameHost ? Optional.empty() : d.sslThumbprint(), k -> new ArrayList<>()).add(i);
    }
    DownloadedFile[] results = new DownloadedFile[plan.size()];
    for (Map.Entry<Optional<String>, List<Integer>> g : groups.entrySet()) {
      javax.net.ssl.SSLContext tls = g.getKey().isPresent()
          ? TlsContexts.forPolicy(VsphereTls.pinThumbprint(g.getKey().get()))
          : downloadSsl;
      DownloadEngine engine = tuning.engine().apply(DownloadEngine.builder()
          .sslContext(tls).connectTimeout(vim.connectTimeout()).parallelism(parallel)).build();
      List<DownloadRequest> requests = new ArrayList<>();
      for (int i : g.getValue()) {
        Planned p = plan.get(i);
        DownloadRequest r = DownloadRequest.of(p.device().url(), p.target());
        if (sameHost(p.device()) && vim.sessionCookie().isPresent()) {
          r = r.withHeader("Cookie", vim.sessionCookie().get());
        }
        requests.add(r);
      }
      List<DownloadedFile> got = engine.downloadAll(requests, listener, cancellation);
      for (int k = 0; k < got.size(); k++) {
        results[g.getValue().get(k)] = got.get(k);
      }
    }
    return List.of(results);
  }

  private boolean sameHost(NfcLease.DeviceUrl d) {
    String host = d.url().getHost();
    return host != null && host.equalsIgnoreCase(vim.endpoint().getHost());
  }

  private static String mfContent(Path ovf, List<DownloadedFile> files) {
    StringBuilder sb = new StringBuilder();
    sb.append("SHA256(").append(ovf.getFileName()).append(")= ").append(sha256Hex(ovf)).append('\n');
    for (DownloadedFile f : files) {
      sb.append("SHA256(").append(f.path().getFileName()).append(")= ").append(f.sha256()).append('\n');
    }
    return sb.toString();
  }

  private static String sha256Hex(Path p) {
    return io.hypersdk.core.manifest.DiskChecksums.sha256(p).substring("sha256:".length());
  }

  /** Which VM disk a lease device key names ({@code /vm-57/ParaVirtualSCSIController0:0}). */
  static Optional<VirtualDiskInfo> diskFor(NfcLease.DeviceUrl d, List<VirtualDiskInfo> disks) {
    String key = d.key();
    String slot = key.substring(key.lastIndexOf('/') + 1);
    return disks.stream().filter(x -> x.slot().equals(slot)).findFirst();
  }

  private ArtifactManifest manifest(VirtualMachineInfo vm, String datacenter, List<Planned> plan,
                                    List<DownloadedFile> files, ExportRequest request, Path out, Instant started) {
    List<ManifestWarning> warnings = new ArrayList<>();
    record Disk(DownloadedFile file, Optional<VirtualDiskInfo> info, int leaseIndex) {
    }
    List<Disk> disks = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      NfcLease.DeviceUrl d = plan.get(i).device();
      boolean vmdk = files.get(i).path().getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".vmdk");
      if (!d.disk() && !vmdk) {
        continue; // nvram and other non-disk files stay next to the OVF
      }
      Optional<VirtualDiskInfo> info = diskFor(d, vm.disks());
      if (info.isEmpty()) {
        warnings.add(ManifestWarning.of("export", "lease file " + d.key()
            + " matches no disk of the VM configuration; its boot order is a guess"));
      }
      disks.add(new Disk(files.get(i), info, i));
    }
    // boot disk first: the disk the boot order names, else by controller type, bus and unit
    Comparator<Disk> order = Comparator.comparingInt((Disk x) ->
            x.info().isPresent() && vm.bootDiskKey().isPresent() && x.info().get().key() == vm.bootDiskKey().get() ? 0 : 1)
        .thenComparingInt(x -> x.info().map(di -> controllerRank(di.controllerType())).orElse(9))
        .thenComparingInt(x -> x.info().map(VirtualDiskInfo::controllerBusNumber).orElse(99))
        .thenComparingInt(x -> x.info().map(VirtualDiskInfo::unitNumber).orElse(99))
        .thenComparingInt(Disk::leaseIndex);
    disks.sort(order);

    ArtifactManifest.Builder b = ArtifactManifest.builder();
    ManifestSource source = ManifestSource.of("vsphere").withVmId(vm.ref().value()).withVmName(vm.name())
        .withExportMethod("nfc-" + request.format().id()).withExportTimestamp(started);
    if (!datacenter.isEmpty()) {
      source = source.withDatacenter(datacenter);
    }
    b.source(source);
    // whole GiB, rounded up as the local provider does: a VM never gets less memory than it had
    ManifestVm mvm = ManifestVm.of(vm.numCpu(), (int) Math.min(Integer.MAX_VALUE, (vm.memoryMb() + 1023) / 1024),
            firmware(vm.firmware()))
        .withSecureboot(vm.secureBoot());
    if (vm.guestId().isPresent()) {
      mvm = mvm.withOsHint(VmDescription.osHintFor(vm.guestId().get())).withOsVersion(vm.guestId().get());
    }
    b.vm(mvm);
    for (int i = 0; i < disks.size(); i++) {
      Disk d = disks.get(i);
      DiskArtifact.Builder db = DiskArtifact.builder().id("disk-" + i).sourceFormat(DiskFormat.VMDK)
          .bytes(d.file().bytes()).localPath(d.file().path()).bootOrderHint(i)
          .diskType(i == 0 ? DiskType.BOOT : DiskType.DATA);
      if (request.checksums()) {
        db.checksum(d.file().checksum()); // always computed while streaming; written only when asked
      }
      d.info().ifPresent(di -> db.label(di.label()));
      b.addDisk(db.build());
    }
    for (VirtualNicInfo n : vm.nics()) {
      b.addNic(new NicArtifact(Optional.of(n.label()), n.macAddress(), n.network()));
    }
    warnings.forEach(b::addWarning);
    b.addNote("Exported from vSphere (" + vim.hostPort() + ") by hypersdk-java " + HYPERSDK_VERSION);
    b.addNote("Export method: " + request.format().id());
    if (request.removeCdrom()) {
      b.addNote("CD-ROM drives left out of the OVF descriptor; the source VM was not changed");
    }
    request.manifest().notes().forEach(b::addNote);
    ManifestMetadata meta = ManifestMetadata.empty().withHypersdkVersion(HYPERSDK_VERSION)
        .withCreatedAt(tuning.clock().instant())
        .withTag("provider", "vsphere").withTag("export_format", request.format().id())
        .withTag("vcenter_host", vim.hostPort());
    if (request.jobId().isPresent()) {
      meta = meta.withJobId(request.jobId().get().toString());
    }
    for (Map.Entry<String, String> t : request.manifest().tags().entrySet()) {
      meta = meta.withTag(t.getKey(), t.getValue());
    }
    b.metadata(meta);
    request.manifest().pipeline().ifPresent(b::pipeline);
    request.manifest().output().ifPresent(b::output);
    request.manifest().options().ifPresent(b::options);
    request.manifest().configuration().ifPresent(b::configuration);
    return b.build();
  }

  private static int controllerRank(String type) {
    if (type.contains("IDE")) {
      return 0;
    }
    if (type.contains("SCSI") || type.contains("LsiLogic") || type.contains("BusLogic")) {
      return 1;
    }
    if (type.contains("AHCI") || type.contains("SATA")) {
      return 2;
    }
    return type.contains("NVME") ? 3 : 4;
  }

  static Firmware firmware(Optional<String> vsphere) {
    if (vsphere.isEmpty()) {
      return Firmware.BIOS; // vSphere's default when unset
    }
    try {
      return Firmware.parse(vsphere.get());
    } catch (IllegalArgumentException e) {
      LOG.debug("unknown vSphere firmware {}", vsphere.get());
      return Firmware.UNKNOWN;
    }
  }

  /** The lease failed during the transfer; the lease was aborted. */
  static final class LeaseFailedException extends VsphereException {
    private static final long serialVersionUID = 1L;

    LeaseFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
