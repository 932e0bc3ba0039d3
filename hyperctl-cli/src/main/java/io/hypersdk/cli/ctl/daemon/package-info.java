/**
 * {@code hyperctl daemon}: status and list of the hyper2kvm daemon instances, read from systemd
 * ({@code systemctl show}) and from the instances' spool directories.
 *
 * <p>Only {@link io.hypersdk.cli.ctl.daemon.DaemonCommand} (registered by the top command) and
 * {@link io.hypersdk.cli.ctl.daemon.UnknownInstanceException} are public.
 */
package io.hypersdk.cli.ctl.daemon;
