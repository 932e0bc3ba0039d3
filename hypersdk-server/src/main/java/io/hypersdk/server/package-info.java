/**
 * The job server: {@link io.hypersdk.server.JobServer} runs web-API job definitions ({@code
 * io.hypersdk.core.job.JobDefinition}) through the providers and the pipeline, keeps their state
 * and history in SQLite, and serves the original tool's HTTP API, Server-Sent Events and the
 * dashboard. Everything else in this package is implementation.
 */
package io.hypersdk.server;
