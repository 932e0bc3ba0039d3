/** hyperexport-cli. */
package io.hypersdk.cli.export;
