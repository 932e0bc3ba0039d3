/** hypersdk-pipeline. */
package io.hypersdk.pipeline;
