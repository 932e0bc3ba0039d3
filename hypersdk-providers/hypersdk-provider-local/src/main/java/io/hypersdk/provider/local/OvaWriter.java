package io.hypersdk.provider.local;

import io.hypersdk.core.Cancellation;
import io.hypersdk.core.CancelledException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Packs files into an OVA (ustar; GNU long names when a name exceeds 100 bytes), atomically. */
final class OvaWriter {
  private OvaWriter() {}

  static void write(Path ova, List<Path> members, Cancellation cancellation) throws IOException {
    Path part = ova.resolveSibling("." + ova.getFileName() + ".part");
    try {
      pack(part, members, cancellation);
      try (FileChannel ch = FileChannel.open(part, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(part, ova, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  private static void pack(Path part, List<Path> members, Cancellation cancellation) throws IOException {
    try (OutputStream out = Files.newOutputStream(part)) {
      byte[] buf = new byte[1 << 20];
      for (Path m : members) {
        String name = m.getFileName().toString();
        long size = Files.size(m);
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
          out.write(header("././@LongLink", nameBytes.length + 1, 'L'));
          out.write(nameBytes);
          out.write(new byte[pad(nameBytes.length + 1) + 1]);
        }
        out.write(header(name, size, '0'));
        try (InputStream in = Files.newInputStream(m)) {
          long copied = 0;
          int n;
          while ((n = in.read(buf)) > 0) {
            if (cancellation.isCancelled()) {
              throw new CancelledException("export cancelled while writing " + part.getFileName());
            }
            out.write(buf, 0, n);
            copied += n;
          }
          if (copied != size) {
            throw new IOException(m + " changed size while being packed");
          }
        }
        out.write(new byte[pad(size)]);
      }
      out.write(new byte[1024]);
    }
  }

  private static int pad(long size) {
    return (int) ((512 - size % 512) % 512);
  }

  private static byte[] header(String name, long size, char type) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    if (size > 077777777777L) { // GNU base-256 for members of 8 GiB and more
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (size >>> (8 * i));
      }
    } else {
      octal(h, 124, 12, size);
    }
    octal(h, 136, 12, 0);
    h[156] = (byte) type;
    byte[] magic = "ustar\0".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, 6);
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
    h[155] = ' ';
    return h;
  }

  private static void octal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    if (s.length() > len - 1) {
      throw new IllegalArgumentException("value " + v + " does not fit a tar header field");
    }
    s = "0".repeat(len - 1 - s.length()) + s;
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }
}
