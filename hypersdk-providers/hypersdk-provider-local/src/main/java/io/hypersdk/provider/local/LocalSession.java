package io.hypersdk.provider.local;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import io.hypersdk.core.io.ArchivedDisk;
import io.hypersdk.core.io.FileNameProblems;
import io.hypersdk.core.manifest.ArtifactManifest;
import io.hypersdk.core.manifest.DiskArtifact;
import io.hypersdk.core.manifest.DiskType;
import io.hypersdk.core.manifest.ManifestCodec;
import io.hypersdk.core.manifest.ManifestMetadata;
import io.hypersdk.core.manifest.ManifestSource;
import io.hypersdk.core.manifest.ManifestValidator;
import io.hypersdk.core.manifest.ManifestVm;
import io.hypersdk.core.manifest.ManifestWarning;
import io.hypersdk.core.manifest.NicArtifact;
import io.hypersdk.core.manifest.ValidationOptions;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.progress.Notice;
import io.hypersdk.core.progress.Phase;
import io.hypersdk.core.progress.PhaseChanged;
import io.hypersdk.core.progress.ProgressListener;
import io.hypersdk.core.text.TerminalText;
import io.hypersdk.provider.spi.ExportException;
import io.hypersdk.provider.spi.ExportFormat;
import io.hypersdk.provider.spi.ExportRequest;
import io.hypersdk.provider.spi.ExportResult;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.PreviousFile;
import io.hypersdk.provider.spi.ProviderSession;
import io.hypersdk.provider.spi.VmDescription;
import io.hypersdk.provider.spi.VmNic;
import io.hypersdk.provider.spi.VmSummary;
import io.hypersdk.provider.spi.ova.OvaWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A session of the local provider: VMs are files under {@code base}. */
final class LocalSession implements ProviderSession {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSession.class);
    private static final long GIB = 1L << 30;

    private final Path base;
    private final Clock clock;

    LocalSession(Path base, Clock clock) {
        this.base = base;
        this.clock = clock;
    }

    @Override
    public String providerId() {
        return LocalProvider.ID;
    }

    @Override
    public List<VmSummary> listVms() {
        List<VmSummary> out = new ArrayList<>();
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(base)) {
            for (Path p : ds) {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (Files.isRegularFile(p)
                        && (n.endsWith(".ova") || n.endsWith(".ovf") || n.endsWith(".vmx"))) {
                    candidates.add(p);
                } else if (Files.isDirectory(p)) {
                    try (DirectoryStream<Path> inner = Files.newDirectoryStream(p, "*.{vmx,VMX}")) {
                        List<Path> vmx = new ArrayList<>();
                        inner.forEach(vmx::add);
                        if (vmx.size() == 1) {
                            candidates.add(vmx.get(0));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ExportException(
                    "cannot list "
                            + base
                            + ": "
                            + e.getMessage()
                            + "; check the 'directory' setting");
        }
        candidates.sort(null);
        for (Path p : candidates) {
            try {
                out.add(
                        LocalSource.open(base, p.toString())
                                .vm
                                .describe(p.toString(), Optional.of(base.relativize(p).toString()))
                                .summary());
            } catch (ExportException e) {
                LOG.warn("skipping {}: {}", p, e.getMessage());
            }
        }
        return List.copyOf(out);
    }

    @Override
    public VmDescription describe(String vm) {
        LocalSource src = LocalSource.open(base, vm);
        return src.vm.describe(src.path.toString(), Optional.of(relative(src.path)));
    }

    @Override
    public ExportResult export(
            ExportRequest request, ProgressListener listener, Cancellation cancellation) {
        long t0 = System.nanoTime();
        Instant started = clock.instant();
        cancellation.throwIfCancelled();
        listener.onEvent(new PhaseChanged(Phase.EXPORT, "reading " + request.vm()));
        LocalSource src = LocalSource.open(base, request.vm());
        Path out = request.outputDirectory().toAbsolutePath().normalize();
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new ExportException(
                    "cannot create output directory "
                            + out
                            + ": "
                            + FileNameProblems.nameTooLong(out, e)
                                    .orElse(reason(e) + "; choose a writable directory"),
                    e);
        }
        List<LocalSource.PayloadFile> all = new ArrayList<>();
        src.disks.forEach(d -> all.addAll(d.files()));
        all.addAll(src.extras);
        List<String> names = new ArrayList<>();
        for (LocalSource.PayloadFile f : all) {
            if (names.contains(f.outputName())) {
                throw new InvalidSourceException(
                        src.path
                                + ": two files would both be written as '"
                                + f.outputName()
                                + "' in the output directory; rename one of them");
            }
            names.add(f.outputName());
            Path target = out.resolve(f.outputName());
            if (!target.normalize().getParent().equals(out)) {
                throw new InvalidSourceException(
                        src.path + ": '" + f.outputName() + "' would be written outside " + out);
            }
            if (Files.exists(target) && Files.exists(Path.of(f.what()))) {
                try {
                    if (Files.isSameFile(target, Path.of(f.what()))) {
                        throw new ExportException(
                                "output directory "
                                        + out
                                        + " is where "
                                        + src.path.getFileName()
                                        + " lives: the export would overwrite its own source; choose another output directory");
                    }
                } catch (IOException e) {
                    // cannot compare: proceed; the copy goes through a temporary file anyway
                }
            }
        }
        for (String w : src.warnings) {
            listener.onEvent(new Notice(Notice.Level.WARNING, w));
        }
        listener.onEvent(
                new PhaseChanged(
                        Phase.EXPORT,
                        "copying "
                                + src.disks.size()
                                + " disk(s) of "
                                + src.vm.name()
                                + " to "
                                + out));

        List<Path> written = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            return exportInto(src, out, request, listener, cancellation, written, started, t0);
        } catch (RuntimeException | Error e) {
            // an export either completes with its manifest or leaves nothing of this run behind
            for (Path p : written) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    LOG.warn("cannot remove {} after a failed export: {}", p, ignored.toString());
                }
            }
            throw e;
        }
    }

    private ExportResult exportInto(
            LocalSource src,
            Path out,
            ExportRequest request,
            ProgressListener listener,
            Cancellation cancellation,
            List<Path> written,
            Instant started,
            long t0) {
        List<List<DiskCopy.Copied>> copied =
                copyDisks(src, out, request, listener, cancellation, written);
        List<DiskCopy.Copied> extras = new ArrayList<>();
        for (LocalSource.PayloadFile f : src.extras) {
            written.add(out.resolve(f.outputName()));
            extras.add(
                    DiskCopy.copy(
                            f.open(),
                            f.what(),
                            out.resolve(f.outputName()),
                            Optional.empty(),
                            Optional.empty(),
                            f.storedSize(),
                            "",
                            ProgressListener.NONE,
                            cancellation,
                            clock));
        }
        List<Path> files = new ArrayList<>();
        copied.forEach(
                l ->
                        l.stream()
                                .filter(c -> !c.path().equals(src.path))
                                .forEach(c -> files.add(c.path())));
        extras.forEach(c -> files.add(c.path()));
        if (request.format() == ExportFormat.OVA) {
            if (src.extras.isEmpty() || src.kind == LocalSource.Kind.VMX) {
                throw new ExportException(
                        "cannot pack "
                                + src.path.getFileName()
                                + " as an OVA: "
                                + (src.kind == LocalSource.Kind.VMX
                                        ? "a .vmx VM has no OVF descriptor"
                                        : "its disks were gzip-compressed")
                                + "; export with format ovf");
            }
            Path ova =
                    out.resolve(
                            VmNames.forFileName(src.vm.name(), VmNames.budget(".ova")) + ".ova");
            written.add(ova);
            List<Path> members = new ArrayList<>();
            extras.forEach(c -> members.add(c.path()));
            copied.forEach(l -> l.forEach(c -> members.add(c.path())));
            try {
                OvaWriter.write(ova, members, cancellation);
            } catch (IOException e) {
                throw new ExportException(
                        "cannot write "
                                + ova
                                + ": "
                                + FileNameProblems.nameTooLong(ova, e)
                                        .orElse(e.getMessage() + "; check free space"),
                        e);
            }
            files.add(ova);
        }

        ArtifactManifest manifest = manifest(src, request, copied, started);
        Path manifestPath = out.resolve(ExportResult.MANIFEST_FILE_NAME);
        cancellation.throwIfCancelled();
        written.add(manifestPath);
        ManifestCodec.write(manifest, manifestPath);
        ManifestValidator.requireValid(manifest, ValidationOptions.withDiskFiles());
        long total = 0;
        for (Path f : files) {
            try {
                total += Files.size(f);
            } catch (IOException e) {
                throw new ExportException("cannot stat " + f + ": " + e.getMessage());
            }
        }
        listener.onEvent(
                new PhaseChanged(Phase.EXPORT, "exported " + src.vm.name() + " to " + out));
        return new ExportResult(
                manifest,
                manifestPath,
                files,
                total,
                Duration.ofNanos(System.nanoTime() - t0),
                inArchive(src, request));
    }

    private List<List<DiskCopy.Copied>> copyDisks(
            LocalSource src,
            Path out,
            ExportRequest request,
            ProgressListener listener,
            Cancellation cancellation,
            List<Path> written) {
        Cancellation inner = Cancellation.create();
        Cancellation.Registration reg = cancellation.onCancel(inner::cancel);
        int threads = Math.min(request.parallel(), src.disks.size());
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        threads,
                        r -> {
                            Thread t = new Thread(r, "hypersdk-local-copy");
                            t.setDaemon(true);
                            return t;
                        });
        ProgressListener serial =
                new ProgressListener() {
                    @Override
                    public synchronized void onEvent(io.hypersdk.core.progress.ProgressEvent e) {
                        listener.onEvent(e);
                    }
                };
        try {
            List<Future<List<DiskCopy.Copied>>> futures = new ArrayList<>();
            for (LocalSource.DiskPayload d : src.disks) {
                futures.add(
                        pool.submit(
                                () -> {
                                    try {
                                        List<DiskCopy.Copied> result = new ArrayList<>();
                                        Optional<TarIndex.Member> inPlace =
                                                readInPlace(src, d, request);
                                        if (inPlace.isPresent()) {
                                            // zero-copy: the converter reads the member itself
                                            result.add(
                                                    new DiskCopy.Copied(
                                                            src.path,
                                                            inPlace.get().size(),
                                                            d.files()
                                                                    .get(0)
                                                                    .mfEntry()
                                                                    .filter(
                                                                            e ->
                                                                                    e.algorithm()
                                                                                            .equals(
                                                                                                    "SHA256"))
                                                                    .map(OvfManifestFile.Entry::hex)
                                                                    .orElse("")));
                                            return result;
                                        }
                                        for (LocalSource.PayloadFile f : d.files()) {
                                            Path target = out.resolve(f.outputName());
                                            Optional<DiskCopy.Copied> kept =
                                                    kept(f, target, request, serial, inner);
                                            if (kept.isPresent()) {
                                                result.add(kept.get());
                                                continue;
                                            }
                                            written.add(target);
                                            result.add(
                                                    DiskCopy.copy(
                                                            f.open(),
                                                            f.what(),
                                                            out.resolve(f.outputName()),
                                                            f.inflate(),
                                                            f.mfEntry(),
                                                            f.storedSize(),
                                                            src.mf
                                                                    .map(OvfManifestFile::name)
                                                                    .orElse(""),
                                                            serial,
                                                            inner,
                                                            clock));
                                        }
                                        return result;
                                    } catch (RuntimeException e) {
                                        inner.cancel();
                                        throw e;
                                    }
                                }));
            }
            List<List<DiskCopy.Copied>> results = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<List<DiskCopy.Copied>> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    RuntimeException re =
                            e.getCause() instanceof RuntimeException r
                                    ? r
                                    : new ExportException(
                                            "copy failed: " + e.getCause(), e.getCause());
                    if (re instanceof CancelledException && !cancellation.isCancelled()) {
                        continue; // stopped because a sibling failed
                    }
                    if (failure == null) {
                        failure = re;
                    } else if (!(re instanceof CancelledException)) {
                        failure.addSuppressed(re);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    inner.cancel();
                    throw new CancelledException("export interrupted");
                }
            }
            if (cancellation.isCancelled()) {
                throw new CancelledException(
                        "export of " + src.vm.name() + " cancelled; no manifest was written");
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } finally {
            reg.close();
            pool.shutdownNow();
        }
    }

    /**
     * The tar member of a disk the caller reads in place: only when the request asks for it, the
     * export format is OVF (an OVA export packs copies), and the disk is one uncompressed OVA
     * member. DESIGN: everything else (gzip members, OVF and VMX files, other providers) is copied
     * as before, so the manifest keeps naming real files wherever the disk had to be transformed.
     */
    private static Optional<TarIndex.Member> readInPlace(
            LocalSource src, LocalSource.DiskPayload d, ExportRequest request) {
        if (!request.leaveDisksInArchive()
                || request.format() != ExportFormat.OVF
                || src.kind != LocalSource.Kind.OVA
                || d.files().size() != 1) {
            return Optional.empty();
        }
        return d.member();
    }

    /** The disks {@link #readInPlace} left in the archive, as the SPI reports them. */
    private static List<ArchivedDisk> inArchive(LocalSource src, ExportRequest request) {
        List<ArchivedDisk> out = new ArrayList<>();
        for (int i = 0; i < src.disks.size(); i++) {
            LocalSource.DiskPayload d = src.disks.get(i);
            Optional<TarIndex.Member> m = readInPlace(src, d, request);
            if (m.isPresent()) {
                out.add(
                        new ArchivedDisk(
                                "disk-" + i,
                                src.path,
                                m.get().name(),
                                m.get().dataOffset(),
                                m.get().size(),
                                d.files()
                                        .get(0)
                                        .mfEntry()
                                        .map(
                                                e ->
                                                        new ArchivedDisk.Digest(
                                                                e.jdkAlgorithm(),
                                                                e.hex(),
                                                                src.mf.get().name()))));
            }
        }
        return List.copyOf(out);
    }

    /**
     * A file a previous export of this VM left in place, when it is still what the package holds
     * (see {@link PreviousFile#keep}): the package declares the stored size and, in its {@code
     * .mf}, the SHA-256 of uncompressed members, and the file is hashed again.
     */
    private static Optional<DiskCopy.Copied> kept(
            LocalSource.PayloadFile f,
            Path target,
            ExportRequest request,
            ProgressListener listener,
            Cancellation cancellation) {
        boolean asStored = f.inflate().isEmpty();
        OptionalLong size =
                asStored && f.storedSize() >= 0
                        ? OptionalLong.of(f.storedSize())
                        : OptionalLong.empty();
        Optional<String> sha256 =
                asStored
                        ? f.mfEntry()
                                .filter(e -> e.algorithm().equals("SHA256"))
                                .map(OvfManifestFile.Entry::hex)
                        : Optional.empty();
        return PreviousFile.keep(request, target, size, sha256, listener, cancellation)
                .map(kept -> new DiskCopy.Copied(target, kept.bytes(), kept.sha256()));
    }

    private ArtifactManifest manifest(
            LocalSource src,
            ExportRequest request,
            List<List<DiskCopy.Copied>> copied,
            Instant started) {
        SourceVm vm = src.vm;
        ArtifactManifest.Builder b = ArtifactManifest.builder();
        b.source(
                ManifestSource.of(LocalProvider.ID)
                        .withVmId(src.path.toString())
                        .withVmName(vm.name())
                        .withExportMethod(src.kind.exportMethod)
                        .withExportTimestamp(started));
        // round memory up to whole GiB: a VM never gets less than it had (512 MiB -> 1)
        int memGb = (int) Math.min(Integer.MAX_VALUE, (vm.memoryBytes() + GIB - 1) / GIB);
        ManifestVm mvm =
                ManifestVm.of(vm.cpu(), memGb, vm.firmware())
                        .withSecureboot(vm.secureBoot())
                        .withOsHint(vm.guestOs().map(VmDescription::osHintFor).orElse("unknown"));
        if (vm.guestOs().isPresent()) {
            mvm = mvm.withOsVersion(vm.guestOs().get());
        }
        b.vm(mvm);
        for (int i = 0; i < copied.size(); i++) {
            List<DiskCopy.Copied> files = copied.get(i);
            SourceVm.SourceDisk d = src.disks.get(i).disk();
            DiskCopy.Copied main = files.get(0);
            long bytes = files.stream().mapToLong(DiskCopy.Copied::bytes).sum();
            DiskArtifact.Builder db =
                    DiskArtifact.builder()
                            .id("disk-" + i)
                            .sourceFormat(d.format())
                            .bytes(bytes)
                            .localPath(main.path())
                            .bootOrderHint(i)
                            .diskType(i == 0 ? DiskType.BOOT : DiskType.DATA)
                            .label(d.label().orElse(d.id()));
            boolean inPlace = main.path().equals(src.path);
            if (request.checksums() && files.size() == 1 && !main.sha256().isEmpty()) {
                db.checksum("sha256:" + main.sha256());
            }
            if (inPlace) {
                TarIndex.Member m = src.disks.get(i).member().orElseThrow();
                b.addNote(
                        "disk-"
                                + i
                                + " source: ova member, not copied ("
                                + TerminalText.escape(m.name())
                                + " at byte "
                                + m.dataOffset()
                                + ", "
                                + m.size()
                                + " bytes, of "
                                + src.path
                                + "; read in place by the converter, which checks its digest)");
            }
            b.addDisk(db.build());
        }
        for (VmNic n : vm.nics()) {
            b.addNic(new NicArtifact(n.id(), n.mac(), n.network()));
        }
        for (String w : src.warnings) {
            b.addWarning(new ManifestWarning("export", w, Optional.of(started)));
        }
        if (request.checksums() && copied.stream().anyMatch(l -> l.size() > 1)) {
            b.addWarning(
                    new ManifestWarning(
                            "export",
                            "disks made of several files (descriptor + extents) carry no checksum",
                            Optional.of(started)));
        }
        b.addNote("Exported from " + src.path + " by hypersdk-provider-local");
        b.addNote("Export method: " + request.format().id());
        if (src.mf.isPresent()) {
            b.addNote("Verified against " + src.mf.get().name());
        }
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("provider", LocalProvider.ID);
        tags.put("export_format", request.format().id());
        tags.put("source_kind", src.kind.name().toLowerCase(Locale.ROOT));
        if (copied.stream().anyMatch(l -> l.get(0).path().equals(src.path))) {
            tags.put("disk_source", "ova-member-not-copied");
        }
        tags.put("memory_mib", Long.toString(vm.memoryBytes() >> 20));
        ManifestMetadata meta =
                new ManifestMetadata(
                        Optional.ofNullable(
                                LocalProvider.class.getPackage().getImplementationVersion()),
                        Optional.empty(),
                        Optional.of(clock.instant()),
                        tags);
        return request.completeManifest(b, meta).build();
    }

    private String relative(Path p) {
        return p.startsWith(base) ? base.relativize(p).toString() : p.toString();
    }

    @Override
    public void close() {
        // nothing to release
    }

    /** What went wrong, in words: a file-system exception's message is often only the path. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileAlreadyExistsException f) {
            return (f.getFile() == null ? "a path" : f.getFile())
                    + " exists and is not a directory";
        }
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
