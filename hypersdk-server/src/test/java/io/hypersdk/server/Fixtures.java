package io.hypersdk.server;

import io.hypersdk.provider.spi.ProviderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What the server tests share: the sample appliance, a server on a free loopback port, a slow
 * converter.
 */
final class Fixtures {
    static final String EXAMPLE =
            """
            {"name": "web-01", "vm_path": "/DC1/vm/web-01", "output_dir": "/tmp/export", "format": "ovf",
             "options": {"enable_pipeline": true, "hyper2kvm_daemon": true, "hyper2kvm_instance": "vsphere-prod", "libvirt_integration": true,
                         "hyper2kvm_watch_dir": "/var/lib/hyper2kvm/vsphere-prod/queue", "hyper2kvm_output_dir": "/var/lib/hyper2kvm/vsphere-prod/output"}}
            """;

    private Fixtures() {}

    static Path samples() {
        return Path.of(System.getProperty("hypersdk.repo.dir", ".."))
                .resolve("samples")
                .toAbsolutePath()
                .normalize();
    }

    static JobServer.Builder server(Path state) {
        return JobServer.builder(state)
                .listen("127.0.0.1", 0)
                .provider(
                        "local",
                        ProviderConfig.builder().set("directory", samples().toString()).build());
    }

    /** A stand-in hyper2kvm that never finishes, so a job stays in its conversion until stopped. */
    static Path slowConverter(Path dir) throws IOException {
        Path p = dir.resolve("slow-hyper2kvm");
        Files.writeString(p, "#!/bin/sh\nsleep 600\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /**
     * A converter that never finishes until {@code go} exists; from then on it is the pipeline's
     * stand-in hyper2kvm (real qemu-img conversions), so a resumed job can finish.
     */
    static Path resumableConverter(Path dir, Path go) throws IOException {
        Path standIn =
                Path.of(System.getProperty("hypersdk.repo.dir", ".."))
                        .resolve("hypersdk-pipeline/src/test/standin/hyper2kvm")
                        .toAbsolutePath()
                        .normalize();
        Path p = dir.resolve("resumable-hyper2kvm");
        Files.writeString(
                p,
                "#!/bin/sh\nif [ -e '"
                        + go
                        + "' ]; then exec '"
                        + standIn
                        + "' \"$@\"; fi\nsleep 600\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    /** Whether a process running the given script is alive. */
    static boolean running(Path script) {
        return ProcessHandle.allProcesses()
                .anyMatch(
                        h ->
                                h.info()
                                        .commandLine()
                                        .filter(c -> c.contains(script.toString()))
                                        .isPresent());
    }

    static String slowJob(Path out, Path converter) {
        return "{\"name\": \"slow\", \"vm_path\": \"sample-appliance.ova\", \"output_dir\": \""
                + out
                + "\","
                + " \"options\": {\"enable_pipeline\": true, \"hyper2kvm_path\": \""
                + converter
                + "\"}}";
    }
}
