/**
 * {@code hyperctl jobs}: a thin client of the job server's HTTP API (hypersdk-server, run by {@code
 * hyperexport serve} or {@code hypersdk-server.service}): list, show, submit and cancel jobs.
 */
package io.hypersdk.cli.ctl.jobs;
