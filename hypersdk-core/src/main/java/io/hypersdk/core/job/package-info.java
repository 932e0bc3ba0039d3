/**
 * The job model of the web API (the seed's {@code hypervisord}): {@link
 * io.hypersdk.core.job.JobDefinition} with its {@link io.hypersdk.core.job.JobOptions}, the state
 * of a job ({@link io.hypersdk.core.job.Job}, {@link io.hypersdk.core.job.JobStatus}, {@link
 * io.hypersdk.core.job.JobProgress}, {@link io.hypersdk.core.job.JobResult}) and {@link
 * io.hypersdk.core.job.JobCodec} for JSON and YAML.
 *
 * <p>Every optional field is an {@code Optional} and absent values are not written, so an explicit
 * {@code false} or {@code 0} survives a round trip (the seed could not tell them from "not given").
 * Passwords are read but never written, and never appear in {@code toString()}.
 */
package io.hypersdk.core.job;
