/** hyperctl-cli. */
package io.hypersdk.cli.ctl;
