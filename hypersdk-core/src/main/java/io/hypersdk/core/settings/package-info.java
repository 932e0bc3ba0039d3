/**
 * Settings of the export-and-convert flow: {@link io.hypersdk.core.settings.PipelineSettings} with
 * its {@link io.hypersdk.core.settings.Hyper2KvmSettings} (the six daemon settings of the seed) and
 * {@link io.hypersdk.core.settings.LibvirtSettings}. Every record validates at construction and
 * names the option and the allowed range when a value is out of range.
 */
package io.hypersdk.core.settings;
