package io.hypersdk.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hypersdk.systemd.SystemdClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /daemons/{instance}}: the spool an instance speaks, as the dashboard's placeholders
 * show it. systemctl here is a script that prints one {@code systemctl show} block (a scripted
 * double: the real systemd's answers are covered by hypersdk-systemd's fixture tests).
 */
@Timeout(60)
class DaemonInstanceTest {
    @TempDir Path tmp;

    @Test
    void theDirectoriesTheInstancesUnitDeclaresWinOverTheConvention() throws Exception {
        Path systemctl = tmp.resolve("systemctl");
        Files.writeString(
                systemctl,
                "#!/bin/sh\ncat <<'EOF'\nId=hyper2kvm@lab.service\nLoadState=loaded\n"
                        + "ActiveState=active\nSubState=running\nMainPID=42\nUnitFileState=enabled\n"
                        + "Environment=WATCH_DIR=/srv/lab/queue OUTPUT_DIR=/srv/lab/output QUEUE_LAYOUT=disk-watch\nEOF\n");
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (JobServer server =
                Fixtures.server(tmp.resolve("state"))
                        .systemdClient(SystemdClient.builder().systemctl(systemctl).build())
                        .build()
                        .start()) {
            Api api = new Api(server);

            JsonNode d = api.get("/daemons/lab").json();

            assertThat(d.path("unit").asText()).isEqualTo("hyper2kvm@lab.service");
            assertThat(d.path("known").asBoolean()).isTrue();
            assertThat(d.path("active").asBoolean()).isTrue();
            assertThat(d.path("watch_dir").asText()).isEqualTo("/srv/lab/queue");
            assertThat(d.path("watch_dir_origin").asText()).isEqualTo("unit");
            assertThat(d.path("output_dir").asText()).isEqualTo("/srv/lab/output");
            assertThat(d.path("queue_layout").asText()).isEqualTo("disk-watch");
        }
    }

    @Test
    void withoutSystemdTheConventionIsShownAndABadNameIsRefused() {
        Path missing = tmp.resolve("no-systemctl-here");
        try (JobServer server =
                Fixtures.server(tmp.resolve("state"))
                        .systemdClient(SystemdClient.builder().systemctl(missing).build())
                        .build()
                        .start()) {
            Api api = new Api(server);

            JsonNode d = api.get("/daemons/vsphere-prod").json();

            assertThat(d.path("known").asBoolean()).isFalse();
            assertThat(d.path("error").asText()).contains("systemd is not available");
            assertThat(d.path("watch_dir").asText())
                    .isEqualTo("/var/lib/hyper2kvm/vsphere-prod/queue");
            assertThat(d.path("output_dir_origin").asText()).isEqualTo("convention");
            Api.Response bad = api.get("/daemons/..");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("error").asText()).contains("invalid instance name");
        }
    }
}
