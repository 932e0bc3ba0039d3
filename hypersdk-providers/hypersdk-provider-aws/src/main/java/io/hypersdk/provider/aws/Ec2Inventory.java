package io.hypersdk.provider.aws;

import io.hypersdk.core.manifest.DiskFormat;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.provider.spi.PowerState;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmDisk;
import io.hypersdk.provider.spi.VmNic;
import io.hypersdk.provider.spi.VmNotFoundException;
import io.hypersdk.provider.spi.VmSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.InstanceNetworkInterface;
import software.amazon.awssdk.services.ec2.model.InstanceTypeInfo;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * EC2 inventory: instances (name from the {@code Name} tag, else the id), their instance type's
 * vCPUs and memory, boot mode, EBS volumes (root device first) and network interfaces.
 */
final class Ec2Inventory {
    private final Ec2Client ec2;

    Ec2Inventory(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    /** One instance with everything the export needs to know about it. */
    record Ec2Vm(Instance instance, VmDescription description, List<Ec2Volume> volumes) {}

    /** One attached EBS volume, in boot order. */
    record Ec2Volume(
            String volumeId, String deviceName, long sizeBytes, boolean encrypted, boolean root) {}

    List<VmSummary> list() {
        List<Instance> instances = new ArrayList<>();
        for (Reservation r :
                ec2.describeInstancesPaginator(DescribeInstancesRequest.builder().build())
                        .reservations()) {
            instances.addAll(r.instances());
        }
        instances.removeIf(
                i -> "terminated".equals(i.state() == null ? null : i.state().nameAsString()));
        Map<String, InstanceTypeInfo> types =
                instanceTypes(instances.stream().map(Instance::instanceTypeAsString).toList());
        List<VmSummary> out = new ArrayList<>();
        for (Instance i : instances) {
            Optional<InstanceTypeInfo> t = Optional.ofNullable(types.get(i.instanceTypeAsString()));
            out.add(
                    new VmSummary(
                            i.instanceId(),
                            name(i),
                            Optional.empty(),
                            powerState(i),
                            cpus(t),
                            memory(t),
                            Optional.ofNullable(i.platformDetails())));
        }
        out.sort(Comparator.comparing(VmSummary::name).thenComparing(VmSummary::id));
        return out;
    }

    /** The instance whose id or {@code Name} tag is {@code vm}. */
    Ec2Vm find(String vm) {
        String wanted = vm.trim();
        DescribeInstancesRequest.Builder req = DescribeInstancesRequest.builder();
        if (wanted.matches("i-[0-9a-f]{8,17}")) {
            req.instanceIds(wanted);
        } else {
            req.filters(Filter.builder().name("tag:Name").values(wanted).build());
        }
        List<Instance> found = new ArrayList<>();
        try {
            for (Reservation r : ec2.describeInstancesPaginator(req.build()).reservations()) {
                found.addAll(r.instances());
            }
        } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
            if (e.awsErrorDetails() != null
                    && String.valueOf(e.awsErrorDetails().errorCode())
                            .startsWith("InvalidInstanceID")) {
                throw new VmNotFoundException(
                        vm,
                        "no EC2 instance '"
                                + vm
                                + "' in this region: "
                                + e.awsErrorDetails().errorMessage()
                                + "; check the id and the region setting");
            }
            throw e;
        }
        found.removeIf(i -> i.state() != null && "terminated".equals(i.state().nameAsString()));
        if (found.isEmpty()) {
            throw new VmNotFoundException(
                    vm,
                    "no EC2 instance has the id or Name tag '"
                            + vm
                            + "' in this region; list them with --list, or check --provider-option region=");
        }
        if (found.size() > 1) {
            throw new VmNotFoundException(
                    vm,
                    "several EC2 instances are named '"
                            + vm
                            + "' ("
                            + String.join(", ", found.stream().map(Instance::instanceId).toList())
                            + "); give the instance id instead");
        }
        Instance i = found.get(0);
        Optional<InstanceTypeInfo> type =
                Optional.ofNullable(
                        instanceTypes(List.of(i.instanceTypeAsString()))
                                .get(i.instanceTypeAsString()));
        List<Ec2Volume> volumes = volumes(i);
        VmDescription.Builder b =
                VmDescription.builder()
                        .id(i.instanceId())
                        .name(name(i))
                        .powerState(powerState(i))
                        .cpu(cpus(type))
                        .memoryBytes(memory(type))
                        .firmware(firmware(i, type));
        Optional.ofNullable(i.platformDetails()).ifPresent(b::guestOs);
        for (Ec2Volume v : volumes) {
            b.addDisk(
                    new VmDisk(
                            v.volumeId(),
                            Optional.of(v.deviceName()),
                            v.sizeBytes(),
                            DiskFormat.RAW,
                            Optional.empty(),
                            Optional.of(v.deviceName())));
        }
        List<InstanceNetworkInterface> nics = new ArrayList<>(i.networkInterfaces());
        nics.sort(
                Comparator.comparingInt(
                        n ->
                                n.attachment() == null || n.attachment().deviceIndex() == null
                                        ? 99
                                        : n.attachment().deviceIndex()));
        for (InstanceNetworkInterface n : nics) {
            b.addNic(
                    new VmNic(
                            Optional.ofNullable(n.networkInterfaceId()),
                            Optional.ofNullable(n.macAddress())
                                    .map(m -> m.toLowerCase(Locale.ROOT)),
                            Optional.ofNullable(n.subnetId()),
                            Optional.ofNullable(n.interfaceType())));
        }
        return new Ec2Vm(i, b.build(), volumes);
    }

    /** The EBS volumes, root device first, then by device name. */
    private List<Ec2Volume> volumes(Instance i) {
        List<String> ids = new ArrayList<>();
        Map<String, InstanceBlockDeviceMapping> byVolume = new HashMap<>();
        for (InstanceBlockDeviceMapping m : i.blockDeviceMappings()) {
            if (m.ebs() != null && m.ebs().volumeId() != null) {
                ids.add(m.ebs().volumeId());
                byVolume.put(m.ebs().volumeId(), m);
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Volume> vols = new HashMap<>();
        for (Volume v : ec2.describeVolumesPaginator(r -> r.volumeIds(ids)).volumes()) {
            vols.put(v.volumeId(), v);
        }
        String rootDevice = i.rootDeviceName() == null ? "" : i.rootDeviceName();
        List<Ec2Volume> out = new ArrayList<>();
        for (String id : ids) {
            Volume v = vols.get(id);
            String device = byVolume.get(id).deviceName();
            long size = v == null || v.size() == null ? 0 : v.size() * (1L << 30);
            boolean encrypted = v != null && Boolean.TRUE.equals(v.encrypted());
            out.add(new Ec2Volume(id, device, size, encrypted, device.equals(rootDevice)));
        }
        out.sort(
                Comparator.comparing((Ec2Volume v) -> v.root() ? 0 : 1)
                        .thenComparing(Ec2Volume::deviceName));
        return out;
    }

    private Map<String, InstanceTypeInfo> instanceTypes(List<String> names) {
        Set<String> unique = new TreeSet<>();
        names.stream().filter(java.util.Objects::nonNull).forEach(unique::add);
        Map<String, InstanceTypeInfo> out = new HashMap<>();
        if (unique.isEmpty()) {
            return out;
        }
        for (InstanceTypeInfo t :
                ec2.describeInstanceTypesPaginator(r -> r.instanceTypesWithStrings(unique))
                        .instanceTypes()) {
            out.put(t.instanceTypeAsString(), t);
        }
        return out;
    }

    /**
     * UEFI or BIOS: the instance's current boot mode when AWS reports it; else its boot mode, where
     * {@code uefi-preferred} means UEFI when the instance type supports it; else the AMI's; else
     * BIOS on x86 and UEFI on arm64 (EC2's defaults).
     */
    private Firmware firmware(Instance i, Optional<InstanceTypeInfo> type) {
        if (i.currentInstanceBootMode() != null && i.currentInstanceBootModeAsString() != null) {
            return "uefi".equals(i.currentInstanceBootModeAsString())
                    ? Firmware.UEFI
                    : Firmware.BIOS;
        }
        String mode = i.bootModeAsString();
        if (mode == null && i.imageId() != null) {
            try {
                mode =
                        ec2.describeImages(r -> r.imageIds(i.imageId())).images().stream()
                                .findFirst()
                                .map(Image::bootModeAsString)
                                .orElse(null);
            } catch (software.amazon.awssdk.services.ec2.model.Ec2Exception e) {
                mode = null; // a deregistered AMI: fall back to the architecture's default
            }
        }
        if (mode == null) {
            return "arm64".equals(i.architectureAsString()) ? Firmware.UEFI : Firmware.BIOS;
        }
        switch (mode) {
            case "uefi":
                return Firmware.UEFI;
            case "legacy-bios":
                return Firmware.BIOS;
            case "uefi-preferred":
                boolean typeDoesUefi =
                        type.map(
                                        t ->
                                                t.supportedBootModes()
                                                        .contains(
                                                                software.amazon.awssdk.services.ec2
                                                                        .model.BootModeType.UEFI))
                                .orElse(false);
                return typeDoesUefi ? Firmware.UEFI : Firmware.BIOS;
            default:
                return Firmware.UNKNOWN;
        }
    }

    static String name(Instance i) {
        return i.tags().stream()
                .filter(t -> "Name".equals(t.key()) && t.value() != null && !t.value().isBlank())
                .map(t -> t.value())
                .findFirst()
                .orElse(i.instanceId());
    }

    private static PowerState powerState(Instance i) {
        String s = i.state() == null ? "" : i.state().nameAsString();
        switch (s == null ? "" : s) {
            case "running":
                return PowerState.ON;
            case "stopped":
                return PowerState.OFF;
            default:
                return PowerState.UNKNOWN;
        }
    }

    private static int cpus(Optional<InstanceTypeInfo> t) {
        return t.map(
                        x ->
                                x.vCpuInfo() == null || x.vCpuInfo().defaultVCpus() == null
                                        ? 0
                                        : x.vCpuInfo().defaultVCpus())
                .orElse(0);
    }

    private static long memory(Optional<InstanceTypeInfo> t) {
        return t.map(
                        x ->
                                x.memoryInfo() == null || x.memoryInfo().sizeInMiB() == null
                                        ? 0L
                                        : x.memoryInfo().sizeInMiB() * (1L << 20))
                .orElse(0L);
    }
}
