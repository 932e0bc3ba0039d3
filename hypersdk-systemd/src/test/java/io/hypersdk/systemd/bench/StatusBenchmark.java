package io.hypersdk.systemd.bench;

import io.hypersdk.systemd.SystemdClient;
import io.hypersdk.systemd.UnitName;
import io.hypersdk.systemd.UnitStatus;
import io.hypersdk.systemd.testing.SystemdFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Status of 64 running instances against the real systemd fixture: one {@code systemctl show} for
 * all of them versus one {@code systemctl show} per unit, and {@link SystemdClient#instances}
 * (finding the instances, then their status: what {@code hyperctl daemon list} does) against that
 * one {@code show}. Needs root and the systemd package. Run it as the module README says; {@code
 * mvn verify} does not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class StatusBenchmark {
    static final int UNITS = 64;

    private SystemdFixture fixture;
    private SystemdClient client;
    private List<UnitName> units;

    @Setup(Level.Trial)
    public void startFixture() {
        fixture =
                SystemdFixture.start(
                        Map.of(
                                "bench@.service",
                                "[Unit]\nDescription=benchmark instance %i\n[Service]\nExecStart=/bin/sleep infinity\n"
                                        + "Environment=INSTANCE=%i \"QUEUE=/var/lib/bench/%i/queue\"\nPrivateTmp=yes\n"));
        units = new ArrayList<>();
        List<String> start = new ArrayList<>(List.of("start"));
        for (int i = 0; i < UNITS; i++) {
            UnitName u = UnitName.instance("bench", "vm-" + i);
            units.add(u);
            start.add(u.toString());
        }
        fixture.systemctlOk(start.toArray(String[]::new));
        client = SystemdClient.builder().systemctl(fixture.systemctlWrapper()).build();
        List<UnitStatus> all = client.status(units);
        if (all.size() != UNITS || !all.stream().allMatch(UnitStatus::isActive)) {
            throw new IllegalStateException("benchmark units are not all active: " + all);
        }
    }

    @TearDown(Level.Trial)
    public void stopFixture() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Benchmark
    public List<UnitStatus> oneShowForAllUnits() {
        return client.status(units);
    }

    @Benchmark
    public List<UnitStatus> oneShowPerUnit() {
        List<UnitStatus> out = new ArrayList<>(UNITS);
        for (UnitName u : units) {
            out.add(client.status(u));
        }
        return out;
    }

    @Benchmark
    public List<UnitStatus> instancesFoundAndRead() {
        return client.instances("bench");
    }
}
