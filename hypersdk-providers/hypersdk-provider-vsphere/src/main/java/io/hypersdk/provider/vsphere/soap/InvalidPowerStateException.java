package io.hypersdk.provider.vsphere.soap;

import io.hypersdk.provider.spi.PowerState;
import java.util.Optional;

/** The VM is in the wrong power state for the call, e.g. {@code ExportVm} on a running VM. */
public final class InvalidPowerStateException extends VimFaultException {
    private static final long serialVersionUID = 1L;

    private final transient Optional<PowerState> existingState;
    private final transient Optional<PowerState> requestedState;

    /**
     * The fault for a call that needs another power state.
     *
     * @param method the vim25 method, e.g. {@code ExportVm}
     * @param faultMessage what the server (or the check before the call) said
     * @param existing the VM's power state, when known
     * @param requested the power state the call needs, when known
     */
    public InvalidPowerStateException(
            String method,
            String faultMessage,
            Optional<PowerState> existing,
            Optional<PowerState> requested) {
        this(method, faultMessage, existing, requested, advice(method, existing));
    }

    InvalidPowerStateException(
            String method,
            String faultMessage,
            Optional<PowerState> existing,
            Optional<PowerState> requested,
            String advice) {
        super(
                method,
                "InvalidPowerState",
                faultMessage,
                describe(
                        method,
                        "InvalidPowerState",
                        faultMessage.isBlank()
                                ? existing.map(s -> "VM is " + PowerStates.vim25Name(s)).orElse("")
                                : faultMessage,
                        advice));
        this.existingState = existing;
        this.requestedState = requested;
    }

    private static String advice(String method, Optional<PowerState> existing) {
        if (method.equals("ExportVm")) {
            return "power the VM off first, or export from a snapshot-based path (clone the VM from a snapshot and export the clone)";
        }
        return existing.map(s -> "the VM is " + PowerStates.vim25Name(s)).orElse("");
    }

    /** The VM's power state when the call failed, when the server said so. */
    public Optional<PowerState> existingState() {
        return existingState;
    }

    /** The power state the call needs, when the server said so. */
    public Optional<PowerState> requestedState() {
        return requestedState;
    }
}
