package io.hypersdk.core.manifest;

import java.util.Objects;

/**
 * One broken rule of a manifest.
 *
 * @param path the field path, for example {@code disks[1].source_format}; {@code $} for the
 *     document as a whole
 * @param message what is wrong, for example {@code "qcow3" must be one of: vmdk, qcow2, ...}
 */
public record Violation(String path, String message) {
  /** Checks for nulls. */
  public Violation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path + ": " + message;
  }
}
