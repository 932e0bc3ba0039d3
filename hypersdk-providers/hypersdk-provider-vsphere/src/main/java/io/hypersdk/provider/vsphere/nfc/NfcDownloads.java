package io.hypersdk.provider.vsphere.nfc;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.manifest.DiskChecksums;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.provider.vsphere.soap.TlsContexts;
import io.hypersdk.provider.vsphere.soap.VimConnection;
import io.hypersdk.provider.vsphere.soap.VsphereException;
import io.hypersdk.provider.vsphere.soap.VsphereTls;
import io.hypersdk.transfer.DownloadEngine;
import io.hypersdk.transfer.DownloadRequest;
import io.hypersdk.transfer.DownloadedFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The files of an export lease: where each goes (a safe file name per device URL), the downloads
 * through the {@link DownloadEngine} (the session cookie and this connection's TLS policy for files
 * on the connection's host, the lease's thumbprint for files on another host), and the {@code .mf}
 * that lists their SHA-256.
 */
final class NfcDownloads {
    private final VimConnection vim;
    private final UnaryOperator<DownloadEngine.Builder> engine;

    NfcDownloads(VimConnection vim, UnaryOperator<DownloadEngine.Builder> engine) {
        this.vim = vim;
        this.engine = engine;
    }

    /** A lease file and where it goes. */
    record Planned(NfcLease.DeviceUrl device, Path target) {}

    static List<Planned> plan(NfcLease.Info info, Path out, String base) {
        if (info.deviceUrls().isEmpty()) {
            throw new VsphereException(
                    "vSphere export lease offers no files for this VM (no disks?); nothing to export");
        }
        List<Planned> plan = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (NfcLease.DeviceUrl d : info.deviceUrls()) {
            String leaf = safeLeaf(d.url().getPath(), i);
            String name = VmNames.fitFileName(base + "-" + leaf, VmNames.MAX_FINAL_NAME_BYTES);
            while (!names.add(name)) {
                name =
                        VmNames.fitFileName(
                                base + "-" + (i++) + "-" + leaf, VmNames.MAX_FINAL_NAME_BYTES);
            }
            plan.add(new Planned(d, out.resolve(name)));
            i++;
        }
        return plan;
    }

    static String safeLeaf(String urlPath, int index) {
        String leaf = urlPath == null ? "" : urlPath.substring(urlPath.lastIndexOf('/') + 1);
        if (!leaf.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}") || leaf.contains("..")) {
            return "file-"
                    + index
                    + (leaf.toLowerCase(Locale.ROOT).endsWith(".vmdk") ? ".vmdk" : ".bin");
        }
        return leaf;
    }

    /**
     * Downloads every planned file but those in {@code kept} (by plan index: files a previous
     * export left that are still complete), which are returned as they are.
     */
    List<DownloadedFile> download(
            List<Planned> plan,
            Map<Integer, DownloadedFile> kept,
            int parallel,
            java.util.OptionalInt connectionsPerFile,
            ProgressListener listener,
            Cancellation cancellation) {
        // files on the connection's host get its TLS policy and the session cookie; files on
        // another
        // host (an ESXi host behind vCenter) are pinned to the thumbprint the lease gives for them.
        Map<Optional<String>, List<Integer>> groups = new LinkedHashMap<>();
        DownloadedFile[] results = new DownloadedFile[plan.size()];
        for (int i = 0; i < plan.size(); i++) {
            if (kept.containsKey(i)) {
                results[i] = kept.get(i);
                continue;
            }
            NfcLease.DeviceUrl d = plan.get(i).device();
            boolean sameHost = sameHost(d);
            groups.computeIfAbsent(
                            sameHost ? Optional.empty() : d.sslThumbprint(), k -> new ArrayList<>())
                    .add(i);
        }
        for (Map.Entry<Optional<String>, List<Integer>> g : groups.entrySet()) {
            javax.net.ssl.SSLContext tls =
                    g.getKey().isPresent()
                            ? TlsContexts.forPolicy(VsphereTls.pinThumbprint(g.getKey().get()))
                            : vim.downloadSslContext();
            DownloadEngine.Builder builder =
                    DownloadEngine.builder()
                            .sslContext(tls)
                            .connectTimeout(vim.connectTimeout())
                            .parallelism(parallel);
            connectionsPerFile.ifPresent(builder::connectionsPerFile); // else the engine chooses
            DownloadEngine engine = this.engine.apply(builder).build();
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

    static String mfContent(Path ovf, List<DownloadedFile> files) {
        StringBuilder sb = new StringBuilder();
        sb.append("SHA256(")
                .append(ovf.getFileName())
                .append(")= ")
                .append(sha256Hex(ovf))
                .append('\n');
        for (DownloadedFile f : files) {
            sb.append("SHA256(")
                    .append(f.path().getFileName())
                    .append(")= ")
                    .append(f.sha256())
                    .append('\n');
        }
        return sb.toString();
    }

    private static String sha256Hex(Path p) {
        return DiskChecksums.sha256(p).substring("sha256:".length());
    }
}
