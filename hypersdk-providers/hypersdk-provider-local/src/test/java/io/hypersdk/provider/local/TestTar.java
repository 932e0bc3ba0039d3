package io.hypersdk.provider.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes tar archives with any member names and types, including hostile ones, for tests. */
final class TestTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TestTar file(String name, byte[] content) {
        return entry(name, '0', "", content);
    }

    TestTar file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    TestTar symlink(String name, String target) {
        return entry(name, '2', target, new byte[0]);
    }

    TestTar hardlink(String name, String target) {
        return entry(name, '1', target, new byte[0]);
    }

    TestTar directory(String name) {
        return entry(name, '5', "", new byte[0]);
    }

    /** A GNU long-name member (type L) followed by the file. */
    TestTar longName(String name, byte[] content) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.UTF_8);
        entry("././@LongLink", 'L', "", n);
        return entry(name.substring(0, Math.min(99, name.length())), '0', "", content);
    }

    TestTar entry(String name, char type, String link, byte[] content) {
        byte[] h = new byte[512];
        byte[] nb = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nb, 0, h, 0, Math.min(100, nb.length));
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, content.length);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        byte[] lb = link.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(lb, 0, h, 157, Math.min(100, lb.length));
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        out.writeBytes(h);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        return this;
    }

    Path writeTo(Path file) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.writeBytes(new byte[1024]);
        Files.write(file, all.toByteArray());
        return file;
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        s = "0".repeat(len - 1 - s.length()) + s;
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
    }
}
