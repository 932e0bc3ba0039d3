/**
 * The provider SPI: how hypersdk finds an export source and drives it.
 *
 * <p>A provider implements {@link io.hypersdk.provider.spi.ExportProvider} and registers it in
 * {@code META-INF/services/io.hypersdk.provider.spi.ExportProvider}; callers find it with {@link
 * io.hypersdk.provider.spi.ExportProviders#find(String)} and never name the class. {@code connect}
 * takes a {@link io.hypersdk.provider.spi.ProviderConfig} (settings plus {@link
 * io.hypersdk.provider.spi.Secret} credentials, never from argv) and returns a {@link
 * io.hypersdk.provider.spi.ProviderSession} that lists, describes and exports VMs. Every parameter
 * of every public method is never null; absent values are {@code Optional}.
 */
package io.hypersdk.provider.spi;
