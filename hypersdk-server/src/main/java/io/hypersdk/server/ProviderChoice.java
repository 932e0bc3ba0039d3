package io.hypersdk.server;

import io.hypersdk.provider.spi.ProviderConfig;

/** The provider a job runs with and its server-side configuration (credentials included). */
record ProviderChoice(String id, ProviderConfig config) {}
