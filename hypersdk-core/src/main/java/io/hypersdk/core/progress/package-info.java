/**
 * Progress events emitted by long-running operations (export, conversion, definition).
 *
 * <p>{@link io.hypersdk.core.progress.ProgressEvent} is a sealed interface over {@link
 * io.hypersdk.core.progress.PhaseChanged}, {@link io.hypersdk.core.progress.TransferProgress},
 * {@link io.hypersdk.core.progress.ConverterOutput} and {@link io.hypersdk.core.progress.Notice};
 * listeners implement {@link io.hypersdk.core.progress.ProgressListener}.
 */
package io.hypersdk.core.progress;
