/** hypersdk-provider-local. */
package io.hypersdk.provider.local;
