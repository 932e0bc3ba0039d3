/**
 * hypersdk-systemd: a systemd client that reads {@code systemctl show} ({@link
 * io.hypersdk.systemd.SystemdClient}, {@link io.hypersdk.systemd.UnitStatus}, {@link
 * io.hypersdk.systemd.UnitName}), a process runner without a shell ({@link
 * io.hypersdk.systemd.CommandRunner}), and POSIX checks through jnr-posix ({@link
 * io.hypersdk.systemd.PosixAccess}). Depends on Guava, jnr-posix and the SLF4J API only.
 */
package io.hypersdk.systemd;
