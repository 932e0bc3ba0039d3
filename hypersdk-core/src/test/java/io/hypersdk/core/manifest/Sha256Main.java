package io.hypersdk.core.manifest;

import java.nio.file.Path;

/** Child-JVM entry point of {@link DiskChecksumsTest}: prints the max heap, then the hash. */
public final class Sha256Main {
    private Sha256Main() {}

    public static void main(String[] args) {
        System.out.println(Runtime.getRuntime().maxMemory());
        System.out.println(DiskChecksums.sha256(Path.of(args[0])));
    }
}
