package io.hypersdk.provider.vsphere;

import java.util.Optional;

/** A VM's {@code runtime.powerState}. */
public enum PowerState {
  POWERED_ON("poweredOn"), POWERED_OFF("poweredOff"), SUSPENDED("suspended");

  private final String id;

  PowerState(String id) {
    this.id = id;
  }

  /** The vim25 spelling, e.g. {@code poweredOff}. */
  public String id() {
    return id;
  }

  /** Parses the vim25 spelling; empty for anything else. */
  public static Optional<PowerState> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (PowerState s : values()) {
      if (s.id.equals(value.trim())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
