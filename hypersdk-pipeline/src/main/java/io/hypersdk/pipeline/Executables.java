package io.hypersdk.pipeline;

import io.hypersdk.core.settings.Setting;
import io.hypersdk.core.settings.SettingText;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs: an explicit path, else the PATH; a directory is never a program. */
final class Executables {
    private Executables() {}

    static boolean isProgram(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p);
    }

    /** The first executable regular file called {@code name} on {@code searchPath}. */
    static Optional<Path> onPath(String name, String searchPath) {
        if (searchPath == null || searchPath.isEmpty()) {
            return Optional.empty();
        }
        for (String dir : searchPath.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            try {
                Path candidate = Path.of(dir).resolve(name);
                if (isProgram(candidate)) {
                    return Optional.of(candidate.toAbsolutePath());
                }
            } catch (InvalidPathException e) {
                // skip a malformed PATH entry
            }
        }
        return Optional.empty();
    }

    /**
     * hyper2kvm: the configured path when given (it must be an executable file), else PATH.
     *
     * @throws Hyper2KvmNotFoundException naming the configured path and the PATH searched
     */
    static Path hyper2kvm(Optional<Path> configured, String searchPath) {
        String path = searchPath == null || searchPath.isEmpty() ? "(empty)" : searchPath;
        if (configured.isPresent()) {
            Path p = configured.get();
            if (isProgram(p)) {
                return p.toAbsolutePath();
            }
            String why =
                    Files.isDirectory(p)
                            ? "is a directory, not a program"
                            : Files.exists(p) ? "is not an executable file" : "does not exist";
            throw new Hyper2KvmNotFoundException(
                    SettingText.of("hyper2kvm not found: the configured ")
                            .name(Setting.HYPER2KVM_PATH)
                            .text(
                                    " "
                                            + p
                                            + " "
                                            + why
                                            + " (PATH "
                                            + path
                                            + " was not searched because a path was given): point ")
                            .name(Setting.HYPER2KVM_PATH)
                            .text(" at the hyper2kvm executable"));
        }
        return onPath("hyper2kvm", searchPath)
                .orElseThrow(
                        () ->
                                new Hyper2KvmNotFoundException(
                                        SettingText.of("hyper2kvm not found: no ")
                                                .name(Setting.HYPER2KVM_PATH)
                                                .text(
                                                        " configured and no executable hyper2kvm on PATH "
                                                                + path
                                                                + ": install hyper2kvm"
                                                                + " (https://github.com/ssahani/hyper2kvm; it needs python3-guestfs, python3-hivex,"
                                                                + " python3-rich, python3-yaml and qemu-utils) or ")
                                                .set(Setting.HYPER2KVM_PATH)
                                                .text(" (or ")
                                                .set(Setting.CONVERTER, "qemu-img")
                                                .text(" for guests that already boot on KVM)")));
    }

    /**
     * qemu-img: the configured path, else PATH.
     *
     * @throws PreflightException naming what was searched
     */
    static Path qemuImg(Optional<Path> configured, String searchPath) {
        if (configured.isPresent()) {
            if (isProgram(configured.get())) {
                return configured.get().toAbsolutePath();
            }
            throw new PreflightException(
                    "qemu-img not found at "
                            + configured.get()
                            + ": point the executor's qemuImg at the qemu-img executable");
        }
        return onPath("qemu-img", searchPath)
                .orElseThrow(
                        () ->
                                new PreflightException(
                                        "qemu-img not found on PATH "
                                                + searchPath
                                                + ": install it (Debian: apt-get install"
                                                + " qemu-utils)"));
    }
}
