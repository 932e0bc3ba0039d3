package io.hypersdk.core.job;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hypersdk.core.manifest.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One export job as submitted to the web API ({@code POST /jobs/submit}).
 *
 * <p>The seed's example:
 *
 * <pre>{@code
 * {"name": "web-01", "vm_path": "/DC1/vm/web-01", "output_dir": "/tmp/export", "format": "ovf",
 *  "options": {"enable_pipeline": true, "hyper2kvm_daemon": true, ...}}
 * }</pre>
 *
 * <p>{@code output_path} is read as {@code output_dir} and {@code method} as {@code export_method};
 * both are written under the canonical name.
 *
 * @param id job id ({@code id}; the server generates one when absent)
 * @param name display name ({@code name})
 * @param vmPath the VM's inventory path or name ({@code vm_path}, required)
 * @param outputDir export directory ({@code output_dir}, alias {@code output_path})
 * @param format {@code ovf} (default) or {@code ova} ({@code format})
 * @param options export and hand-off options ({@code options})
 * @param vcenter vCenter connection ({@code vcenter}); its password is never written
 * @param vcenterUrl legacy top-level vCenter URL ({@code vcenter_url})
 * @param username legacy top-level user ({@code username})
 * @param insecure legacy top-level TLS switch ({@code insecure})
 * @param datacenter datacenter ({@code datacenter})
 * @param exportMethod {@code ctl}, {@code govc}, {@code ovftool}, {@code web} or empty for
 *     automatic ({@code export_method}, alias {@code method})
 * @param compress gzip the OVA ({@code compress})
 * @param thin thin-provisioned disks ({@code thin})
 * @param createdAt submission time ({@code created_at}, RFC 3339)
 * @param metadata free-form values ({@code metadata})
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({
    "id",
    "name",
    "vm_path",
    "output_dir",
    "format",
    "options",
    "vcenter",
    "vcenter_url",
    "username",
    "insecure",
    "datacenter",
    "export_method",
    "compress",
    "thin",
    "created_at",
    "metadata"
})
public record JobDefinition(
        @JsonProperty("id") Optional<String> id,
        @JsonProperty("name") Optional<String> name,
        @JsonProperty("vm_path") String vmPath,
        @JsonProperty("output_dir") @JsonAlias("output_path") Optional<String> outputDir,
        @JsonProperty("format") Optional<String> format,
        @JsonProperty("options") Optional<JobOptions> options,
        @JsonProperty("vcenter") Optional<VCenterCredentials> vcenter,
        @JsonProperty("vcenter_url") Optional<String> vcenterUrl,
        @JsonProperty("username") Optional<String> username,
        @JsonProperty("insecure") Optional<Boolean> insecure,
        @JsonProperty("datacenter") Optional<String> datacenter,
        @JsonProperty("export_method") @JsonAlias("method") Optional<String> exportMethod,
        @JsonProperty("compress") Optional<Boolean> compress,
        @JsonProperty("thin") Optional<Boolean> thin,
        @JsonProperty("created_at") Optional<Instant> createdAt,
        @JsonProperty("metadata") Optional<Map<String, Object>> metadata) {

    private static final Set<String> FORMATS = Set.of("ovf", "ova");
    private static final Set<String> METHODS = Set.of("", "ctl", "govc", "ovftool", "web");

    /** Replaces nulls by empty ({@code vm_path} stays as given; see {@link #validate()}). */
    public JobDefinition {
        vmPath = vmPath == null ? "" : vmPath;
        id = Jobs.opt(id);
        name = Jobs.opt(name);
        outputDir = Jobs.opt(outputDir);
        format = Jobs.opt(format);
        options = Jobs.opt(options);
        vcenter = Jobs.opt(vcenter);
        vcenterUrl = Jobs.opt(vcenterUrl);
        username = Jobs.opt(username);
        insecure = Jobs.opt(insecure);
        datacenter = Jobs.opt(datacenter);
        exportMethod = Jobs.opt(exportMethod);
        compress = Jobs.opt(compress);
        thin = Jobs.opt(thin);
        createdAt = Jobs.opt(createdAt);
        metadata = Jobs.map(metadata);
    }

    /**
     * A definition with only {@code vm_path} set.
     *
     * @param vmPath the VM
     * @return the definition
     */
    public static JobDefinition of(String vmPath) {
        return new JobDefinition(
                null, null, vmPath, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    /**
     * Returns a copy with the name set.
     *
     * @param v {@code name}
     * @return a copy with the name set
     */
    public JobDefinition withName(String v) {
        return new JobDefinition(
                id,
                Optional.of(v),
                vmPath,
                outputDir,
                format,
                options,
                vcenter,
                vcenterUrl,
                username,
                insecure,
                datacenter,
                exportMethod,
                compress,
                thin,
                createdAt,
                metadata);
    }

    /**
     * Returns a copy with the id set.
     *
     * @param v {@code id}
     * @return a copy with the id set
     */
    public JobDefinition withId(String v) {
        return new JobDefinition(
                Optional.of(v),
                name,
                vmPath,
                outputDir,
                format,
                options,
                vcenter,
                vcenterUrl,
                username,
                insecure,
                datacenter,
                exportMethod,
                compress,
                thin,
                createdAt,
                metadata);
    }

    /**
     * Returns a copy with the output directory set.
     *
     * @param v {@code output_dir}
     * @return a copy with the output directory set
     */
    public JobDefinition withOutputDir(String v) {
        return new JobDefinition(
                id,
                name,
                vmPath,
                Optional.of(v),
                format,
                options,
                vcenter,
                vcenterUrl,
                username,
                insecure,
                datacenter,
                exportMethod,
                compress,
                thin,
                createdAt,
                metadata);
    }

    /**
     * Returns a copy with the format set.
     *
     * @param v {@code format}
     * @return a copy with the format set
     */
    public JobDefinition withFormat(String v) {
        return new JobDefinition(
                id,
                name,
                vmPath,
                outputDir,
                Optional.of(v),
                options,
                vcenter,
                vcenterUrl,
                username,
                insecure,
                datacenter,
                exportMethod,
                compress,
                thin,
                createdAt,
                metadata);
    }

    /**
     * Returns a copy with the options set.
     *
     * @param v {@code options}
     * @return a copy with the options set
     */
    public JobDefinition withOptions(JobOptions v) {
        return new JobDefinition(
                id,
                name,
                vmPath,
                outputDir,
                format,
                Optional.of(v),
                vcenter,
                vcenterUrl,
                username,
                insecure,
                datacenter,
                exportMethod,
                compress,
                thin,
                createdAt,
                metadata);
    }

    /**
     * Returns a copy with the vCenter connection set.
     *
     * @param v {@code vcenter}
     * @return a copy with the vCenter connection set
     */
    public JobDefinition withVcenter(VCenterCredentials v) {
        return new JobDefinition(
                id,
                name,
                vmPath,
                outputDir,
                format,
                options,
                Optional.of(v),
                vcenterUrl,
                username,
                insecure,
                datacenter,
                exportMethod,
                compress,
                thin,
                createdAt,
                metadata);
    }

    /**
     * Every broken rule: {@code vm_path} required; {@code format} ovf or ova; {@code export_method}
     * one of ctl, govc, ovftool, web; {@code id} a valid job id; the ranges of the options (poll
     * 1-60 s, daemon timeout 1-240 min, parallel downloads 1-16, compress level 1-9), a valid
     * instance name, absolute daemon directories, known layout and converter.
     *
     * @return the violations with their field paths, empty when valid
     */
    public List<Violation> validate() {
        List<Violation> out = new ArrayList<>();
        id.filter(s -> !s.isEmpty())
                .ifPresent(
                        s -> {
                            try {
                                io.hypersdk.core.JobId.parse(s);
                            } catch (IllegalArgumentException e) {
                                out.add(new Violation("id", e.getMessage()));
                            }
                        });
        if (vmPath.isBlank()) {
            out.add(
                    new Violation(
                            "vm_path",
                            "is required (the VM's inventory path, e.g. /DC1/vm/web-01)"));
        }
        format.filter(f -> !FORMATS.contains(f))
                .ifPresent(
                        f ->
                                out.add(
                                        new Violation(
                                                "format",
                                                "\"" + f + "\" must be one of: ovf, ova")));
        exportMethod
                .filter(m -> !METHODS.contains(m))
                .ifPresent(
                        m ->
                                out.add(
                                        new Violation(
                                                "export_method",
                                                "\""
                                                        + m
                                                        + "\" must be one of: ctl, govc, ovftool, web (or empty)")));
        options.ifPresent(o -> JobSettingsMapping.validate(o, "options.", out));
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "JobDefinition[id="
                + id.orElse("")
                + ", name="
                + name.orElse("")
                + ", vmPath="
                + vmPath
                + ", outputDir="
                + outputDir.orElse("")
                + ", format="
                + format.orElse("")
                + ", options="
                + options.map(Object::toString).orElse("")
                + ", vcenter="
                + vcenter.map(Object::toString).orElse("")
                + "]";
    }
}
