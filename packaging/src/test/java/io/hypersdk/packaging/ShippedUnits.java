package io.hypersdk.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's systemd/ directory and its units. */
final class ShippedUnits {
    private ShippedUnits() {}

    static Path repo() {
        return Path.of(System.getProperty("hypersdk.repo.dir", "..")).toAbsolutePath().normalize();
    }

    static Path systemdDir() {
        return repo().resolve("systemd");
    }

    /** systemd/*.service and systemd/*.target: what the packages ship. */
    static List<Path> all() {
        List<Path> units = new ArrayList<>();
        try (var s = Files.newDirectoryStream(systemdDir(), "*.{service,target}")) {
            s.forEach(units::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return units;
    }
}
