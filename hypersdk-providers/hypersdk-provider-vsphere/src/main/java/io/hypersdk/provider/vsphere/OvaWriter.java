package io.hypersdk.provider.vsphere;

import io.hypersdk.core.Cancellation;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Packs files into an OVA (a POSIX ustar archive, descriptor first), written to a dot-file and
 * renamed into place when complete.
 */
final class OvaWriter {
  private static final int BLOCK = 512;

  private OvaWriter() {
  }

  static void write(Path ova, List<Path> members, Cancellation cancellation) {
    Path tmp = ova.toAbsolutePath().getParent().resolve("." + ova.getFileName() + ".part");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      byte[] buf = new byte[1 << 16];
      for (Path m : members) {
        String name = m.getFileName().toString();
        long size = Files.size(m);
        out.write(header(name, size, Files.getLastModifiedTime(m).toMillis() / 1000));
        try (InputStream in = Files.newInputStream(m)) {
          int n;
          while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
            cancellation.throwIfCancelled();
          }
        }
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[pad]);
      }
      out.write(new byte[BLOCK * 2]);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new VsphereException("cannot write OVA " + ova + ": " + e.getMessage() + "; check free space", e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
    try {
      try {
        Files.move(tmp, ova, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, ova, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new VsphereException("cannot rename OVA into place at " + ova + ": " + e.getMessage(), e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // best effort: a stale dot-file is overwritten by the next run
    }
  }

  static byte[] header(String name, long size, long mtime) {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100) {
      throw new VsphereException("file name " + name + " is longer than 100 bytes and cannot go into an OVA;"
          + " export as OVF or rename the VM");
    }
    byte[] h = new byte[BLOCK];
    System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
    octal(h, 100, 8, 0644);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    if (size < 077777777777L) {
      octal(h, 124, 12, size);
    } else {
      // GNU base-256 size for members of 8 GiB and more (read by GNU tar, libarchive, Python)
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (size >>> (8 * i));
      }
    }
    octal(h, 136, 12, mtime);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = '0';
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    h[155] = ' ';
    return h;
  }

  private static void octal(byte[] h, int off, int len, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > len - 1) {
      throw new VsphereException("value " + value + " does not fit a tar header field; the file is too large for ustar");
    }
    String padded = "0".repeat(len - 1 - s.length()) + s;
    byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, b.length);
    h[off + len - 1] = 0;
  }
}
