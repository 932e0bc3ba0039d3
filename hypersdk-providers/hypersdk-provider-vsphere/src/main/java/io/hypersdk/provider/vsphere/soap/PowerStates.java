package io.hypersdk.provider.vsphere.soap;

import io.hypersdk.provider.spi.PowerState;
import java.util.Optional;

/**
 * vim25's {@code VirtualMachinePowerState} spellings ({@code poweredOn}, {@code poweredOff}, {@code
 * suspended}) and the SPI's {@link PowerState}: the one place that maps between them.
 *
 * <p>Module-internal: public for the module's other packages.
 */
public final class PowerStates {
    private PowerStates() {}

    /** The SPI state for a vim25 spelling; empty for anything else (or null). */
    public static Optional<PowerState> parse(String vim25) {
        if (vim25 == null) {
            return Optional.empty();
        }
        switch (vim25.trim()) {
            case "poweredOn":
                return Optional.of(PowerState.ON);
            case "poweredOff":
                return Optional.of(PowerState.OFF);
            case "suspended":
                return Optional.of(PowerState.SUSPENDED);
            default:
                return Optional.empty();
        }
    }

    /** The vim25 spelling of a state, as messages show it, e.g. {@code poweredOff}. */
    public static String vim25Name(PowerState state) {
        switch (state) {
            case ON:
                return "poweredOn";
            case OFF:
                return "poweredOff";
            case SUSPENDED:
                return "suspended";
            default:
                return "unknown";
        }
    }
}
