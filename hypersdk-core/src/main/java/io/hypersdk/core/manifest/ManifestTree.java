package io.hypersdk.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Maps {@link ArtifactManifest} to and from a JSON tree, field for field. */
final class ManifestTree {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final Path EMPTY_PATH = Path.of("");

    private ManifestTree() {}

    // ---------------------------------------------------------------- writing

    static ObjectNode toTree(ArtifactManifest m) {
        ObjectNode root = F.objectNode();
        root.put("manifest_version", m.manifestVersion());
        m.source()
                .ifPresent(
                        s -> {
                            ObjectNode o = root.putObject("source");
                            o.put("provider", s.provider());
                            s.vmId().ifPresent(v -> o.put("vm_id", v));
                            s.vmName().ifPresent(v -> o.put("vm_name", v));
                            s.datacenter().ifPresent(v -> o.put("datacenter", v));
                            s.exportMethod().ifPresent(v -> o.put("export_method", v));
                            s.exportTimestamp().ifPresent(v -> o.put("export_timestamp", time(v)));
                        });
        m.vm().ifPresent(
                        vm -> {
                            ObjectNode o = root.putObject("vm");
                            o.put("cpu", vm.cpu());
                            o.put("mem_gb", vm.memGb());
                            o.put("firmware", vm.firmware().id());
                            o.put("secureboot", vm.secureboot());
                            vm.osHint().ifPresent(v -> o.put("os_hint", v));
                            vm.osVersion().ifPresent(v -> o.put("os_version", v));
                        });
        ArrayNode disks = root.putArray("disks");
        for (DiskArtifact d : m.disks()) {
            ObjectNode o = disks.addObject();
            o.put("id", d.id());
            o.put("source_format", d.sourceFormat().id());
            o.put("bytes", d.bytes());
            o.put("local_path", d.localPath().toString());
            d.checksum().ifPresent(v -> o.put("checksum", v));
            o.put("boot_order_hint", d.bootOrderHint());
            d.label().ifPresent(v -> o.put("label", v));
            o.put("disk_type", d.diskType().id());
        }
        if (!m.nics().isEmpty()) {
            ArrayNode nics = root.putArray("nics");
            for (NicArtifact n : m.nics()) {
                ObjectNode o = nics.addObject();
                n.id().ifPresent(v -> o.put("id", v));
                n.mac().ifPresent(v -> o.put("mac", v));
                n.network().ifPresent(v -> o.put("network", v));
            }
        }
        if (!m.warnings().isEmpty()) {
            ArrayNode warnings = root.putArray("warnings");
            for (ManifestWarning w : m.warnings()) {
                ObjectNode o = warnings.addObject();
                o.put("stage", w.stage());
                o.put("message", w.message());
                w.timestamp().ifPresent(v -> o.put("timestamp", time(v)));
            }
        }
        if (!m.notes().isEmpty()) {
            ArrayNode notes = root.putArray("notes");
            m.notes().forEach(notes::add);
        }
        m.metadata()
                .ifPresent(
                        md -> {
                            ObjectNode o = root.putObject("metadata");
                            md.hypersdkVersion().ifPresent(v -> o.put("hypersdk_version", v));
                            md.jobId().ifPresent(v -> o.put("job_id", v));
                            md.createdAt().ifPresent(v -> o.put("created_at", time(v)));
                            if (!md.tags().isEmpty()) {
                                ObjectNode tags = o.putObject("tags");
                                md.tags().forEach(tags::put);
                            }
                        });
        m.pipeline()
                .ifPresent(
                        p -> {
                            ObjectNode o = root.putObject("pipeline");
                            p.inspect()
                                    .ifPresent(
                                            s ->
                                                    o.putObject("inspect")
                                                            .put("enabled", s.enabled())
                                                            .put(
                                                                    "collect_guest_info",
                                                                    s.collectGuestInfo()));
                            p.fix()
                                    .ifPresent(
                                            s -> {
                                                ObjectNode f =
                                                        o.putObject("fix")
                                                                .put("enabled", s.enabled())
                                                                .put("backup", s.backup())
                                                                .put("print_fstab", s.printFstab())
                                                                .put("update_grub", s.updateGrub())
                                                                .put(
                                                                        "regen_initramfs",
                                                                        s.regenInitramfs())
                                                                .put(
                                                                        "remove_vmware_tools",
                                                                        s.removeVmwareTools());
                                                s.fstabMode()
                                                        .ifPresent(v -> f.put("fstab_mode", v));
                                            });
                            p.convert()
                                    .ifPresent(
                                            s -> {
                                                ObjectNode c =
                                                        o.putObject("convert")
                                                                .put("enabled", s.enabled())
                                                                .put("compress", s.compress());
                                                s.compressLevel()
                                                        .ifPresent(v -> c.put("compress_level", v));
                                            });
                            p.validate()
                                    .ifPresent(
                                            s ->
                                                    o.putObject("validate")
                                                            .put("enabled", s.enabled())
                                                            .put(
                                                                    "check_image_integrity",
                                                                    s.checkImageIntegrity()));
                        });
        m.configuration().ifPresent(c -> root.set("configuration", PLAIN.valueToTree(c)));
        m.output()
                .ifPresent(
                        out -> {
                            ObjectNode o = root.putObject("output");
                            out.directory().ifPresent(v -> o.put("directory", v.toString()));
                            out.format().ifPresent(v -> o.put("format", v));
                            out.filename().ifPresent(v -> o.put("filename", v));
                        });
        m.options()
                .ifPresent(
                        opt -> {
                            ObjectNode o = root.putObject("options");
                            o.put("dry_run", opt.dryRun());
                            o.put("verbose", opt.verbose());
                            opt.report()
                                    .ifPresent(
                                            r -> {
                                                ObjectNode rep =
                                                        o.putObject("report")
                                                                .put("enabled", r.enabled());
                                                r.path().ifPresent(v -> rep.put("path", v));
                                            });
                        });
        return root;
    }

    private static String time(Instant instant) {
        return instant.toString();
    }

    // ---------------------------------------------------------------- reading

    /**
     * Decodes a tree; every problem is added to {@code violations}. Returns empty only when the
     * root is not an object. Fields that could not be decoded hold placeholders (so list indices
     * stay aligned for the validator); the result must not be used when violations were added.
     */
    static Optional<ArtifactManifest> fromTree(
            JsonNode root, boolean yaml, List<Violation> violations) {
        TreeReader r = new TreeReader(violations);
        if (!root.isObject()) {
            r.add("$", "a manifest must be an object (got: " + TreeReader.kind(root) + ")");
            return Optional.empty();
        }
        ArtifactManifest.Builder b = ArtifactManifest.builder();

        Optional<JsonNode> version = TreeReader.field(root, "manifest_version");
        if (version.isEmpty()) {
            r.add("manifest_version", "is required (use \"1.0\")");
        } else if (version.get().isTextual() || (yaml && version.get().isNumber())) {
            b.manifestVersion(version.get().asText());
        } else {
            r.add(
                    "manifest_version",
                    "must be a string (got: " + TreeReader.kind(version.get()) + ")");
        }

        r.object(root, "source", "source")
                .ifPresent(
                        s -> {
                            Optional<String> provider =
                                    r.string(s, "provider", "source.provider", true);
                            ManifestSource src =
                                    new ManifestSource(
                                            provider.orElse(""),
                                            r.string(s, "vm_id", "source.vm_id", false),
                                            r.string(s, "vm_name", "source.vm_name", false),
                                            r.string(s, "datacenter", "source.datacenter", false),
                                            r.string(
                                                    s,
                                                    "export_method",
                                                    "source.export_method",
                                                    false),
                                            r.instant(
                                                    s,
                                                    "export_timestamp",
                                                    "source.export_timestamp"));
                            b.source(src);
                        });

        r.object(root, "vm", "vm")
                .ifPresent(
                        v -> {
                            OptionalInt cpu = r.intValue(v, "cpu", "vm.cpu", false);
                            OptionalInt mem = r.intValue(v, "mem_gb", "vm.mem_gb", false);
                            Optional<Firmware> fw =
                                    r.enumValue(
                                            v,
                                            "firmware",
                                            "vm.firmware",
                                            false,
                                            Firmware::parse,
                                            Firmware.allowed());
                            Optional<Boolean> sb = r.bool(v, "secureboot", "vm.secureboot", false);
                            b.vm(
                                    new ManifestVm(
                                            cpu.orElse(0),
                                            mem.orElse(0),
                                            fw.orElse(Firmware.BIOS),
                                            sb.orElse(false),
                                            r.string(v, "os_hint", "vm.os_hint", false),
                                            r.string(v, "os_version", "vm.os_version", false)));
                        });

        List<DiskArtifact> disks = new ArrayList<>();
        r.array(root, "disks", "disks", true)
                .ifPresent(
                        arr -> {
                            for (int i = 0; i < arr.size(); i++) {
                                String p = "disks[" + i + "]";
                                JsonNode d = arr.get(i);
                                if (!d.isObject()) {
                                    r.add(p, "must be an object (got: " + TreeReader.kind(d) + ")");
                                    continue;
                                }
                                Optional<String> id = r.string(d, "id", p + ".id", true);
                                Optional<DiskFormat> format =
                                        r.enumValue(
                                                d,
                                                "source_format",
                                                p + ".source_format",
                                                true,
                                                DiskFormat::parse,
                                                DiskFormat.allowed());
                                OptionalLong bytes =
                                        r.integer(
                                                d,
                                                "bytes",
                                                p + ".bytes",
                                                true,
                                                Long.MIN_VALUE,
                                                Long.MAX_VALUE);
                                Optional<Path> local =
                                        r.path(d, "local_path", p + ".local_path", true);
                                Optional<String> checksum =
                                        r.string(d, "checksum", p + ".checksum", false);
                                OptionalInt boot =
                                        r.intValue(
                                                d,
                                                "boot_order_hint",
                                                p + ".boot_order_hint",
                                                false);
                                Optional<String> label = r.string(d, "label", p + ".label", false);
                                Optional<DiskType> type =
                                        r.enumValue(
                                                d,
                                                "disk_type",
                                                p + ".disk_type",
                                                false,
                                                DiskType::parse,
                                                DiskType.allowed());
                                // placeholders keep the indices aligned for the validator; the
                                // decoding violations
                                // already name these fields, and the codec reports one violation
                                // per path
                                disks.add(
                                        new DiskArtifact(
                                                id.orElse(""),
                                                format.orElse(DiskFormat.RAW),
                                                bytes.orElse(0),
                                                local.orElse(EMPTY_PATH),
                                                checksum,
                                                boot.orElse(DiskArtifact.DEFAULT_BOOT_ORDER_HINT),
                                                label,
                                                type.orElse(DiskType.UNKNOWN)));
                            }
                        });
        b.disks(disks);

        r.array(root, "nics", "nics", false)
                .ifPresent(
                        arr -> {
                            for (int i = 0; i < arr.size(); i++) {
                                String p = "nics[" + i + "]";
                                JsonNode n = arr.get(i);
                                if (!n.isObject()) {
                                    r.add(p, "must be an object (got: " + TreeReader.kind(n) + ")");
                                    continue;
                                }
                                b.addNic(
                                        new NicArtifact(
                                                r.string(n, "id", p + ".id", false),
                                                r.string(n, "mac", p + ".mac", false),
                                                r.string(n, "network", p + ".network", false)));
                            }
                        });

        r.array(root, "warnings", "warnings", false)
                .ifPresent(
                        arr -> {
                            for (int i = 0; i < arr.size(); i++) {
                                String p = "warnings[" + i + "]";
                                JsonNode w = arr.get(i);
                                if (!w.isObject()) {
                                    r.add(p, "must be an object (got: " + TreeReader.kind(w) + ")");
                                    continue;
                                }
                                Optional<String> stage = r.string(w, "stage", p + ".stage", true);
                                Optional<String> message =
                                        r.string(w, "message", p + ".message", true);
                                Optional<Instant> ts = r.instant(w, "timestamp", p + ".timestamp");
                                b.addWarning(
                                        new ManifestWarning(
                                                stage.orElse(""), message.orElse(""), ts));
                            }
                        });

        r.array(root, "notes", "notes", false)
                .ifPresent(
                        arr -> {
                            for (int i = 0; i < arr.size(); i++) {
                                JsonNode n = arr.get(i);
                                if (n.isTextual()) {
                                    b.addNote(n.textValue());
                                } else {
                                    r.add(
                                            "notes[" + i + "]",
                                            "must be a string (got: " + TreeReader.kind(n) + ")");
                                }
                            }
                        });

        r.object(root, "metadata", "metadata")
                .ifPresent(
                        md -> {
                            Map<String, String> tags = new LinkedHashMap<>();
                            r.object(md, "tags", "metadata.tags")
                                    .ifPresent(
                                            t -> {
                                                for (Map.Entry<String, JsonNode> e :
                                                        t.properties()) {
                                                    if (e.getValue().isTextual()) {
                                                        tags.put(
                                                                e.getKey(),
                                                                e.getValue().textValue());
                                                    } else {
                                                        r.add(
                                                                "metadata.tags." + e.getKey(),
                                                                "must be a string (got: "
                                                                        + TreeReader.kind(
                                                                                e.getValue())
                                                                        + ")");
                                                    }
                                                }
                                            });
                            b.metadata(
                                    new ManifestMetadata(
                                            r.string(
                                                    md,
                                                    "hypersdk_version",
                                                    "metadata.hypersdk_version",
                                                    false),
                                            r.string(md, "job_id", "metadata.job_id", false),
                                            r.instant(md, "created_at", "metadata.created_at"),
                                            tags));
                        });

        r.object(root, "pipeline", "pipeline")
                .ifPresent(
                        p -> {
                            Optional<PipelineStages.Inspect> inspect =
                                    r.object(p, "inspect", "pipeline.inspect")
                                            .map(
                                                    s ->
                                                            new PipelineStages.Inspect(
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "enabled",
                                                                            "pipeline.inspect",
                                                                            true),
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "collect_guest_info",
                                                                            "pipeline.inspect",
                                                                            false)));
                            Optional<PipelineStages.Fix> fix =
                                    r.object(p, "fix", "pipeline.fix")
                                            .map(
                                                    s ->
                                                            new PipelineStages.Fix(
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "enabled",
                                                                            "pipeline.fix",
                                                                            true),
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "backup",
                                                                            "pipeline.fix",
                                                                            false),
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "print_fstab",
                                                                            "pipeline.fix",
                                                                            false),
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "update_grub",
                                                                            "pipeline.fix",
                                                                            false),
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "regen_initramfs",
                                                                            "pipeline.fix",
                                                                            false),
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "remove_vmware_tools",
                                                                            "pipeline.fix",
                                                                            false),
                                                                    r.string(
                                                                            s,
                                                                            "fstab_mode",
                                                                            "pipeline.fix.fstab_mode",
                                                                            false)));
                            Optional<PipelineStages.Convert> convert =
                                    r.object(p, "convert", "pipeline.convert")
                                            .map(
                                                    s ->
                                                            new PipelineStages.Convert(
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "enabled",
                                                                            "pipeline.convert",
                                                                            true),
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "compress",
                                                                            "pipeline.convert",
                                                                            false),
                                                                    r.intValue(
                                                                            s,
                                                                            "compress_level",
                                                                            "pipeline.convert.compress_level",
                                                                            false)));
                            Optional<PipelineStages.Validate> validate =
                                    r.object(p, "validate", "pipeline.validate")
                                            .map(
                                                    s ->
                                                            new PipelineStages.Validate(
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "enabled",
                                                                            "pipeline.validate",
                                                                            true),
                                                                    flag(
                                                                            r,
                                                                            s,
                                                                            "check_image_integrity",
                                                                            "pipeline.validate",
                                                                            false)));
                            b.pipeline(new PipelineStages(inspect, fix, convert, validate));
                        });

        r.object(root, "configuration", "configuration")
                .ifPresent(
                        c -> {
                            @SuppressWarnings("unchecked")
                            Map<String, Object> map = PLAIN.convertValue(c, LinkedHashMap.class);
                            b.configuration(map);
                        });

        r.object(root, "output", "output")
                .ifPresent(
                        o ->
                                b.output(
                                        new OutputSpec(
                                                r.path(o, "directory", "output.directory", false),
                                                r.string(o, "format", "output.format", false),
                                                r.string(
                                                        o, "filename", "output.filename", false))));

        r.object(root, "options", "options")
                .ifPresent(
                        o -> {
                            Optional<ManifestOptions.Report> report =
                                    r.object(o, "report", "options.report")
                                            .map(
                                                    rep ->
                                                            new ManifestOptions.Report(
                                                                    r.bool(
                                                                                    rep,
                                                                                    "enabled",
                                                                                    "options.report.enabled",
                                                                                    false)
                                                                            .orElse(true),
                                                                    r.string(
                                                                            rep,
                                                                            "path",
                                                                            "options.report.path",
                                                                            false)));
                            b.options(
                                    new ManifestOptions(
                                            r.bool(o, "dry_run", "options.dry_run", false)
                                                    .orElse(false),
                                            r.intValue(o, "verbose", "options.verbose", false)
                                                    .orElse(1),
                                            report));
                        });

        return Optional.of(b.build());
    }

    private static boolean flag(
            TreeReader r, JsonNode obj, String name, String parent, boolean required) {
        return r.bool(obj, name, parent + "." + name, required).orElse(false);
    }
}
