/** hypersdk-systemd. */
package io.hypersdk.systemd;
