package io.hypersdk.provider.spi;

/** A VM's power state as the source reports it. */
public enum PowerState {
    ON,
    OFF,
    SUSPENDED,
    UNKNOWN
}
