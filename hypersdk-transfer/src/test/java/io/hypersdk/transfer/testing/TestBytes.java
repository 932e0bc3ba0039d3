package io.hypersdk.transfer.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Reproducible test data and the SHA-256 values the download tests compare. */
public final class TestBytes {
    private TestBytes() {}

    /** {@code size} pseudo-random bytes from {@code seed}. */
    public static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static String sha256(byte[] b) {
        return HexFormat.of().formatHex(sha().digest(b));
    }

    /** SHA-256 of a file, read in 64 KiB pieces. */
    public static String sha256(Path p) throws IOException {
        MessageDigest md = sha();
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
