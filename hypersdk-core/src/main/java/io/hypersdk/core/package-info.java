/**
 * hypersdk-core: the shared model of hypersdk-java.
 *
 * <p>Small things every module needs: {@link io.hypersdk.core.JobId}, {@link
 * io.hypersdk.core.Cancellation}, the exception base {@link io.hypersdk.core.HypersdkException}.
 * Sub-packages hold the Artifact Manifest v1.0 ({@code manifest}), settings ({@code settings}), the
 * web-API job model ({@code job}), progress events ({@code progress}) and name sanitising ({@code
 * naming}).
 */
package io.hypersdk.core;
