package io.hypersdk.pipeline.libvirt;

import io.hypersdk.core.JobId;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.Firmware;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.settings.LibvirtSettings;
import io.hypersdk.core.settings.Setting;
import io.hypersdk.core.settings.SettingText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Defines the converted VM in libvirt: builds a {@link DomainSpec} from the manifest (all disks,
 * all NICs, firmware, memory, vCPUs, bridge, pool), renders it with {@link DomainXml} and defines
 * it through libvirt-java. An existing domain of the same name is never replaced unless {@link
 * LibvirtSettings#redefine()} says so.
 *
 * <pre>{@code
 * LibvirtDefiner.Defined d = LibvirtDefiner.builder().build()
 *     .define(manifest, images, jobId, settings.libvirt());
 * }</pre>
 */
public final class LibvirtDefiner {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtDefiner.class);

    /**
     * Memory when the manifest does not know it ({@code mem_gb} 0): 2048 MiB, hyper2kvm's own
     * default; reported as a notice, never silently.
     */
    public static final long DEFAULT_MEMORY_MIB = 2048;

    /** vCPUs when the manifest does not know them ({@code cpu} 0): 2, hyper2kvm's default. */
    public static final int DEFAULT_VCPUS = 2;

    /** The libvirt network NICs join when no bridge is configured. */
    public static final String DEFAULT_NETWORK = "default";

    private static final Pattern MAC = Pattern.compile("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}");

    /**
     * A defined domain.
     *
     * @param name the domain name
     * @param xml the XML that was defined
     * @param notices defaults applied and values dropped, one line each
     */
    public record Defined(String name, String xml, List<String> notices) {
        /** Copies the list. */
        public Defined {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(xml, "xml");
            notices = List.copyOf(notices);
        }
    }

    /**
     * A domain ready to define.
     *
     * @param spec the domain
     * @param notices defaults applied and values dropped
     */
    public record Plan(DomainSpec spec, List<String> notices) {
        /** Copies the list. */
        public Plan {
            Objects.requireNonNull(spec, "spec");
            notices = List.copyOf(notices);
        }
    }

    private final LibvirtConnector connector;
    private final OvmfFirmware firmware;

    private LibvirtDefiner(Builder b) {
        this.connector = b.connector;
        this.firmware = b.firmware;
    }

    /**
     * @return a builder (system connector and firmware)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decides the domain for a converted VM, without touching libvirt (volumes are named after the
     * image files when a pool is set).
     *
     * @param manifest the manifest (VM facts, NICs)
     * @param images the converted images, boot disk first
     * @param jobId the job (used for the name when the manifest has none)
     * @param settings bridge and pool
     * @return the plan
     * @throws LibvirtDefinitionException when a UEFI guest has no firmware on this host, or there
     *     are no images
     */
    public Plan plan(
            ArtifactManifest manifest, List<Path> images, JobId jobId, LibvirtSettings settings) {
        if (images.isEmpty()) {
            throw new LibvirtDefinitionException(
                    "no converted images to define a domain for (job " + jobId + ")");
        }
        List<String> notices = new ArrayList<>();
        String vmName =
                manifest.source()
                        .flatMap(ManifestSource::vmName)
                        .filter(n -> !n.isBlank())
                        .orElse("vm-" + jobId);
        String name = VmNames.forDomainName(vmName);
        if (!name.equals(vmName)) {
            notices.add(
                    "libvirt domain name "
                            + name
                            + " (VM name "
                            + DomainXml.oneLine(vmName)
                            + " is not a safe domain name)");
        }
        Optional<ManifestVm> vm = manifest.vm();
        long memoryMib;
        if (vm.isEmpty() || vm.get().memGb() <= 0) {
            memoryMib = DEFAULT_MEMORY_MIB;
            notices.add(
                    "the manifest does not give the VM's memory (mem_gb 0): using "
                            + DEFAULT_MEMORY_MIB
                            + " MiB; change it with virsh setmaxmem/setmem");
        } else {
            memoryMib = vm.get().memGb() * 1024L;
        }
        int vcpus;
        if (vm.isEmpty() || vm.get().cpu() <= 0) {
            vcpus = DEFAULT_VCPUS;
            notices.add(
                    "the manifest does not give the VM's vCPUs (cpu 0): using " + DEFAULT_VCPUS);
        } else {
            vcpus = vm.get().cpu();
        }
        Firmware fw = vm.map(ManifestVm::firmware).orElse(Firmware.UNKNOWN);
        boolean secure = vm.map(ManifestVm::secureboot).orElse(false);
        Optional<OvmfFirmware.Paths> uefi = Optional.empty();
        if (fw == Firmware.UEFI) {
            uefi = Optional.of(firmware.find(secure));
        } else {
            if (fw == Firmware.UNKNOWN) {
                notices.add("the manifest does not give the firmware: defining a BIOS (pc) domain");
            }
            if (secure) {
                notices.add("secureboot is set for a BIOS guest and was ignored");
            }
        }
        boolean windows =
                vm.flatMap(ManifestVm::osHint)
                        .map(h -> h.toLowerCase(Locale.ROOT).contains("windows"))
                        .orElse(false);

        List<DomainSpec.Disk> disks = new ArrayList<>();
        for (Path image : images) {
            String format = formatOf(image);
            DomainSpec.DiskSource source =
                    settings.pool().isPresent()
                            ? new DomainSpec.DiskSource.Volume(
                                    settings.pool().get(), image.getFileName().toString())
                            : new DomainSpec.DiskSource.File(image.toAbsolutePath());
            disks.add(new DomainSpec.Disk(source, format));
        }
        List<DomainSpec.Nic> nics = new ArrayList<>();
        DomainSpec.NicSource nicSource =
                settings.bridge()
                        .<DomainSpec.NicSource>map(DomainSpec.NicSource.Bridge::new)
                        .orElse(new DomainSpec.NicSource.Network(DEFAULT_NETWORK));
        for (NicArtifact n : manifest.nics()) {
            Optional<String> mac = n.mac().map(String::strip).filter(m -> !m.isEmpty());
            if (mac.isPresent() && !validMac(mac.get())) {
                notices.add(
                        "NIC MAC "
                                + DomainXml.oneLine(mac.get())
                                + " is not a usable unicast MAC;"
                                + " libvirt will generate one");
                mac = Optional.empty();
            }
            nics.add(new DomainSpec.Nic(mac.map(m -> m.toLowerCase(Locale.ROOT)), nicSource));
        }
        String description =
                "Converted by hypersdk-java, job "
                        + jobId
                        + manifest.source().map(s -> " (from " + s.provider() + ")").orElse("");
        DomainSpec spec =
                new DomainSpec(
                        name,
                        Optional.of(vmName),
                        Optional.of(description),
                        memoryMib,
                        vcpus,
                        uefi,
                        windows,
                        disks,
                        nics,
                        Optional.empty());
        return new Plan(spec, notices);
    }

    static boolean validMac(String mac) {
        if (!MAC.matcher(mac).matches()) {
            return false;
        }
        int first = Integer.parseInt(mac.substring(0, 2), 16);
        return (first & 1) == 0 && !mac.equals("00:00:00:00:00:00");
    }

    static String formatOf(Path image) {
        String n = image.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".raw") || n.endsWith(".img")) {
            return "raw";
        }
        if (n.endsWith(".vdi")) {
            return "vdi";
        }
        return "qcow2";
    }

    /**
     * Plans and defines the domain, then marks it autostart when asked.
     *
     * @param manifest the manifest
     * @param images converted images, boot disk first
     * @param jobId the job
     * @param settings URI, bridge, pool, autostart, redefine
     * @return the defined domain
     * @throws LibvirtDefinitionException when libvirt refuses, the name is taken (and redefine is
     *     off), a pool or volume is missing, or UEFI firmware is missing
     */
    public Defined define(
            ArtifactManifest manifest, List<Path> images, JobId jobId, LibvirtSettings settings) {
        Plan plan = plan(manifest, images, jobId, settings);
        String name = plan.spec().name();
        Connect conn = open(settings);
        Optional<Domain> existing = Optional.empty();
        Domain defined = null;
        try {
            if (settings.pool().isPresent()) {
                checkVolumes(conn, settings.pool().get(), images);
            }
            existing = lookup(conn, name);
            if (existing.isPresent() && !settings.redefine()) {
                throw new LibvirtDefinitionException(
                        SettingText.of(
                                        "libvirt domain "
                                                + name
                                                + " already exists on "
                                                + settings.uri()
                                                + ": remove it (virsh undefine "
                                                + name
                                                + "), rename the VM, or ")
                                .set(Setting.LIBVIRT_REDEFINE)
                                .text(" to replace it"));
            }
            DomainSpec spec =
                    existing.isPresent()
                            ? plan.spec().withUuid(existing.get().getUUIDString())
                            : plan.spec();
            String xml = DomainXml.render(spec);
            defined = conn.domainDefineXML(xml);
            if (settings.autostart()) {
                defined.setAutostart(true);
            }
            LOG.info(
                    "defined libvirt domain {} on {}{}",
                    name,
                    settings.uri(),
                    existing.isPresent() ? " (replacing the existing definition)" : "");
            List<String> notices = new ArrayList<>(plan.notices());
            if (existing.isPresent()) {
                notices.add(
                        "libvirt domain " + name + " existed and was redefined (redefine is on)");
            }
            return new Defined(name, xml, notices);
        } catch (LibvirtException e) {
            throw new LibvirtDefinitionException(
                    "libvirt refused domain "
                            + name
                            + " on "
                            + settings.uri()
                            + ": "
                            + e.getMessage(),
                    e);
        } finally {
            // virDomainFree/virStoragePoolFree before virConnectClose: every handle holds a
            // reference
            // on the connection, so an unfreed one keeps it (and the driver's state) alive
            existing.ifPresent(LibvirtDefiner::free);
            if (defined != null) {
                free(defined);
            }
            try {
                int left = conn.close();
                if (left > 0) {
                    LOG.debug(
                            "libvirt connection to {} still has {} references after close",
                            settings.uri(),
                            left);
                }
            } catch (LibvirtException e) {
                LOG.debug("closing the libvirt connection: {}", e.toString());
            }
        }
    }

    /**
     * Opens and closes a connection to {@code settings.uri()}, for a check before the long work.
     *
     * @param settings the libvirt settings
     * @throws LibvirtDefinitionException when libvirt cannot be reached at the URI
     */
    public void checkReachable(LibvirtSettings settings) {
        Connect conn = open(settings);
        try {
            conn.close();
        } catch (LibvirtException e) {
            LOG.debug("closing the libvirt connection: {}", e.toString());
        }
    }

    private Connect open(LibvirtSettings settings) {
        try {
            return connector.connect(settings.uri());
        } catch (LibvirtException e) {
            throw new LibvirtDefinitionException(
                    SettingText.of(
                                    "cannot connect to libvirt at "
                                            + settings.uri()
                                            + ": "
                                            + e.getMessage()
                                            + "; check the URI (")
                            .name(Setting.LIBVIRT_URI)
                            .text(") and that libvirtd is running"),
                    e);
        }
    }

    private static void free(Domain d) {
        try {
            d.free();
        } catch (LibvirtException e) {
            LOG.debug("freeing a libvirt domain handle: {}", e.toString());
        }
    }

    private static Optional<Domain> lookup(Connect conn, String name) throws LibvirtException {
        try {
            return Optional.ofNullable(conn.domainLookupByName(name));
        } catch (LibvirtException e) {
            if (e.getError() != null && e.getError().getCode() == ErrorNumber.VIR_ERR_NO_DOMAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static void checkVolumes(Connect conn, String poolName, List<Path> images)
            throws LibvirtException {
        StoragePool pool;
        try {
            pool = conn.storagePoolLookupByName(poolName);
        } catch (LibvirtException e) {
            throw new LibvirtDefinitionException(
                    SettingText.of(
                                    "libvirt storage pool "
                                            + poolName
                                            + " does not exist: create it (virsh pool-define-as) or ")
                            .unset(Setting.LIBVIRT_POOL),
                    e);
        }
        try {
            try {
                pool.refresh(0);
            } catch (LibvirtException e) {
                LOG.debug("pool refresh of {} failed: {}", poolName, e.toString());
            }
            List<String> volumes = Arrays.asList(pool.listVolumes());
            for (Path image : images) {
                String vol = image.getFileName().toString();
                if (!volumes.contains(vol)) {
                    throw new LibvirtDefinitionException(
                            SettingText.of(
                                            "image "
                                                    + image
                                                    + " is not a volume of storage pool "
                                                    + poolName
                                                    + ": write the images into the"
                                                    + " pool's directory (manifest output.directory) or ")
                                    .unset(Setting.LIBVIRT_POOL));
                }
            }
        } finally {
            try {
                pool.free();
            } catch (LibvirtException e) {
                LOG.debug("freeing libvirt storage pool handle {}: {}", poolName, e.toString());
            }
        }
    }

    /** Builds a {@link LibvirtDefiner}. */
    public static final class Builder {
        private LibvirtConnector connector = LibvirtConnector.system();
        private OvmfFirmware firmware = OvmfFirmware.system();

        private Builder() {}

        /**
         * @param v opens connections @return this
         */
        public Builder connector(LibvirtConnector v) {
            this.connector = Objects.requireNonNull(v, "connector");
            return this;
        }

        /**
         * @param v finds UEFI firmware @return this
         */
        public Builder firmware(OvmfFirmware v) {
            this.firmware = Objects.requireNonNull(v, "firmware");
            return this;
        }

        /**
         * @return the definer
         */
        public LibvirtDefiner build() {
            return new LibvirtDefiner(this);
        }
    }
}
