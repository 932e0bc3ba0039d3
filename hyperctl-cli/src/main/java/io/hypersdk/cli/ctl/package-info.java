/**
 * hyperctl: the command-line front-end that shows the hyper2kvm daemons of a host.
 *
 * <p>Entry point: {@link io.hypersdk.cli.ctl.Hyperctl#main(String[])}. Exit codes are listed in
 * {@link io.hypersdk.cli.ctl.ExitCodes}. The command composes {@code hypersdk-systemd}; it holds no
 * logic a library user would also need.
 */
package io.hypersdk.cli.ctl;
