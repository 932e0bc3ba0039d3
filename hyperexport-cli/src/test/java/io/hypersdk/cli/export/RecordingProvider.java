package io.hypersdk.cli.export;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskChecksums;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.progress.TransferProgress;
import io.hypersdk.provider.spi.Capability;
import io.hypersdk.provider.spi.ExportProvider;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.provider.spi.VmSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A test provider (id {@code recording}, found through ServiceLoader like any other) that records
 * the requests and configuration the CLI hands it, and exports a real 1 MiB raw disk plus a real
 * manifest. {@code --provider-option corrupt=true} writes a wrong checksum into the manifest.
 */
public final class RecordingProvider implements ExportProvider {
    static final List<ExportRequest> REQUESTS = Collections.synchronizedList(new ArrayList<>());
    static final List<ProviderConfig> CONFIGS = Collections.synchronizedList(new ArrayList<>());
    static final List<String> VMS = List.of("alpha", "beta-web", "gamma-web", "delta-db", "test");

    @Override
    public String id() {
        return "recording";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(
                Capability.LIST_VMS,
                Capability.DESCRIBE_VM,
                Capability.EXPORT_OVF,
                Capability.CHECKSUMS);
    }

    @Override
    public ProviderSession connect(ProviderConfig config) {
        CONFIGS.add(config);
        boolean corrupt = config.getBoolean("corrupt", false);
        boolean slow = config.getBoolean("slow", false);
        return new ProviderSession() {
            @Override
            public String providerId() {
                return "recording";
            }

            @Override
            public List<VmSummary> listVms() {
                return VMS.stream().map(v -> describe(v).summary()).toList();
            }

            @Override
            public VmDescription describe(String vm) {
                if (!VMS.contains(vm)) {
                    throw new VmNotFoundException(
                            vm,
                            "no VM named '"
                                    + vm
                                    + "' in the recording provider: use one of "
                                    + VMS);
                }
                return VmDescription.builder()
                        .id("vm-" + vm)
                        .name(vm)
                        .powerState(PowerState.OFF)
                        .cpu(2)
                        .memoryBytes(1L << 30)
                        .firmware(Firmware.BIOS)
                        .osHint("linux")
                        .build();
            }

            @Override
            public ExportResult export(
                    ExportRequest request, ProgressListener listener, Cancellation cancellation) {
                REQUESTS.add(request);
                describe(request.vm());
                try {
                    Files.createDirectories(request.outputDirectory());
                    listener.onEvent(new PhaseChanged(Phase.EXPORT, request.vm()));
                    Path disk = request.outputDirectory().resolve(request.vm() + "-disk0.raw");
                    byte[] mib = new byte[1 << 20];
                    java.util.Arrays.fill(mib, (byte) 0x5a);
                    if (slow) {
                        // half the disk, then wait for a cancel like a stalled download would; the
                        // partial file stays
                        Path part =
                                request.outputDirectory().resolve(request.vm() + "-disk0.raw.part");
                        Files.write(part, java.util.Arrays.copyOf(mib, mib.length / 2));
                        listener.onEvent(
                                new TransferProgress(
                                        disk.getFileName().toString(),
                                        mib.length / 2,
                                        mib.length,
                                        1e5,
                                        Optional.empty()));
                        for (int i = 0; i < 400; i++) {
                            cancellation.throwIfCancelled();
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                break;
                            }
                        }
                        throw new io.hypersdk.provider.spi.TransferException(
                                "stalled (test provider)");
                    }
                    Files.write(disk, mib);
                    listener.onEvent(
                            new TransferProgress(
                                    disk.getFileName().toString(),
                                    mib.length,
                                    mib.length,
                                    1e6,
                                    Optional.of(Duration.ZERO)));
                    DiskArtifact.Builder d =
                            DiskArtifact.builder()
                                    .id("disk-0")
                                    .sourceFormat(DiskFormat.RAW)
                                    .bytes(mib.length)
                                    .localPath(disk)
                                    .bootOrderHint(0)
                                    .diskType(DiskType.BOOT);
                    if (request.checksums()) {
                        d.checksum(
                                corrupt ? "sha256:" + "0".repeat(64) : DiskChecksums.sha256(disk));
                    }
                    ArtifactManifest.Builder m =
                            ArtifactManifest.builder()
                                    .source(ManifestSource.of("recording").withVmName(request.vm()))
                                    .vm(ManifestVm.of(2, 1, Firmware.BIOS))
                                    .addDisk(d.build())
                                    .addNic(
                                            new NicArtifact(
                                                    Optional.of("nic-0"),
                                                    Optional.of("00:50:56:aa:bb:02"),
                                                    Optional.of("VM Network")));
                    request.manifest().pipeline().ifPresent(m::pipeline);
                    request.manifest().output().ifPresent(m::output);
                    request.manifest().options().ifPresent(m::options);
                    ArtifactManifest manifest = m.build();
                    Path path = request.outputDirectory().resolve(ExportResult.MANIFEST_FILE_NAME);
                    ManifestCodec.write(manifest, path);
                    return new ExportResult(
                            manifest, path, List.of(disk), mib.length, Duration.ofMillis(5));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public void close() {}
        };
    }
}
