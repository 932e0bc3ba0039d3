package io.hypersdk.cli.ctl.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hypersdk.core.spool.SpoolDirectories;
import io.hypersdk.systemd.SystemdClient;
import io.hypersdk.systemd.UnitStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RenderingTest {

    private static final List<String> INSTANCE_FIELDS =
            List.of(
                    "name",
                    "service",
                    "active",
                    "status",
                    "load_state",
                    "active_state",
                    "sub_state",
                    "unit_file_state",
                    "result",
                    "main_pid",
                    "active_since",
                    "uptime",
                    "uptime_seconds",
                    "restarts",
                    "memory_bytes",
                    "watch_dir",
                    "watch_dir_source",
                    "output_dir",
                    "output_dir_source",
                    "queue_layout",
                    "queue_layout_source",
                    "queue",
                    "stuck");
    private static final List<String> QUEUE_FIELDS =
            List.of(
                    "waiting",
                    "in_progress",
                    "oldest_waiting_seconds",
                    "oldest_waiting",
                    "problem",
                    "note");

    private final InstanceReport running =
            new InstanceReport(
                    "vsphere-prod",
                    "hyper2kvm@vsphere-prod.service",
                    "loaded",
                    "active",
                    "running",
                    "enabled",
                    "success",
                    OptionalLong.of(4242),
                    Optional.of(Instant.parse("2026-11-26T10:00:00Z")),
                    Optional.of(Duration.ofSeconds(8100)),
                    1,
                    OptionalLong.of(123_456_789L),
                    Optional.of(
                            SpoolDirectories.fromUnit(
                                    "hyper2kvm@vsphere-prod.service",
                                    Map.of(
                                            "WATCH_DIR",
                                            "/srv/q",
                                            "OUTPUT_DIR",
                                            "/srv/o",
                                            "QUEUE_LAYOUT",
                                            "workflow"),
                                    Optional.of("vsphere-prod"))),
                    new QueueSnapshot(
                            OptionalInt.of(3),
                            OptionalInt.of(1),
                            Optional.of(Duration.ofSeconds(95)),
                            Optional.empty(),
                            Optional.empty()));
    private final InstanceReport failed =
            new InstanceReport(
                    "default",
                    "hyper2kvm.service",
                    "loaded",
                    "failed",
                    "failed",
                    "enabled",
                    "exit-code",
                    OptionalLong.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    0,
                    OptionalLong.empty(),
                    Optional.of(
                            SpoolDirectories.fromUnit(
                                    "hyper2kvm.service", Map.of(), Optional.empty())),
                    QueueSnapshot.unreadable(
                            "watch directory /var/lib/hyper2kvm/queue does not exist"));

    @Test
    void jsonHasTheDocumentedFieldsInTheirOrderAndNullForUnknownValues() throws Exception {
        StringWriter out = new StringWriter();
        JsonRenderer.write(List.of(running, failed), new PrintWriter(out));

        JsonNode doc = new ObjectMapper().readTree(out.toString());
        assertThat(fieldNames(doc)).containsExactly("instances", "total", "active");
        assertThat(doc.get("total").asInt()).isEqualTo(2);
        assertThat(doc.get("active").asInt()).isEqualTo(1);
        JsonNode a = doc.get("instances").get(0);
        assertThat(fieldNames(a)).containsExactlyElementsOf(INSTANCE_FIELDS);
        assertThat(fieldNames(a.get("queue"))).containsExactlyElementsOf(QUEUE_FIELDS);
        assertThat(a.get("main_pid").isNumber()).isTrue();
        assertThat(a.get("main_pid").asLong()).isEqualTo(4242);
        assertThat(a.get("uptime").asText()).isEqualTo("2h 15min");
        assertThat(a.get("uptime_seconds").asLong()).isEqualTo(8100);
        assertThat(a.get("memory_bytes").asLong()).isEqualTo(123_456_789L);
        assertThat(a.get("active_since").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(a.get("queue").get("oldest_waiting").asText()).isEqualTo("1min 35s");

        JsonNode f = doc.get("instances").get(1);
        assertThat(fieldNames(f)).containsExactlyElementsOf(INSTANCE_FIELDS);
        for (String nullField :
                List.of("main_pid", "active_since", "uptime", "uptime_seconds", "memory_bytes")) {
            assertThat(f.get(nullField).isNull()).as(nullField).isTrue();
        }
        assertThat(f.get("watch_dir_source").asText()).isEqualTo("convention");
        assertThat(f.get("queue").get("waiting").isNull()).isTrue();
        assertThat(f.get("queue").get("problem").asText()).contains("does not exist");
    }

    @Test
    void noInstancesIsAnEmptyListWithAMessage() throws Exception {
        StringWriter out = new StringWriter();
        JsonRenderer.write(List.of(), new PrintWriter(out));

        JsonNode doc = new ObjectMapper().readTree(out.toString());
        assertThat(doc.get("instances")).isEmpty();
        assertThat(doc.get("total").asInt()).isZero();
        assertThat(doc.get("message").asText()).isEqualTo("No hyper2kvm daemon instances found");
    }

    @Test
    void statusTableAlignsColumnsAndMarksConventionFallbacks() {
        StringWriter out = new StringWriter();
        TableRenderer.status(List.of(running, failed), new PrintWriter(out));

        List<String> lines = out.toString().lines().toList();
        String header = lines.get(0);
        assertThat(header).startsWith("INSTANCE");
        for (String column : List.of("SERVICE", "STATE", "PID", "UPTIME", "RESTARTS", "MEMORY")) {
            int at = header.indexOf(column);
            assertThat(lines.get(1).charAt(at - 1)).as(column).isEqualTo(' ');
            assertThat(lines.get(2).charAt(at - 1)).as(column).isEqualTo(' ');
        }
        assertThat(lines.get(1).substring(header.indexOf("PID"))).startsWith("4242");
        assertThat(lines.get(1).substring(header.indexOf("MEMORY"))).startsWith("117.7M");
        assertThat(lines.get(2).substring(header.indexOf("PID"))).startsWith("-");
        assertThat(out.toString())
                .contains("/var/lib/hyper2kvm/queue*")
                .contains("* not set in the unit's Environment")
                .contains("default: watch directory /var/lib/hyper2kvm/queue does not exist");
    }

    @Test
    void aUnitWithARelativeWatchDirIsShownWithTheReasonAndNoGuessedDirectories() throws Exception {
        InstanceReport broken =
                new DaemonQuery(SystemdClient.builder().build(), Clock.systemUTC())
                        .report(
                                UnitStatus.builder("hyper2kvm@rel.service")
                                        .loadState("loaded")
                                        .activeState("active")
                                        .subState("running")
                                        .environment("WATCH_DIR", "queue")
                                        .environment("OUTPUT_DIR", "/srv/o")
                                        .build());
        StringWriter json = new StringWriter();
        StringWriter table = new StringWriter();
        JsonRenderer.write(List.of(broken), new PrintWriter(json));
        TableRenderer.list(List.of(broken), new PrintWriter(table));

        assertThat(broken.directories()).isEmpty();
        JsonNode i = new ObjectMapper().readTree(json.toString()).get("instances").get(0);
        assertThat(fieldNames(i)).containsExactlyElementsOf(INSTANCE_FIELDS);
        for (String field :
                List.of("watch_dir", "watch_dir_source", "output_dir", "queue_layout")) {
            assertThat(i.get(field).isNull()).as(field).isTrue();
        }
        assertThat(i.get("queue").get("problem").asText())
                .isEqualTo(
                        "hyper2kvm@rel.service declares WATCH_DIR=queue, which is not an absolute path: set an"
                                + " absolute path in the unit's Environment (or set Hyper2KVMWatchDir explicitly)");
        assertThat(table.toString().lines().toList().get(1)).startsWith("rel").endsWith("?");
    }

    @Test
    void listIsOneLinePerInstanceUnderAHeader() {
        StringWriter out = new StringWriter();
        TableRenderer.list(List.of(running, failed), new PrintWriter(out));

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(1))
                .startsWith("vsphere-prod")
                .contains("active/running")
                .contains("2h 15min");
        assertThat(lines.get(2)).startsWith("default").contains("failed/failed");
    }

    @Test
    void helpDocumentsBothTheOriginalAndTheModernForms() {
        Cli r = Cli.run("daemon", "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("hyperctl daemon -op status [-instance NAME]")
                .contains("hyperctl daemon status [--instance NAME]")
                .contains("hyperctl daemon -op list")
                .contains("hyperctl daemon list")
                .contains("-json, --json")
                .contains("--systemctl=PATH")
                .contains("Exit codes:");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void bashCompletionScriptKnowsTheDaemonCommands() {
        Cli r = Cli.run("generate-completion");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("complete -F _complete_hyperctl")
                .contains("daemon")
                .contains("--instance");
    }
}
