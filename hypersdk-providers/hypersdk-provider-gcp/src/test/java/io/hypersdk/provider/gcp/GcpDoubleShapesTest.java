package io.hypersdk.provider.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.google.cloud.compute.v1.Instance;
import com.google.cloud.compute.v1.InstanceList;
import com.google.cloud.compute.v1.MachineType;
import com.google.cloud.compute.v1.Operation;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The Compute Engine answers {@link GcpDouble} scripts are Google's own JSON shapes: each one is
 * parsed with protobuf's strict JSON parser (unknown fields are errors, not ignored as the client
 * ignores them) into the google-cloud-compute 1.98.0 message generated from Compute Engine's
 * discovery document. A misspelt or invented field, or a value of the wrong type, fails here.
 */
class GcpDoubleShapesTest {
    private static final Map<String, Supplier<Message.Builder>> KINDS =
            Map.of(
                    "compute#instance", Instance::newBuilder,
                    "compute#instanceList", InstanceList::newBuilder,
                    "compute#machineType", MachineType::newBuilder,
                    "compute#operation", Operation::newBuilder);

    @Test
    void everyComputeAnswerParsesStrictlyAsGooglesMessage() throws Exception {
        Map<String, Integer> parsed = new HashMap<>();
        try (GcpDouble gcp = new GcpDouble().instance("TERMINATED", true).images()) {
            for (StubMapping m : gcp.server().getStubMappings()) {
                String body = m.getResponse().getBody();
                if (body == null || !body.contains("\"kind\":\"compute#")) {
                    continue;
                }
                String kind = body.replaceFirst("(?s)^\\{\"kind\":\"(compute#[A-Za-z]+)\".*", "$1");
                assertThat(KINDS).as("a message type for %s", kind).containsKey(kind);
                Message.Builder b = KINDS.get(kind).get();
                JsonFormat.parser().merge(body, b);
                parsed.merge(kind, 1, Integer::sum);
            }
        }
        assertThat(parsed)
                .containsOnlyKeys(KINDS.keySet())
                .allSatisfy((k, n) -> assertThat(n).isPositive());
    }

    @Test
    void theStrictParserWouldCatchAnInventedField() {
        assertThatThrownBy(
                        () ->
                                JsonFormat.parser()
                                        .merge(
                                                "{\"kind\":\"compute#operation\",\"state\":\"DONE\"}",
                                                Operation.newBuilder()))
                .isInstanceOf(InvalidProtocolBufferException.class)
                .hasMessageContaining("state");
    }
}
