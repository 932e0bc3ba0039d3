package io.hypersdk.provider.aws;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportProviders;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.ProviderConfig;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.TransferException;
import io.hypersdk.provider.spi.UnsafeArchiveException;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code container=ova}: the OVA an export task wrote is downloaded into a hidden staging directory
 * of the output directory and unpacked by the {@code local} provider, found through the SPI (its
 * tar reader refuses hostile names, links and bombs and verifies the {@code .mf} digests); its
 * disks become the export's disk files and its OVF description is compared with EC2's, which stays
 * the source of truth. The OVA is a temporary, deleted once its disks are extracted and verified,
 * unless {@code keep-ova=true}; on failure the staging directory and every file it produced go.
 */
final class OvaContainer {
    private static final Logger LOG = LoggerFactory.getLogger(OvaContainer.class);

    /** One disk taken out of the OVA, in the OVF's boot order. */
    record Disk(Path path, long bytes, DiskFormat format, Optional<String> checksum) {}

    /**
     * What the OVA held.
     *
     * @param disks its disks, moved into the output directory
     * @param ovf the OVF descriptor's VM description
     * @param kept the OVA itself when {@code keep-ova=true}
     */
    record Unpacked(List<Disk> disks, VmDescription ovf, Optional<Path> kept) {}

    private OvaContainer() {}

    /** The staging directory for the OVA of {@code base} inside {@code out}. */
    static Path staging(Path out, String base) {
        return out.resolve(".aws-ova-" + base);
    }

    /**
     * Downloads the export task's OVA with {@code download} into the staging directory, unpacks it
     * and moves its disks into {@code out} as {@code <base>-disk-<i>.<format>}.
     *
     * @param download downloads the object to the path it is given and says where it was
     */
    static Unpacked export(
            java.util.function.Function<Path, ExportTaskRun.Exported> download,
            Path out,
            String base,
            boolean checksums,
            boolean keepOva,
            ProgressListener listener,
            Cancellation cancellation) {
        Path staging = staging(out, base);
        List<Path> moved = new ArrayList<>();
        boolean ok = false;
        try {
            Files.createDirectories(staging);
            ExportTaskRun.Exported exported = download.apply(staging.resolve(base + ".ova"));
            Path ova = exported.file().path();
            listener.onEvent(
                    new PhaseChanged(Phase.EXPORT, "unpacking the OVA " + exported.where()));
            VmDescription ovf;
            ExportResult unpacked;
            try (ProviderSession local =
                    ExportProviders.require("local")
                            .connect(
                                    ProviderConfig.builder(Map.of())
                                            .set("directory", staging.toString())
                                            .build())) {
                String name = ova.getFileName().toString();
                ovf = local.describe(name);
                unpacked =
                        local.export(
                                ExportRequest.builder(name, staging.resolve("unpacked"))
                                        .checksums(checksums)
                                        .build(),
                                listener,
                                cancellation);
            } catch (UnsafeArchiveException e) {
                throw new UnsafeArchiveException(refused(exported, e), e);
            } catch (IntegrityException e) {
                throw new IntegrityException(refused(exported, e), e);
            } catch (InvalidSourceException e) {
                throw new InvalidSourceException(refused(exported, e), e);
            }
            List<DiskArtifact> artifacts = unpacked.manifest().disks();
            if (artifacts.isEmpty()) {
                throw new InvalidSourceException(
                        exported.where()
                                + " is an OVA without a disk file: nothing to export; check the"
                                + " export task in the EC2 console or use method=ebs-direct");
            }
            List<Disk> disks = new ArrayList<>();
            for (int i = 0; i < artifacts.size(); i++) {
                DiskArtifact a = artifacts.get(i);
                Path from = unpacked.manifestPath().getParent().resolve(a.localPath());
                Path to = out.resolve(base + "-disk-" + i + "." + a.sourceFormat().id());
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                moved.add(to);
                disks.add(new Disk(to, a.bytes(), a.sourceFormat(), a.checksum()));
            }
            Optional<Path> kept = Optional.empty();
            if (keepOva) {
                Path to = out.resolve(base + ".ova");
                Files.move(ova, to, StandardCopyOption.ATOMIC_MOVE);
                moved.add(to);
                kept = Optional.of(to);
                listener.onEvent(
                        new Notice(
                                Notice.Level.INFO, "kept the OVA as " + to + " (keep-ova=true)"));
            }
            ok = true;
            return new Unpacked(disks, ovf, kept);
        } catch (IOException e) {
            throw new TransferException(
                    "cannot unpack the exported OVA in " + staging + ": " + e.getMessage(), e);
        } finally {
            deleteTree(staging);
            if (!ok) {
                moved.forEach(OvaContainer::deleteQuietly);
            }
        }
    }

    private static String refused(ExportTaskRun.Exported exported, ExportException e) {
        return "the OVA the export task wrote to "
                + exported.where()
                + " was refused and nothing of it was kept: "
                + e.getMessage();
    }

    /**
     * Where the OVF descriptor and EC2 disagree, one sentence each; EC2 is kept. AWS writes the OVF
     * from the instance, so a difference means the descriptor lags behind a resized instance.
     */
    static List<String> contradictions(Ec2Inventory.Ec2Vm vm, VmDescription ovf) {
        VmDescription ec2 = vm.description();
        List<String> out = new ArrayList<>();
        if (ovf.cpu() > 0 && ovf.cpu() != ec2.cpu()) {
            out.add(differs("vCPUs", ovf.cpu(), ec2.cpu()));
        }
        if (ovf.memoryBytes() > 0 && ovf.memoryBytes() != ec2.memoryBytes()) {
            out.add(differs("memory (MiB)", ovf.memoryBytes() >> 20, ec2.memoryBytes() >> 20));
        }
        if (ovf.firmware() != ec2.firmware()) {
            out.add(differs("firmware", ovf.firmware().id(), ec2.firmware().id()));
        }
        if (ovf.nics().size() != ec2.nics().size()) {
            out.add(differs("network adapters", ovf.nics().size(), ec2.nics().size()));
        } else {
            for (int i = 0; i < ovf.nics().size(); i++) {
                Optional<String> mac = ovf.nics().get(i).mac();
                VmNic n = ec2.nics().get(i);
                if (mac.isPresent() && !mac.get().equalsIgnoreCase(n.mac().orElse(""))) {
                    out.add(differs("MAC of adapter " + i, mac.get(), n.mac().orElse("none")));
                }
            }
        }
        if (!ovf.disks().isEmpty() && !vm.volumes().isEmpty()) {
            long ovfBytes = ovf.disks().get(0).capacityBytes();
            long ebsBytes = vm.volumes().get(0).sizeBytes();
            if (ovfBytes > 0 && ovfBytes != ebsBytes) {
                out.add(differs("boot disk capacity (bytes)", ovfBytes, ebsBytes));
            }
        }
        return out;
    }

    private static String differs(String what, Object ovf, Object ec2) {
        return "the OVA's OVF descriptor says "
                + what
                + " "
                + ovf
                + ", EC2 says "
                + ec2
                + "; the manifest keeps EC2's value";
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(OvaContainer::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot remove the OVA staging directory {}: {}; remove it yourself", dir, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}; remove it yourself", p, e.getMessage());
        }
    }
}
