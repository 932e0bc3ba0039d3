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

  /**
   * {@code path: message} on one line: control characters coming from the document (a key or
   * value with a newline, NUL, ...) are shown as escapes such as {@code \n} or {@code \u0000}.
   */
  @Override
  public String toString() {
    return oneLine(path) + ": " + oneLine(message);
  }

  static String oneLine(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029;
      if (control && out == null) {
        out = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      if (out != null) {
        if (!control) {
          out.append(c);
        } else if (c == '\n') {
          out.append("\\n");
        } else if (c == '\r') {
          out.append("\\r");
        } else if (c == '\t') {
          out.append("\\t");
        } else {
          out.append(String.format("\\u%04x", (int) c));
        }
      }
    }
    return out == null ? s : out.toString();
  }
}
