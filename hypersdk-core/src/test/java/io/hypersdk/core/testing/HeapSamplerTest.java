package io.hypersdk.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapSamplerTest {
    @Test
    void anAllocationHeldUntilCloseIsWithinBothBounds() {
        HeapSampler sampler = HeapSampler.start();
        byte[] held = new byte[32 << 20];
        sampler.close();
        assertThat(sampler.sampledBytes()).isGreaterThanOrEqualTo(held.length);
        assertThat(sampler.peakBytes()).isPositive();
        assertThat(held).hasSize(32 << 20); // keeps it reachable until the sample was taken
    }
}
