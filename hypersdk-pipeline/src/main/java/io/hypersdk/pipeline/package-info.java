/**
 * The hand-off to hyper2kvm: {@link io.hypersdk.pipeline.PipelineExecutor} picks the mode (daemon
 * through systemd, direct one-shot, or explicitly chosen qemu-img), converts, optionally defines
 * the libvirt domain, and returns a {@link io.hypersdk.pipeline.PipelineResult} with a sealed
 * {@link io.hypersdk.pipeline.ConversionOutcome}.
 */
package io.hypersdk.pipeline;
