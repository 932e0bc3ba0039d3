package io.hypersdk.core.manifest;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which hyper2kvm stages to run ({@code pipeline}). Every boolean of a present stage is written, so
 * an explicit {@code false} is never mistaken for "use the converter's default".
 *
 * @param inspect {@code pipeline.inspect}
 * @param fix {@code pipeline.fix}
 * @param convert {@code pipeline.convert}
 * @param validate {@code pipeline.validate}
 */
public record PipelineStages(
        Optional<Inspect> inspect,
        Optional<Fix> fix,
        Optional<Convert> convert,
        Optional<Validate> validate) {

    /** Checks for nulls. */
    public PipelineStages {
        Objects.requireNonNull(inspect, "inspect");
        Objects.requireNonNull(fix, "fix");
        Objects.requireNonNull(convert, "convert");
        Objects.requireNonNull(validate, "validate");
    }

    /**
     * All four stages with upstream's helper defaults (every sub-option on, {@code
     * fstab_mode=stabilize-all}) and the given toggles.
     *
     * @param inspect run inspect
     * @param fix run fix
     * @param convert run convert
     * @param validate run validate
     * @param compress compress the qcow2 output
     * @param compressLevel compression level 1-9, empty for the converter's default
     * @return the stages
     */
    public static PipelineStages of(
            boolean inspect,
            boolean fix,
            boolean convert,
            boolean validate,
            boolean compress,
            OptionalInt compressLevel) {
        return new PipelineStages(
                Optional.of(new Inspect(inspect, true)),
                Optional.of(
                        new Fix(fix, true, false, true, true, true, Optional.of("stabilize-all"))),
                Optional.of(new Convert(convert, compress, compressLevel)),
                Optional.of(new Validate(validate, true)));
    }

    /** A pipeline stage: whether it runs. */
    public sealed interface Stage permits Inspect, Fix, Convert, Validate {
        /**
         * Whether the stage runs.
         *
         * @return the {@code enabled} field
         */
        boolean enabled();
    }

    /**
     * {@code pipeline.inspect}.
     *
     * @param enabled {@code enabled}
     * @param collectGuestInfo {@code collect_guest_info}
     */
    public record Inspect(boolean enabled, boolean collectGuestInfo) implements Stage {}

    /**
     * {@code pipeline.fix}.
     *
     * @param enabled {@code enabled}
     * @param backup {@code backup}
     * @param printFstab {@code print_fstab}
     * @param updateGrub {@code update_grub}
     * @param regenInitramfs {@code regen_initramfs}
     * @param removeVmwareTools {@code remove_vmware_tools}
     * @param fstabMode {@code fstab_mode}: stabilize-all, bypath-only or noop (not validated)
     */
    public record Fix(
            boolean enabled,
            boolean backup,
            boolean printFstab,
            boolean updateGrub,
            boolean regenInitramfs,
            boolean removeVmwareTools,
            Optional<String> fstabMode)
            implements Stage {
        /** Checks for nulls. */
        public Fix {
            Objects.requireNonNull(fstabMode, "fstabMode");
        }
    }

    /**
     * {@code pipeline.convert}.
     *
     * @param enabled {@code enabled}
     * @param compress {@code compress}
     * @param compressLevel {@code compress_level}, 1-9
     */
    public record Convert(boolean enabled, boolean compress, OptionalInt compressLevel)
            implements Stage {
        /** Checks for nulls. */
        public Convert {
            Objects.requireNonNull(compressLevel, "compressLevel");
        }
    }

    /**
     * {@code pipeline.validate}.
     *
     * @param enabled {@code enabled}
     * @param checkImageIntegrity {@code check_image_integrity}
     */
    public record Validate(boolean enabled, boolean checkImageIntegrity) implements Stage {}
}
