package io.hypersdk.provider.local;

import io.hypersdk.core.io.DecompressionLimit;
import io.hypersdk.core.io.FileType;
import io.hypersdk.core.naming.VmNames;
import io.hypersdk.core.text.TerminalText;
import io.hypersdk.provider.spi.IntegrityException;
import io.hypersdk.provider.spi.InvalidSourceException;
import io.hypersdk.provider.spi.UnsafeArchiveException;
import io.hypersdk.provider.spi.VmNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An export source on the local file system, opened and checked: an {@code .ova} (tar), an {@code
 * .ovf} with its files, or a VMware {@code .vmx} (file or the directory holding it). Knows the VM
 * and, for each disk, the files to copy and the {@code .mf} digests that cover them.
 */
final class LocalSource {

    private static final long MAX_DESCRIPTOR = 16L << 20;

    /** What the source is. */
    enum Kind {
        OVA("local-ova"),
        OVF("local-ovf"),
        VMX("local-vmx");

        final String exportMethod;

        Kind(String exportMethod) {
            this.exportMethod = exportMethod;
        }
    }

    /** One file to copy: its name in the output directory and how to read it. */
    record PayloadFile(
            String outputName,
            String what,
            long storedSize,
            Optional<DecompressionLimit> inflate,
            Optional<OvfManifestFile.Entry> mfEntry,
            DiskCopy.IoSupplier open) {}

    /**
     * One disk: its description and its files (the first is the one the manifest points to), and,
     * for an uncompressed OVA member, where its bytes lie in the archive (it can be read in place).
     */
    record DiskPayload(
            SourceVm.SourceDisk disk, List<PayloadFile> files, Optional<TarIndex.Member> member) {
        DiskPayload(SourceVm.SourceDisk disk, List<PayloadFile> files) {
            this(disk, files, Optional.empty());
        }
    }

    final Kind kind;
    final Path path;
    final SourceVm vm;
    final List<DiskPayload> disks;

    /**
     * Descriptor (and .mf) to copy next to the disks; empty when the copy would be inconsistent.
     */
    final List<PayloadFile> extras;

    final Optional<OvfManifestFile> mf;
    final List<String> warnings;

    private LocalSource(
            Kind kind,
            Path path,
            SourceVm vm,
            List<DiskPayload> disks,
            List<PayloadFile> extras,
            Optional<OvfManifestFile> mf,
            List<String> warnings) {
        this.kind = kind;
        this.path = path;
        this.vm = vm;
        this.disks = List.copyOf(disks);
        this.extras = List.copyOf(extras);
        disks.forEach(d -> d.files().forEach(f -> requirePrintableName(path, f.outputName())));
        extras.forEach(f -> requirePrintableName(path, f.outputName()));
        this.mf = mf;
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Opens {@code vm}: a path to an .ova, .ovf or .vmx file, or a directory holding one .vmx;
     * relative paths are resolved against {@code base}.
     */
    static LocalSource open(Path base, String vm) {
        Path p = base.resolve(vm).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new VmNotFoundException(
                    vm,
                    "no VM at '"
                            + vm
                            + "' ("
                            + p
                            + "): give the path of an .ova, .ovf or .vmx"
                            + " file, or of a directory holding one .vmx");
        }
        if (Files.isDirectory(p)) {
            List<Path> vmx = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.{vmx,VMX}")) {
                ds.forEach(vmx::add);
            } catch (IOException e) {
                throw new InvalidSourceException("cannot list " + p + ": " + e.getMessage());
            }
            if (vmx.size() != 1) {
                throw new VmNotFoundException(
                        vm,
                        "directory "
                                + p
                                + " holds "
                                + vmx.size()
                                + " .vmx files; give the path of"
                                + " one .vmx, .ova or .ovf file");
            }
            p = vmx.get(0);
        }
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        Kind kind;
        if (n.endsWith(".ova")) {
            kind = Kind.OVA;
        } else if (n.endsWith(".ovf")) {
            kind = Kind.OVF;
        } else if (n.endsWith(".vmx")) {
            kind = Kind.VMX;
        } else {
            throw new InvalidSourceException(
                    p
                            + " is not an .ova, .ovf or .vmx file; give one of those (or a VM directory)");
        }
        return switch (kind) {
            case OVA -> openOva(p);
            case OVF -> openOvf(p);
            case VMX -> openVmx(p);
        };
    }

    private static LocalSource openOva(Path ova) {
        TarIndex index = TarIndex.read(ova);
        List<TarIndex.Member> descriptors =
                index.members().stream()
                        .filter(m -> m.name().toLowerCase(Locale.ROOT).endsWith(".ovf"))
                        .toList();
        if (descriptors.isEmpty()) {
            throw new InvalidSourceException(ova + " holds no .ovf descriptor; it is not an OVA");
        }
        TarIndex.Member desc = descriptors.get(0);
        List<String> warnings = new ArrayList<>();
        if (descriptors.size() > 1) {
            warnings.add(
                    ova.getFileName()
                            + " holds "
                            + descriptors.size()
                            + " .ovf descriptors; used the first, "
                            + desc.name());
        }
        requireFile(ova, desc);
        if (desc.size() > MAX_DESCRIPTOR) {
            throw new InvalidSourceException(
                    ova
                            + "!"
                            + desc.name()
                            + " is larger than 16 MiB; it is not an OVF descriptor");
        }
        byte[] descriptorBytes = readMember(index, desc);
        String dir =
                desc.name().contains("/")
                        ? desc.name().substring(0, desc.name().lastIndexOf('/') + 1)
                        : "";
        String stem = desc.name().substring(0, desc.name().length() - 4);
        Optional<TarIndex.Member> mfMember =
                index.member(stem + ".mf")
                        .or(
                                () -> {
                                    List<TarIndex.Member> mfs =
                                            index.members().stream()
                                                    .filter(
                                                            m ->
                                                                    m.name()
                                                                            .toLowerCase(
                                                                                    Locale.ROOT)
                                                                            .endsWith(".mf"))
                                                    .toList();
                                    return mfs.size() == 1
                                            ? Optional.of(mfs.get(0))
                                            : Optional.empty();
                                });
        Optional<OvfManifestFile> mf =
                mfMember.map(
                        m -> {
                            requireFile(ova, m);
                            if (m.size() > MAX_DESCRIPTOR) {
                                throw new InvalidSourceException(
                                        ova
                                                + "!"
                                                + m.name()
                                                + " is larger than 16 MiB; it is not an OVF manifest");
                            }
                            return OvfManifestFile.parse(
                                    readMember(index, m), ova.getFileName() + "!" + m.name());
                        });
        String descWhat = ova.getFileName() + "!" + desc.name();
        verifyInMemory(descriptorBytes, descWhat, baseName(desc.name()), mf);
        SourceVm vm = OvfDescriptor.parse(new ByteArrayInputStream(descriptorBytes), descWhat);
        warnings.addAll(vm.warnings());

        List<DiskPayload> disks = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        boolean anyGzip = false;
        for (SourceVm.SourceDisk d : vm.disks()) {
            String memberName = TarIndex.safeName(ova, dir + d.file());
            TarIndex.Member m =
                    index.member(memberName)
                            .orElseThrow(
                                    () ->
                                            new InvalidSourceException(
                                                    ova
                                                            + " has no member '"
                                                            + memberName
                                                            + "', which "
                                                            + desc.name()
                                                            + " lists as disk '"
                                                            + d.id()
                                                            + "'; the OVA is incomplete"));
            requireFile(ova, m);
            if (d.fileSize() >= 0 && d.fileSize() != m.size()) {
                throw new IntegrityException(
                        ova
                                + "!"
                                + memberName
                                + " has "
                                + m.size()
                                + " bytes but "
                                + desc.name()
                                + " declares "
                                + d.fileSize()
                                + "; the OVA is corrupt");
            }
            String out = outputName(ova, memberName, d.gzip(), outputs);
            anyGzip |= d.gzip();
            String what = ova.getFileName() + "!" + memberName;
            disks.add(
                    new DiskPayload(
                            d,
                            List.of(
                                    new PayloadFile(
                                            out,
                                            what,
                                            m.size(),
                                            inflateLimit(d, what),
                                            mfEntry(
                                                    mf,
                                                    baseName(memberName),
                                                    warnings,
                                                    ova.getFileName() + "!" + memberName),
                                            () -> index.open(m))),
                            d.gzip() ? Optional.empty() : Optional.of(m)));
        }
        List<PayloadFile> extras = new ArrayList<>();
        if (!anyGzip) {
            extras.add(inMemory(baseName(desc.name()), descWhat, descriptorBytes));
            mfMember.ifPresent(
                    m ->
                            extras.add(
                                    inMemory(
                                            baseName(m.name()),
                                            ova.getFileName() + "!" + m.name(),
                                            readMember(index, m))));
        }
        checkMfCoversOnlyPackageFiles(
                mf, index.members().stream().map(m -> baseName(m.name())).toList(), ova.toString());
        return new LocalSource(Kind.OVA, ova, vm, disks, extras, mf, warnings);
    }

    private static LocalSource openOvf(Path ovf) {
        Path dir = ovf.getParent();
        byte[] descriptorBytes = readSmall(ovf);
        String stem =
                ovf.getFileName()
                        .toString()
                        .substring(0, ovf.getFileName().toString().length() - 4);
        Path mfPath = dir.resolve(stem + ".mf");
        Optional<OvfManifestFile> mf =
                Files.isRegularFile(mfPath)
                        ? Optional.of(OvfManifestFile.parse(readSmall(mfPath), mfPath.toString()))
                        : Optional.empty();
        List<String> warnings = new ArrayList<>();
        verifyInMemory(descriptorBytes, ovf.toString(), ovf.getFileName().toString(), mf);
        SourceVm vm =
                OvfDescriptor.parse(new ByteArrayInputStream(descriptorBytes), ovf.toString());
        warnings.addAll(vm.warnings());
        List<DiskPayload> disks = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        List<String> packageFiles = new ArrayList<>(List.of(ovf.getFileName().toString()));
        boolean anyGzip = false;
        for (SourceVm.SourceDisk d : vm.disks()) {
            String rel = relativeInside(ovf, d.file());
            Path file = dir.resolve(rel).normalize();
            if (!Files.isRegularFile(file)) {
                FileType type = FileType.of(file);
                throw new InvalidSourceException(
                        ovf
                                + " lists disk file '"
                                + d.file()
                                + "' but "
                                + file
                                + " "
                                + type.phrase()
                                + (type == FileType.MISSING
                                        ? "; copy the whole OVF package"
                                        : ", not a regular file; point the descriptor at the disk image file"));
            }
            long size = size(file);
            if (d.fileSize() >= 0 && d.fileSize() != size) {
                throw new IntegrityException(
                        file
                                + " has "
                                + size
                                + " bytes but "
                                + ovf.getFileName()
                                + " declares "
                                + d.fileSize()
                                + "; the package is corrupt or incomplete");
            }
            packageFiles.add(rel);
            anyGzip |= d.gzip();
            String out = outputName(ovf, rel, d.gzip(), outputs);
            disks.add(
                    new DiskPayload(
                            d,
                            List.of(
                                    new PayloadFile(
                                            out,
                                            file.toString(),
                                            size,
                                            inflateLimit(d, file.toString()),
                                            mfEntry(mf, rel, warnings, file.toString()),
                                            () -> Files.newInputStream(file)))));
        }
        List<PayloadFile> extras = new ArrayList<>();
        if (!anyGzip) {
            extras.add(inMemory(ovf.getFileName().toString(), ovf.toString(), descriptorBytes));
            if (mf.isPresent()) {
                extras.add(
                        inMemory(
                                mfPath.getFileName().toString(),
                                mfPath.toString(),
                                readSmall(mfPath)));
            }
        }
        checkMfCoversOnlyPackageFiles(mf, packageFiles, ovf.toString());
        return new LocalSource(Kind.OVF, ovf, vm, disks, extras, mf, warnings);
    }

    private static LocalSource openVmx(Path vmxPath) {
        byte[] bytes = readSmall(vmxPath);
        String name = vmxPath.getFileName().toString();
        SourceVm parsed =
                VmxDescriptor.parse(
                        new String(bytes, StandardCharsets.UTF_8),
                        vmxPath.toString(),
                        name.substring(0, name.length() - 4));
        List<DiskPayload> disks = new ArrayList<>();
        List<SourceVm.SourceDisk> described = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (SourceVm.SourceDisk d : parsed.disks()) {
            Path file = vmxPath.getParent().resolve(d.file()).normalize();
            if (!Files.isRegularFile(file)) {
                FileType type = FileType.of(file);
                throw new InvalidSourceException(
                        vmxPath
                                + ": disk "
                                + d.id()
                                + " is '"
                                + d.file()
                                + "' but "
                                + file
                                + " "
                                + type.phrase()
                                + (type == FileType.MISSING
                                        ? "; copy the whole VM directory"
                                        : ", not a regular file; point the .vmx at the disk descriptor file"));
            }
            List<Path> files;
            long capacity = 0;
            if (d.format() == io.hypersdk.core.manifest.DiskFormat.VMDK) {
                VmdkFile vmdk = VmdkFile.read(file);
                files = vmdk.files();
                capacity = vmdk.capacityBytes();
            } else {
                files = List.of(file);
            }
            List<PayloadFile> payload = new ArrayList<>();
            for (Path f : files) {
                String out = outputName(vmxPath, f.getFileName().toString(), false, outputs);
                payload.add(
                        new PayloadFile(
                                out,
                                f.toString(),
                                size(f),
                                Optional.empty(),
                                Optional.empty(),
                                () -> Files.newInputStream(f)));
            }
            SourceVm.SourceDisk withCapacity =
                    new SourceVm.SourceDisk(
                            d.id(),
                            d.label(),
                            capacity,
                            d.format(),
                            d.file(),
                            size(file),
                            false,
                            d.controller());
            described.add(withCapacity);
            disks.add(new DiskPayload(withCapacity, payload));
        }
        SourceVm vm =
                new SourceVm(
                        parsed.name(),
                        parsed.guestOs(),
                        parsed.cpu(),
                        parsed.memoryBytes(),
                        parsed.firmware(),
                        parsed.secureBoot(),
                        described,
                        parsed.nics(),
                        parsed.warnings());
        List<PayloadFile> extras = List.of(inMemory(name, vmxPath.toString(), bytes));
        return new LocalSource(Kind.VMX, vmxPath, vm, disks, extras, Optional.empty(), List.of());
    }

    /**
     * How far a gzip-marked disk may inflate: its declared capacity plus its format's overhead. A
     * disk without a declared capacity cannot be bounded and is refused before anything is read.
     */
    private static Optional<DecompressionLimit> inflateLimit(SourceVm.SourceDisk d, String what) {
        if (!d.gzip()) {
            return Optional.empty();
        }
        if (d.capacityBytes() <= 0) {
            throw new InvalidSourceException(
                    what
                            + " is gzip-compressed but its disk declares no capacity, so its"
                            + " decompressed size cannot be bounded; refer to it from DiskSection (ovf:/disk/<id>) with ovf:capacity");
        }
        return Optional.of(DecompressionLimit.forDisk(what, d.capacityBytes(), d.format()));
    }

    /**
     * A name for the output directory: a plain file name, unique, never hidden, never the manifest.
     */
    private static String outputName(Path source, String rel, boolean gzip, List<String> taken) {
        String base = baseName(rel);
        if (gzip && base.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            base = base.substring(0, base.length() - 3);
        }
        if (base.isEmpty() || base.startsWith(".") || base.equals("artifact-manifest.json")) {
            throw new InvalidSourceException(
                    source + ": file name '" + rel + "' cannot be used in the output directory");
        }
        base = VmNames.fitFileName(base, VmNames.MAX_FINAL_NAME_BYTES);
        if (taken.contains(base)) {
            throw new InvalidSourceException(
                    source + ": two disks are both named '" + base + "'; rename one of them");
        }
        taken.add(base);
        return base;
    }

    /**
     * A descriptor-relative file name, refusing absolute paths and any way out of the package
     * directory.
     */
    private static String relativeInside(Path descriptor, String href) {
        if (href.startsWith("/") || href.contains("\\") || href.indexOf('\0') >= 0) {
            throw new UnsafeArchiveException(
                    descriptor
                            + " lists disk file '"
                            + href
                            + "' outside its directory; only files"
                            + " inside the OVF package are read");
        }
        List<String> parts = new ArrayList<>();
        for (String p : href.split("/")) {
            if (p.equals("..")) {
                throw new UnsafeArchiveException(
                        descriptor
                                + " lists disk file '"
                                + href
                                + "' outside its directory; only files"
                                + " inside the OVF package are read");
            }
            if (!p.isEmpty() && !p.equals(".")) {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    private static Optional<OvfManifestFile.Entry> mfEntry(
            Optional<OvfManifestFile> mf, String rel, List<String> warnings, String what) {
        if (mf.isEmpty()) {
            return Optional.empty();
        }
        Optional<OvfManifestFile.Entry> e =
                mf.get().entry(rel).or(() -> mf.get().entry(baseName(rel)));
        if (e.isEmpty()) {
            warnings.add(
                    what
                            + " is not listed in "
                            + mf.get().name()
                            + "; its integrity was not checked");
        }
        return e;
    }

    private static void verifyInMemory(
            byte[] bytes, String what, String nameInMf, Optional<OvfManifestFile> mf) {
        if (mf.isEmpty()) {
            return;
        }
        Optional<OvfManifestFile.Entry> e = mf.get().entry(nameInMf);
        if (e.isPresent()) {
            String got =
                    java.util.HexFormat.of()
                            .formatHex(DiskCopy.digest(e.get().jdkAlgorithm()).digest(bytes));
            if (!got.equals(e.get().hex())) {
                throw new IntegrityException(
                        what
                                + " does not match its "
                                + e.get().algorithm()
                                + " in "
                                + mf.get().name()
                                + " (expected "
                                + e.get().hex()
                                + ", got "
                                + got
                                + "); the package is corrupt or was modified");
            }
        }
    }

    private static void checkMfCoversOnlyPackageFiles(
            Optional<OvfManifestFile> mf, List<String> packageFiles, String source) {
        if (mf.isEmpty()) {
            return;
        }
        for (String listed : mf.get().entries().keySet()) {
            if (!packageFiles.contains(listed) && !packageFiles.contains(baseName(listed))) {
                throw new IntegrityException(
                        mf.get().name()
                                + " lists '"
                                + listed
                                + "' but "
                                + source
                                + " has no such file; the package is incomplete");
            }
        }
    }

    private static void requireFile(Path ova, TarIndex.Member m) {
        if (m.kind() != TarIndex.Kind.FILE) {
            String kind =
                    switch (m.kind()) {
                        case SYMLINK -> "symlink";
                        case HARDLINK -> "hardlink";
                        case DIRECTORY -> "directory";
                        default -> "special file (device, FIFO or GNU sparse member)";
                    };
            throw new UnsafeArchiveException(
                    ova
                            + " is unsafe: member '"
                            + m.name()
                            + "' is a "
                            + kind
                            + ", not a regular file; OVA descriptors and disks must be regular files");
        }
    }

    private static byte[] readMember(TarIndex index, TarIndex.Member m) {
        try (InputStream in = index.open(m)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new InvalidSourceException(
                    "cannot read " + index.archive() + "!" + m.name() + ": " + e.getMessage());
        }
    }

    private static byte[] readSmall(Path p) {
        try {
            if (Files.size(p) > MAX_DESCRIPTOR) {
                throw new InvalidSourceException(
                        p + " is larger than 16 MiB; it is not a VM descriptor");
            }
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new InvalidSourceException(
                    "cannot read "
                            + p
                            + ": "
                            + e.getMessage()
                            + "; check that it exists and is readable");
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new InvalidSourceException("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static PayloadFile inMemory(String outputName, String what, byte[] bytes) {
        return new PayloadFile(
                outputName,
                what,
                bytes.length,
                Optional.empty(),
                Optional.empty(),
                () -> new ByteArrayInputStream(bytes));
    }

    /**
     * Refuses a file name with a control character (an href with {@code &#10;} would create a file
     * whose name forges a line in every listing): such a name is refused, not mapped, because the
     * descriptor copied next to the disks must keep naming the files it lists.
     */
    private static void requirePrintableName(Path source, String outputName) {
        if (TerminalText.hasControl(outputName)) {
            throw new InvalidSourceException(
                    source
                            + ": file name '"
                            + TerminalText.escape(outputName)
                            + "' holds a control character (shown escaped) and is not written as a file name; rename the file"
                            + " in the package and its ovf:href in the descriptor");
        }
    }

    static String baseName(String rel) {
        int i = rel.lastIndexOf('/');
        return i >= 0 ? rel.substring(i + 1) : rel;
    }
}
