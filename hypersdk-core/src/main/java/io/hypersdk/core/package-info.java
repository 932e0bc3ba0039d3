/** hypersdk-core. */
package io.hypersdk.core;
