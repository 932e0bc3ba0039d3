/**
 * The hyper2kvm daemon's spool: the three layouts ({@code workflow}, {@code flat}, {@code
 * disk-watch}) behind {@link io.hypersdk.pipeline.daemon.DaemonSpool}, atomic submission under
 * unique job ids, inotify with a poll fallback, and the {@link
 * io.hypersdk.pipeline.daemon.DaemonPreflight} checks of what the sandboxed daemon can see.
 */
package io.hypersdk.pipeline.daemon;
