package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hypersdk.systemd.UnitStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DaemonQueryTest {

    /** load, active, unit file state, ever active, restarts -> known? */
    @ParameterizedTest
    @CsvSource({
        "not-found, inactive, '',              false, 0, false", // no unit file at all
        "loaded,    inactive, disabled,        false, 0, false", // merely instantiated from the
        // template by asking
        "loaded,    inactive, enabled,         false, 0, true", // enabled but stopped
        "loaded,    inactive, enabled-runtime, false, 0, true",
        "loaded,    inactive, disabled,        true,  0, true", // stopped after running
        "loaded,    failed,   disabled,        true,  0, true",
        "loaded,    activating, disabled,      false, 3, true", // waiting to restart
        "loaded,    active,   disabled,        true,  0, true",
        "masked,    inactive, masked-runtime,  false, 0, true"
    })
    void anInstanceIsKnownWhenSomeoneSetItUpOrItEverRan(
            String load,
            String active,
            String fileState,
            boolean everActive,
            long restarts,
            boolean known) {
        UnitStatus s =
                new UnitStatus(
                        "hyper2kvm@x.service",
                        load,
                        active,
                        "dead",
                        OptionalLong.empty(),
                        everActive
                                ? Optional.of(Instant.parse("2026-11-26T10:00:00Z"))
                                : Optional.empty(),
                        Optional.<Duration>empty(),
                        restarts,
                        "success",
                        OptionalLong.empty(),
                        fileState,
                        Map.of(),
                        Optional.empty(),
                        Optional.empty(),
                        false,
                        "no",
                        "no",
                        List.of(),
                        List.of());

        assertThat(DaemonQuery.isKnown(s)).isEqualTo(known);
    }

    @ParameterizedTest
    @CsvSource({"hyper2kvm@vsphere-prod.service, vsphere-prod", "hyper2kvm@a@b.service, a@b"})
    void instanceNameIsThePartAfterTheAt(String unit, String instance) {
        assertThat(DaemonQuery.instanceOf(unit)).contains(instance);
    }

    @ParameterizedTest
    @CsvSource({"hyper2kvm.service"})
    void theDefaultUnitHasNoInstancePart(String unit) {
        assertThat(DaemonQuery.instanceOf(unit)).isEmpty();
    }
}
