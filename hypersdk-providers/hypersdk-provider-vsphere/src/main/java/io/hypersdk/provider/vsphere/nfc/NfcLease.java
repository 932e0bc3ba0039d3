package io.hypersdk.provider.vsphere.nfc;

import io.hypersdk.core.Cancellation;
import io.hypersdk.provider.vsphere.inventory.PropertyCollector;
import io.hypersdk.provider.vsphere.soap.Backoff;
import io.hypersdk.provider.vsphere.soap.ManagedObjectReference;
import io.hypersdk.provider.vsphere.soap.VimConnection;
import io.hypersdk.provider.vsphere.soap.VimFaultException;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.provider.vsphere.soap.XmlElement;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An {@code HttpNfcLease} of an export: wait for ready, progress (keep-alive), complete, abort. */
final class NfcLease {
    private static final Logger LOG = LoggerFactory.getLogger(NfcLease.class);
    private static final Pattern STAR_HOST = Pattern.compile("^(https?)://\\*(?::(\\d+))?(/.*)?$");

    private final VimConnection vim;
    private final PropertyCollector properties;
    private final ManagedObjectReference ref;
    private final String vmName;

    private NfcLease(
            VimConnection vim,
            PropertyCollector properties,
            ManagedObjectReference ref,
            String vmName) {
        this.vim = vim;
        this.properties = properties;
        this.ref = ref;
        this.vmName = vmName;
    }

    /** {@code ExportVm}: opens an export lease on the VM. */
    static NfcLease export(
            VimConnection vim,
            PropertyCollector properties,
            ManagedObjectReference vm,
            String vmName) {
        XmlElement resp = vim.invoke("ExportVm", vm);
        return new NfcLease(
                vim, properties, VimConnection.returnval(resp, "ExportVm").asMoref(), vmName);
    }

    ManagedObjectReference ref() {
        return ref;
    }

    /** One file the lease serves. */
    record DeviceUrl(
            String key,
            String importKey,
            URI url,
            Optional<String> sslThumbprint,
            boolean disk,
            Optional<String> targetId,
            OptionalLong fileSize) {}

    /** What a ready lease offers. */
    record Info(
            List<DeviceUrl> deviceUrls,
            long totalDiskCapacityKb,
            Optional<Duration> leaseTimeout) {}

    /** Polls the lease state until {@code ready}; {@code error} becomes the lease's fault. */
    Info waitReady(Duration timeout, Cancellation cancellation) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Backoff backoff = new Backoff();
        while (true) {
            cancellation.throwIfCancelled();
            Map<String, XmlElement> p = properties.properties(ref, List.of("state", "error"));
            String state = Optional.ofNullable(p.get("state")).map(e -> e.text().trim()).orElse("");
            switch (state) {
                case "ready":
                    XmlElement info = properties.properties(ref, List.of("info")).get("info");
                    if (info == null) {
                        throw new VsphereException(
                                "vSphere export lease "
                                        + ref.value()
                                        + " for "
                                        + vmName
                                        + " is ready but has no info; try the export again");
                    }
                    return parseInfo(info, vim.hostPort());
                case "error":
                    throw leaseFault("ExportVm", p.get("error"));
                case "done":
                    throw new VsphereException(
                            "vSphere export lease "
                                    + ref.value()
                                    + " for "
                                    + vmName
                                    + " ended before the transfer started; try the export again");
                default:
                    break; // initializing
            }
            if (System.nanoTime() > deadline) {
                throw new VsphereException(
                        "vSphere export lease for "
                                + vmName
                                + " was not ready within "
                                + timeout.toSeconds()
                                + " s (state "
                                + state
                                + "); check the VM's tasks in vSphere");
            }
            backoff.pause();
        }
    }

    /** The lease's current error, if it is in state {@code error}. */
    Optional<VimFaultException> currentError() {
        Map<String, XmlElement> p = properties.properties(ref, List.of("state", "error"));
        String state = Optional.ofNullable(p.get("state")).map(e -> e.text().trim()).orElse("");
        return state.equals("error")
                ? Optional.of(leaseFault("HttpNfcLease", p.get("error")))
                : Optional.empty();
    }

    private VimFaultException leaseFault(String method, XmlElement error) {
        String name =
                error == null
                        ? "LeaseError"
                        : error.child("fault").flatMap(XmlElement::xsiType).orElse("LeaseError");
        String message = error == null ? "" : error.childText("localizedMessage").orElse("");
        return VimFaultException.of(
                method,
                name,
                message.isBlank() ? "export lease for " + vmName + " failed" : message,
                error == null ? Optional.empty() : error.child("fault"));
    }

    static Info parseInfo(XmlElement info, String connectionHostPort) {
        List<DeviceUrl> urls = new ArrayList<>();
        for (XmlElement d : info.all("deviceUrl")) {
            String raw = d.childText("url").orElse("").trim();
            urls.add(
                    new DeviceUrl(
                            d.childText("key").orElse(""),
                            d.childText("importKey").orElse(""),
                            resolveUrl(raw, connectionHostPort),
                            d.childText("sslThumbprint")
                                    .map(String::trim)
                                    .filter(s -> !s.isEmpty()),
                            d.childBoolean("disk"),
                            d.childText("targetId").filter(s -> !s.isBlank()),
                            d.childLong("fileSize")
                                    .filter(n -> n > 0)
                                    .map(OptionalLong::of)
                                    .orElse(OptionalLong.empty())));
        }
        return new Info(
                urls,
                info.childLong("totalDiskCapacityInKB").orElse(0L),
                info.childLong("leaseTimeout").filter(s -> s > 0).map(Duration::ofSeconds));
    }

    /** Replaces the host {@code *} of a lease URL with the connection's host (and port). */
    static URI resolveUrl(String url, String connectionHostPort) {
        Matcher m = STAR_HOST.matcher(url);
        String resolved = url;
        if (m.matches()) {
            String host = connectionHostPort;
            if (m.group(2) != null) {
                int colon = connectionHostPort.lastIndexOf(':');
                host =
                        (colon > 0 && !connectionHostPort.endsWith("]")
                                        ? connectionHostPort.substring(0, colon)
                                        : connectionHostPort)
                                + ":"
                                + m.group(2);
            }
            resolved = m.group(1) + "://" + host + (m.group(3) == null ? "" : m.group(3));
        }
        try {
            return URI.create(resolved);
        } catch (IllegalArgumentException e) {
            throw new VsphereException(
                    "vSphere export lease has an unusable device URL (" + e.getMessage() + ")", e);
        }
    }

    /** {@code HttpNfcLeaseProgress}: tells the server the transfer is alive. */
    void progress(int percent) {
        vim.invoke(
                "HttpNfcLeaseProgress",
                ref,
                XmlElement.text("percent", Integer.toString(Math.max(0, Math.min(100, percent)))));
    }

    /**
     * {@code HttpNfcLeaseGetManifest}: the size of each file by device key, as the server counts
     * it; empty when the server does not offer the call.
     */
    Optional<Map<String, Long>> manifestSizes() {
        XmlElement resp;
        try {
            resp = vim.invoke("HttpNfcLeaseGetManifest", ref);
        } catch (VimFaultException e) {
            if (e.faultName().equals("MethodNotFound")
                    || e.faultName().equals("NotSupported")
                    || e.faultName().equals("NotImplemented")) {
                LOG.debug(
                        "HttpNfcLeaseGetManifest not offered by {}: {}",
                        vim.hostPort(),
                        e.faultName());
                return Optional.empty();
            }
            throw e;
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (XmlElement entry : resp.all("returnval")) {
            String key = entry.childText("key").orElse("");
            entry.childLong("size").ifPresent(size -> sizes.put(key, size));
        }
        return Optional.of(sizes);
    }

    /** {@code HttpNfcLeaseComplete}. */
    void complete() {
        vim.invoke("HttpNfcLeaseComplete", ref);
    }

    /** {@code HttpNfcLeaseAbort} with a reason; failures are logged, never thrown. */
    void abort(String reason) {
        try {
            XmlElement fault =
                    XmlElement.builder("fault")
                            .addTyped("fault", "SystemError", f -> f.add("reason", reason))
                            .add("localizedMessage", reason)
                            .build();
            vim.invoke("HttpNfcLeaseAbort", ref, fault);
            LOG.info("aborted vSphere export lease {} for {}: {}", ref.value(), vmName, reason);
        } catch (RuntimeException e) {
            LOG.warn(
                    "HttpNfcLeaseAbort of lease {} for {} failed: {}",
                    ref.value(),
                    vmName,
                    e.getMessage());
        }
    }

    /** {@code OvfManager.CreateDescriptor} naming the given files (deviceId = lease device key). */
    String createDescriptor(ManagedObjectReference vm, String name, List<OvfFileRef> files) {
        ManagedObjectReference ovfManager =
                vim.serviceContent()
                        .ovfManager()
                        .orElseThrow(
                                () ->
                                        new VsphereException(
                                                "vSphere at "
                                                        + vim.hostPort()
                                                        + " has no OvfManager; cannot write the OVF descriptor"));
        XmlElement.Builder cdp = XmlElement.builder("cdp");
        for (OvfFileRef f : files) {
            cdp.add(
                    "ovfFiles",
                    of ->
                            of.add("deviceId", f.deviceId())
                                    .add("path", f.path())
                                    .add("size", Long.toString(f.size())));
        }
        cdp.add("name", name).add("includeImageFiles", "false");
        XmlElement resp =
                vim.invoke(
                        "CreateDescriptor", ovfManager, XmlElement.moref("obj", vm), cdp.build());
        XmlElement result = VimConnection.returnval(resp, "CreateDescriptor");
        List<XmlElement> errors = result.all("error");
        if (!errors.isEmpty()) {
            XmlElement first = errors.get(0);
            throw VimFaultException.of(
                    "CreateDescriptor",
                    first.child("fault").flatMap(XmlElement::xsiType).orElse("OvfFault"),
                    first.childText("localizedMessage").orElse(""),
                    first.child("fault"));
        }
        String ovf = result.childText("ovfDescriptor").orElse("");
        if (ovf.isBlank()) {
            throw new VsphereException(
                    "vSphere CreateDescriptor for " + vmName + " returned an empty descriptor");
        }
        return ovf;
    }

    /** A file of the export as the OVF descriptor names it. */
    record OvfFileRef(String deviceId, String path, long size) {}
}
