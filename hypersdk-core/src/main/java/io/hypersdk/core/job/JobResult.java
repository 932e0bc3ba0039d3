package io.hypersdk.core.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a finished job ({@code result}). The seed's fields plus what the conversion did
 * ({@code conversion_mode}, {@code conversion_mode_reason}, {@code converted_images}, {@code
 * libvirt_domain}), which the seed dropped.
 *
 * @param vmName VM name ({@code vm_name})
 * @param outputDir export directory ({@code output_dir})
 * @param ovfPath the OVF/OVA file ({@code ovf_path})
 * @param files exported files ({@code files})
 * @param totalSize bytes exported ({@code total_size})
 * @param duration how long it took ({@code duration}, written as integer nanoseconds)
 * @param success whether it succeeded ({@code success})
 * @param error the failure message ({@code error})
 * @param conversionMode {@code direct}, {@code daemon} or {@code qemu-img} ({@code
 *     conversion_mode})
 * @param conversionModeReason why that mode ran ({@code conversion_mode_reason})
 * @param convertedImages the converted images ({@code converted_images})
 * @param libvirtDomain the defined domain ({@code libvirt_domain})
 */
@JsonInclude(JsonInclude.Include.NON_ABSENT)
@JsonPropertyOrder({
    "vm_name",
    "output_dir",
    "ovf_path",
    "files",
    "total_size",
    "duration",
    "success",
    "error",
    "conversion_mode",
    "conversion_mode_reason",
    "converted_images",
    "libvirt_domain"
})
public record JobResult(
        @JsonProperty("vm_name") String vmName,
        @JsonProperty("output_dir") String outputDir,
        @JsonProperty("ovf_path") Optional<String> ovfPath,
        @JsonProperty("files") List<String> files,
        @JsonProperty("total_size") long totalSize,
        @JsonProperty("duration")
                @JsonSerialize(using = NanosDuration.Writer.class)
                @JsonDeserialize(using = NanosDuration.Reader.class)
                Duration duration,
        @JsonProperty("success") boolean success,
        @JsonProperty("error") Optional<String> error,
        @JsonProperty("conversion_mode") Optional<String> conversionMode,
        @JsonProperty("conversion_mode_reason") Optional<String> conversionModeReason,
        @JsonProperty("converted_images") List<String> convertedImages,
        @JsonProperty("libvirt_domain") Optional<String> libvirtDomain) {

    /** Replaces nulls by empty. */
    public JobResult {
        vmName = vmName == null ? "" : vmName;
        outputDir = outputDir == null ? "" : outputDir;
        ovfPath = Jobs.opt(ovfPath);
        files = Jobs.list(files);
        duration = duration == null ? Duration.ZERO : duration;
        error = Jobs.opt(error);
        conversionMode = Jobs.opt(conversionMode);
        conversionModeReason = Jobs.opt(conversionModeReason);
        convertedImages = Jobs.list(convertedImages);
        libvirtDomain = Jobs.opt(libvirtDomain);
    }

    /**
     * A result without conversion details.
     *
     * @param vmName VM name
     * @param outputDir export directory
     * @param files exported files
     * @param totalSize bytes
     * @param duration elapsed time
     * @param error the failure, empty on success
     * @return the result; {@code success} is true when {@code error} is empty
     */
    public static JobResult of(
            String vmName,
            String outputDir,
            List<String> files,
            long totalSize,
            Duration duration,
            Optional<String> error) {
        Objects.requireNonNull(error, "error");
        return new JobResult(
                vmName,
                outputDir,
                Optional.empty(),
                files,
                totalSize,
                duration,
                error.isEmpty(),
                error,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty());
    }
}
