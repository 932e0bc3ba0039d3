/**
 * The streaming download engine every remote provider uses: {@link
 * io.hypersdk.transfer.DownloadEngine}. Bounded parallel transfers, temp file + atomic rename,
 * SHA-256 while streaming, retries with backoff on transient failures only, safe resume with {@code
 * Range}/{@code If-Range}, an optional bandwidth limit, progress that never exceeds 100 %, constant
 * memory.
 */
package io.hypersdk.transfer;
