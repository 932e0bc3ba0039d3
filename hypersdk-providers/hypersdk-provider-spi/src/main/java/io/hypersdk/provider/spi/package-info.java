/** hypersdk-provider-spi. */
package io.hypersdk.provider.spi;
