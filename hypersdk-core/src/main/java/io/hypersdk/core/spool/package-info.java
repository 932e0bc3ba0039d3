/**
 * The daemon spool contract, in one place (DESIGN.md "Instances, directories and layout"): pure
 * functions over plain values that the pipeline, hyperctl and hyperexport all call.
 *
 * <ul>
 *   <li>{@link io.hypersdk.core.spool.InstanceName}: which instance names are allowed (the same
 *       rule {@code systemd/install.sh} applies);
 *   <li>{@link io.hypersdk.core.spool.SpoolConvention}: the {@code /var/lib/hyper2kvm} directories
 *       of an instance;
 *   <li>{@link io.hypersdk.core.spool.SpoolPaths}: the directory names each {@link
 *       io.hypersdk.core.settings.QueueLayout} uses under its watch directory;
 *   <li>{@link io.hypersdk.core.spool.SpoolDirectories}: the directories and layout of an instance,
 *       from explicit settings, else the unit's {@code Environment} ({@code WATCH_DIR}, {@code
 *       OUTPUT_DIR}, {@code QUEUE_LAYOUT}), else the convention; an unusable value in the unit is a
 *       {@link io.hypersdk.core.spool.SpoolEnvironmentException}.
 * </ul>
 */
package io.hypersdk.core.spool;
