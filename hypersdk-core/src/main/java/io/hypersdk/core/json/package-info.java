/**
 * <b>Internal — not part of the hypersdk API.</b> The Jackson set-up (mappers, YAML quoting,
 * Go-style JSON indentation) shared by the manifest and job codecs of hypersdk-core. Other modules
 * must not use it: it may change without notice; use {@code ManifestCodec} and {@code JobCodec}
 * instead.
 */
package io.hypersdk.core.json;
