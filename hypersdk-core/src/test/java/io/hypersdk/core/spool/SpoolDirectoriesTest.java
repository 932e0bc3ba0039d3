package io.hypersdk.core.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.hypersdk.core.settings.Hyper2KvmSettings;
import io.hypersdk.core.settings.QueueLayout;
import io.hypersdk.core.spool.SpoolDirectories.Origin;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class SpoolDirectoriesTest {

    private static final String UNIT = "hyper2kvm@prod.service";

    @Test
    void directoriesAndLayoutComeFromTheUnitEnvironment() {
        SpoolDirectories d =
                SpoolDirectories.fromUnit(
                        UNIT,
                        Map.of(
                                "WATCH_DIR",
                                " /srv/in ",
                                "OUTPUT_DIR",
                                "/srv/out",
                                "QUEUE_LAYOUT",
                                "disk-watch",
                                "OTHER",
                                "x"),
                        Optional.of("prod"));

        assertThat(d.watchDir()).isEqualTo(Path.of("/srv/in"));
        assertThat(d.outputDir()).isEqualTo(Path.of("/srv/out"));
        assertThat(d.layout()).isEqualTo(QueueLayout.DISK_WATCH);
        assertThat(List.of(d.watchDirOrigin(), d.outputDirOrigin(), d.layoutOrigin()))
                .containsOnly(Origin.UNIT);
        assertThat(d.anyFallback()).isFalse();
        assertThat(d.origin())
                .isEqualTo(
                        "watch dir from "
                                + UNIT
                                + " Environment WATCH_DIR,"
                                + " output dir from "
                                + UNIT
                                + " Environment OUTPUT_DIR, layout disk-watch from "
                                + UNIT
                                + " Environment QUEUE_LAYOUT");
    }

    @Test
    void whatTheUnitDoesNotDeclareComesFromTheConventionOfItsInstance() {
        SpoolDirectories named =
                SpoolDirectories.fromUnit(UNIT, Map.of("WATCH_DIR", ""), Optional.of("prod"));
        SpoolDirectories dflt =
                SpoolDirectories.fromUnit(
                        "hyper2kvm.service", Map.of("OUTPUT_DIR", "/data/out"), Optional.empty());

        assertThat(named.watchDir()).isEqualTo(Path.of("/var/lib/hyper2kvm/prod/queue"));
        assertThat(named.outputDir()).isEqualTo(Path.of("/var/lib/hyper2kvm/prod/output"));
        assertThat(named.layout()).isEqualTo(QueueLayout.WORKFLOW);
        assertThat(named.watchDirOrigin()).isEqualTo(Origin.CONVENTION);
        assertThat(named.layoutOrigin()).isEqualTo(Origin.DEFAULT);
        assertThat(named.anyFallback()).isTrue();
        assertThat(named.origin())
                .isEqualTo(
                        "watch dir by convention, output dir by convention,"
                                + " layout workflow (default; nothing declares QUEUE_LAYOUT)");
        assertThat(dflt.watchDir()).isEqualTo(Path.of("/var/lib/hyper2kvm/queue"));
        assertThat(dflt.outputDir()).isEqualTo(Path.of("/data/out"));
        assertThat(dflt.outputDirOrigin()).isEqualTo(Origin.UNIT);
    }

    @Test
    void explicitSettingsWinOverTheUnit() {
        Hyper2KvmSettings s =
                Hyper2KvmSettings.builder()
                        .instance("prod")
                        .watchDir(Path.of("/x/q"))
                        .outputDir(Path.of("/x/o"))
                        .queueLayout(QueueLayout.FLAT)
                        .build();

        SpoolDirectories d =
                SpoolDirectories.resolve(
                        s,
                        UNIT,
                        Map.of(
                                "WATCH_DIR",
                                "relative",
                                "OUTPUT_DIR",
                                "/srv/out",
                                "QUEUE_LAYOUT",
                                "spiral"));

        assertThat(d.watchDir()).isEqualTo(Path.of("/x/q"));
        assertThat(d.outputDir()).isEqualTo(Path.of("/x/o"));
        assertThat(d.layout()).isEqualTo(QueueLayout.FLAT);
        assertThat(d.origin())
                .isEqualTo(
                        "watch dir from the settings, output dir from the settings,"
                                + " layout flat from the settings");
    }

    @Test
    void aRelativeDirectoryInTheUnitIsAnErrorNamingTheUnitAndTheVariable() {
        assertThatThrownBy(
                        () ->
                                SpoolDirectories.fromUnit(
                                        UNIT, Map.of("OUTPUT_DIR", "out"), Optional.of("prod")))
                .isInstanceOfSatisfying(
                        SpoolEnvironmentException.class,
                        e -> {
                            assertThat(e.unit()).isEqualTo(UNIT);
                            assertThat(e.variable()).isEqualTo("OUTPUT_DIR");
                            assertThat(e.value()).isEqualTo("out");
                            assertThat(e.problem())
                                    .isEqualTo(SpoolEnvironmentException.Problem.RELATIVE_PATH);
                        })
                .hasMessage(
                        UNIT
                                + " declares OUTPUT_DIR=out, which is not an absolute path: set an"
                                + " absolute path in the unit's Environment (or set Hyper2KVMOutputDir explicitly)");
    }

    @Test
    void anUnknownLayoutInTheUnitIsAnErrorNotAGuess() {
        assertThatThrownBy(
                        () ->
                                SpoolDirectories.fromUnit(
                                        UNIT, Map.of("QUEUE_LAYOUT", "spiral"), Optional.empty()))
                .isInstanceOfSatisfying(
                        SpoolEnvironmentException.class,
                        e -> {
                            assertThat(e.variable()).isEqualTo("QUEUE_LAYOUT");
                            assertThat(e.problem())
                                    .isEqualTo(SpoolEnvironmentException.Problem.UNKNOWN_LAYOUT);
                        })
                .hasMessageContaining("QUEUE_LAYOUT=spiral")
                .hasMessageContaining("workflow, flat," + " disk-watch");
    }

    @Test
    void anInvalidInstanceNameIsRefusedBeforeAnyPathIsBuilt() {
        assertThatThrownBy(() -> SpoolDirectories.fromUnit(UNIT, Map.of(), Optional.of("../etc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("../etc");
    }

    @Test
    void aUnitThatDeclaresEverythingNeedsNoConventionSoItsInstanceNameIsNotChecked() {
        // systemd lists escaped instances such as my\x20vm; hyperctl still shows their spool
        SpoolDirectories d =
                SpoolDirectories.fromUnit(
                        "hyper2kvm@my\\x20vm.service",
                        Map.of("WATCH_DIR", "/srv/q", "OUTPUT_DIR", "/srv/o"),
                        Optional.of("my\\x20vm"));

        assertThat(d.watchDir()).isEqualTo(Path.of("/srv/q"));
        assertThat(d.outputDir()).isEqualTo(Path.of("/srv/o"));
        assertThatThrownBy(
                        () ->
                                SpoolDirectories.fromUnit(
                                        "hyper2kvm@my\\x20vm.service",
                                        Map.of("WATCH_DIR", "/srv/q"),
                                        Optional.of("my\\x20vm")))
                .isInstanceOf(InvalidInstanceNameException.class);
    }

    @Test
    void theConventionPutsEveryInstanceUnderOneBase() {
        assertThat(SpoolConvention.watchDir(Optional.empty()))
                .isEqualTo(Path.of("/var/lib/hyper2kvm/queue"));
        assertThat(SpoolConvention.outputDir(Optional.of("aws-eu")))
                .isEqualTo(Path.of("/var/lib/hyper2kvm/aws-eu/output"));
        assertThat(SpoolConvention.EXPORTS).isEqualTo(Path.of("/var/lib/hyper2kvm/exports"));
    }

    /** Values a unit might declare: absent, blank, absolute, relative, layouts and junk. */
    private static final List<String> VALUES =
            List.of(
                    "",
                    "  ",
                    "/srv/q",
                    " /srv/o ",
                    "queue",
                    "./q",
                    "../q",
                    "~/q",
                    "workflow",
                    "flat",
                    "DISK_WATCH",
                    "spiral",
                    "/",
                    "\t/a b/c\t");

    private static Gen<Map<String, String>> environments() {
        Gen<Integer> pick = integers().between(-1, VALUES.size() - 1);
        return pick.zip(
                pick,
                pick,
                (w, o, l) -> {
                    Map<String, String> env = new HashMap<>();
                    if (w >= 0) {
                        env.put("WATCH_DIR", VALUES.get(w));
                    }
                    if (o >= 0) {
                        env.put("OUTPUT_DIR", VALUES.get(o));
                    }
                    if (l >= 0) {
                        env.put("QUEUE_LAYOUT", VALUES.get(l));
                    }
                    return env;
                });
    }

    @Test
    void resolutionGivesAbsoluteDirectoriesOrNamesTheUnitAndTheOffendingVariable() {
        qt().withExamples(1000)
                .forAll(environments(), InstanceNameTest.validNames())
                .checkAssert(
                        (env, instance) -> {
                            SpoolDirectories d;
                            try {
                                d = SpoolDirectories.fromUnit(UNIT, env, Optional.of(instance));
                            } catch (SpoolEnvironmentException e) {
                                assertThat(e.unit()).isEqualTo(UNIT);
                                assertThat(env).containsKey(e.variable());
                                assertThat(env.get(e.variable()).strip())
                                        .isEqualTo(e.value())
                                        .isNotEmpty();
                                assertThat(e.getMessage())
                                        .startsWith(UNIT + " declares " + e.variable() + "=");
                                return;
                            }
                            assertThat(d.watchDir()).isAbsolute();
                            assertThat(d.outputDir()).isAbsolute();
                            for (String v : List.of("WATCH_DIR", "OUTPUT_DIR")) {
                                String declared = env.getOrDefault(v, "").strip();
                                Path p = v.equals("WATCH_DIR") ? d.watchDir() : d.outputDir();
                                Path convention =
                                        v.equals("WATCH_DIR")
                                                ? SpoolConvention.watchDir(Optional.of(instance))
                                                : SpoolConvention.outputDir(Optional.of(instance));
                                assertThat(p)
                                        .isEqualTo(
                                                declared.isEmpty()
                                                        ? convention
                                                        : Path.of(declared));
                                assertThat(declared.isEmpty() || Path.of(declared).isAbsolute())
                                        .isTrue();
                            }
                            String layout = env.getOrDefault("QUEUE_LAYOUT", "").strip();
                            assertThat(d.layout())
                                    .isEqualTo(
                                            layout.isEmpty()
                                                    ? QueueLayout.WORKFLOW
                                                    : QueueLayout.parse(layout));
                        });
    }
}
