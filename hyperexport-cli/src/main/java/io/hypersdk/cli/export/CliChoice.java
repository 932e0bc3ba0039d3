package io.hypersdk.cli.export;

import java.util.Locale;

/**
 * A value of a closed set of flag values (an enum): its {@link #id()} is what the user types and what
 * is printed, the constant's name in lower case with '_' as '-' ({@code QEMU_IMG} = {@code qemu-img}).
 */
interface CliChoice {
  /** The enum constant's name. */
  String name();

  /** The flag value: the name in lower case with '-' for '_'. */
  default String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
