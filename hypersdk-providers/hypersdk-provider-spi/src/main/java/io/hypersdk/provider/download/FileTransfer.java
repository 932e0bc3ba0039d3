package io.hypersdk.provider.download;

import io.hypersdk.core.CancelledException;
import io.hypersdk.core.progress.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One file's download: attempts, retries, resume, verification, rename into place. */
final class FileTransfer {

  private static final Logger LOG = LoggerFactory.getLogger(FileTransfer.class);
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern CONTENT_RANGE_UNSATISFIED = Pattern.compile("bytes\\s+\\*/(\\d+)");

  /** Thrown when the transfer stops because of cancellation or a sibling's failure. */
  static final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stopped() {
      super("stopped", null, false, false);
    }
  }

  /** A failure worth retrying. */
  private static final class Transient extends Exception {
    private static final long serialVersionUID = 1L;
    final long retryAfterMillis;

    Transient(String message, Throwable cause, long retryAfterMillis) {
      super(message, cause);
      this.retryAfterMillis = retryAfterMillis;
    }
  }

  /** The partial file cannot be continued: delete it and start from byte 0. */
  private static final class StartOver extends Exception {
    private static final long serialVersionUID = 1L;

    StartOver(String message) {
      super(message);
    }
  }

  private final DownloadEngine engine;
  private final DownloadRequest request;
  private final BandwidthLimiter limiter;
  private final BooleanSupplier stopped;
  private final ProgressMeter meter;
  private final Path target;
  private final Path part;
  private final Path stateFile;
  private final String uriForLog;

  private volatile Thread worker;
  private volatile InputStream body;
  private volatile long lastActivityNanos;
  private volatile boolean streaming;
  private volatile boolean stalled;

  FileTransfer(DownloadEngine engine, DownloadRequest request, ProgressListener listener, BandwidthLimiter limiter,
         BooleanSupplier stopped) {
    this.engine = engine;
    this.request = request;
    this.limiter = limiter;
    this.stopped = stopped;
    this.target = request.target().toAbsolutePath().normalize();
    String name = target.getFileName().toString();
    this.part = target.resolveSibling("." + name + ".part");
    this.stateFile = target.resolveSibling("." + name + ".part.state");
    this.uriForLog = DownloadRequest.redact(request.uri());
    this.meter = new ProgressMeter(name, listener, engine.clock, engine.progressInterval);
  }

  /** The partial file of a target, for tests and callers that clean up. */
  static Path partFileOf(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".part");
  }

  DownloadedFile run() {
    worker = Thread.currentThread();
    try {
      createParent();
      int failures = 0;
      int startOvers = 0;
      long highWater = 0;
      boolean allowResume = engine.resume;
      while (true) {
        checkStopped();
        Thread.interrupted(); // clear a stale interrupt from the stall watchdog
        stalled = false;
        try {
          return attempt(allowResume);
        } catch (StartOver e) {
          startOvers++;
          LOG.info("{}: {}; starting over from byte 0", target.getFileName(), e.getMessage());
          deletePartial();
          if (startOvers > engine.maxAttempts) {
            throw new DownloadException(target, "download of " + uriForLog + " to " + target + " kept failing ("
                + e.getMessage() + ") after " + startOvers + " fresh starts; check the server", false, null);
          }
        } catch (Transient e) {
          checkStopped();
          long reached = currentPartSize();
          if (reached > highWater) {
            highWater = reached;
            failures = 0;
          }
          failures++;
          if (failures >= engine.maxAttempts) {
            throw new DownloadException(target, "download of " + uriForLog + " to " + target + " failed after "
                + failures + " attempts without progress: " + e.getMessage()
                + "; the partial file is kept, run again to resume", true, e.getCause());
          }
          long delay = backoffMillis(failures, e.retryAfterMillis);
          LOG.warn("{}: {}; retrying in {} ms (attempt {} of {})", target.getFileName(), e.getMessage(), delay,
              failures + 1, engine.maxAttempts);
          sleep(delay);
        }
      }
    } finally {
      worker = null;
    }
  }

  /** Closes the body and interrupts the worker so a blocked read or sleep returns now. */
  void interrupt() {
    InputStream in = body;
    if (in != null) {
      closeQuietly(in);
    }
    Thread t = worker;
    if (t != null) {
      t.interrupt();
    }
  }

  /** Called by the watchdog: drops a body that delivered nothing for the idle timeout. */
  void checkStalled() {
    if (streaming && System.nanoTime() - lastActivityNanos > engine.idleTimeout.toNanos()) {
      stalled = true;
      interrupt();
    }
  }

  private DownloadedFile attempt(boolean allowResume) throws Transient, StartOver {
    long offset = 0;
    Optional<ResumeState> saved = ResumeState.read(stateFile);
    if (allowResume && Files.isRegularFile(part) && saved.isPresent()
        && saved.get().sameResource(request.uri().toString())
        && (saved.get().ifRangeValidator().isPresent() || request.expectedSha256().isPresent())) {
      offset = currentPartSize();
      long limit = request.expectedSize().orElse(saved.get().length().orElse(Long.MAX_VALUE));
      if (offset > limit) {
        throw new StartOver("partial file is larger than the file");
      }
    } else {
      deletePartial();
    }

    HttpRequest.Builder rb = HttpRequest.newBuilder(request.uri()).GET().timeout(engine.requestTimeout);
    request.headers().forEach(rb::header);
    if (offset > 0) {
      rb.header("Range", "bytes=" + offset + "-");
      saved.flatMap(ResumeState::ifRangeValidator).ifPresent(v -> rb.header("If-Range", v));
      LOG.info("{}: resuming at byte {}", target.getFileName(), offset);
    }
    Reply response = send(rb.build());
    int status = response.statusCode();
    HttpHeaders headers = response.headers();
    OptionalLong contentLength = headers.firstValueAsLong("Content-Length");
    switch (status) {
      case 200: {
        if (request.expectedSize().isPresent() && contentLength.isPresent()
            && contentLength.getAsLong() != request.expectedSize().getAsLong()) {
          closeQuietly(response.body());
          throw new DownloadException(target, "GET " + uriForLog + " announces " + contentLength.getAsLong()
              + " bytes but " + request.expectedSize().getAsLong()
              + " were expected; the source changed or the server is misconfigured", false, null);
        }
        if (offset > 0) {
          LOG.info("{}: server answered 200 to a range request (range ignored or the file changed)", target.getFileName());
        }
        OptionalLong total = request.expectedSize().isPresent() ? request.expectedSize() : contentLength;
        saveState(ResumeState.of(request.uri().toString(), headers, total));
        return stream(response, 0, total, contentLength, false);
      }
      case 206: {
        Matcher m = CONTENT_RANGE.matcher(headers.firstValue("Content-Range").orElse(""));
        if (offset == 0 || !m.matches() || Long.parseLong(m.group(1)) != offset) {
          closeQuietly(response.body());
          throw new StartOver("server answered 206 with Content-Range '"
              + headers.firstValue("Content-Range").orElse("") + "' to a request from byte " + offset);
        }
        Optional<String> etag = headers.firstValue("ETag");
        if (saved.get().etag().isPresent() && etag.isPresent() && !etag.equals(saved.get().etag())) {
          closeQuietly(response.body());
          throw new StartOver("the file changed on the server (ETag " + saved.get().etag().get() + " -> " + etag.get() + ")");
        }
        OptionalLong total = request.expectedSize();
        if (total.isEmpty() && !m.group(3).equals("*")) {
          total = OptionalLong.of(Long.parseLong(m.group(3)));
        }
        return stream(response, offset, total, contentLength, true);
      }
      case 416: {
        closeQuietly(response.body());
        if (offset == 0) {
          throw new DownloadException(target, "GET " + uriForLog + " answered 416 Range Not Satisfiable to a request without a range; check the server", false, null);
        }
        Matcher m = CONTENT_RANGE_UNSATISFIED.matcher(headers.firstValue("Content-Range").orElse(""));
        long total = m.matches() ? Long.parseLong(m.group(1)) : request.expectedSize().orElse(-1);
        if (total == offset) {
          LOG.info("{}: server answered 416; the partial file already holds all {} bytes", target.getFileName(), total);
          meter.start(offset, total);
          return complete(offset, hashPart(offset), true);
        }
        throw new StartOver("server answered 416 to a resume at byte " + offset + " (file size " + (total < 0 ? "unknown" : total) + ")");
      }
      default:
        closeQuietly(response.body());
        if (status == 408 || status == 425 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504) {
          throw new Transient("server answered " + status, null, retryAfterMillis(headers));
        }
        throw new DownloadException(target, "GET " + uriForLog + " answered " + status + advice(status), false, null);
    }
  }

  /** Status, headers and body of an answer, whether or not {@code send} itself completed. */
  private record Reply(int statusCode, HttpHeaders headers, InputStream body) {}

  /**
   * Sends the request. The client may fail {@code send} when the connection drops before it has
   * handed out the response, although the headers and part of the body already arrived (seen on a
   * loaded machine with a server that drops mid-body): then the body queue still holds those
   * bytes, followed by the error, and they are valid data to keep, so the answer is built from
   * what the body handler saw instead of being thrown away.
   */
  private Reply send(HttpRequest request) throws Transient {
    AtomicReference<HttpResponse.ResponseInfo> seen = new AtomicReference<>();
    AtomicReference<BodyQueue> queue = new AtomicReference<>();
    try {
      HttpResponse<InputStream> r = engine.httpClient.send(request, info -> {
        BodyQueue q = new BodyQueue(Math.max(4L * engine.bufferSize, 1 << 20));
        seen.set(info);
        queue.set(q);
        return q;
      });
      return new Reply(r.statusCode(), r.headers(), r.body());
    } catch (IOException e) {
      if (seen.get() != null) {
        LOG.debug("{}: connection lost before the response was handed out ({}); keeping what arrived",
            target.getFileName(), describe(e));
        queue.get().endWith(e); // the reader sees the bytes that arrived, then this error
        return new Reply(seen.get().statusCode(), seen.get().headers(), queue.get());
      }
      throw new Transient("request failed: " + describe(e), e, 0);
    } catch (InterruptedException e) {
      checkStopped();
      throw new Transient("request interrupted", e, 0);
    }
  }

  private DownloadedFile stream(Reply response, long offset, OptionalLong total,
                 OptionalLong contentLength, boolean resumed) throws Transient, StartOver {
    MessageDigest digest = offset > 0 ? hashPrefix(offset) : sha256();
    long received = 0;
    meter.start(offset, total.orElse(-1));
    InputStream in = response.body();
    byte[] buf = new byte[engine.bufferSize];
    ByteBuffer direct = ByteBuffer.allocateDirect(buf.length);
    try (FileChannel out = openPart(offset)) {
      body = in;
      lastActivityNanos = System.nanoTime();
      streaming = true;
      while (true) {
        int n = 0;
        boolean eof = false;
        IOException lost = null;
        try {
          // fill the whole buffer: the JDK client hands out its 16 KiB buffers one by one, and one
          // write and digest call per 256 KiB costs far less than one per 16 KiB. Every read that
          // returns bytes counts as activity, so a slow but live server is never taken for stalled.
          while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
              eof = true;
              break;
            }
            n += r;
            lastActivityNanos = System.nanoTime();
          }
        } catch (IOException e) {
          checkStopped();
          lost = e; // keep what arrived before the failure: it is valid data
        }
        if (n == 0 && lost != null) {
          throw lostConnection(offset + received, lost);
        }
        if (n == 0) {
          break;
        }
        lastActivityNanos = System.nanoTime();
        if (total.isPresent() && offset + received + n > total.getAsLong()) {
          throw new StartOver("server sent more than the " + total.getAsLong() + " bytes announced");
        }
        streaming = false; // waiting for the bandwidth limit is not a stalled server
        try {
          limiter.acquire(n);
        } catch (InterruptedException e) {
          checkStopped();
          Thread.interrupted();
        }
        lastActivityNanos = System.nanoTime();
        streaming = true;
        // one reused direct buffer: RandomAccessFile.write would malloc (mmap) 256 KiB per call
        direct.clear();
        direct.put(buf, 0, n).flip();
        try {
          while (direct.hasRemaining()) {
            out.write(direct);
          }
        } catch (ClosedByInterruptException e) {
          checkStopped();
          throw new Transient("interrupted while writing " + part.getFileName(), e, 0);
        } catch (IOException e) {
          throw localFailure("cannot write " + part, e);
        }
        digest.update(buf, 0, n);
        received += n;
        meter.advance(n);
        if (stopped.getAsBoolean()) {
          throw new Stopped();
        }
        if (lost != null) {
          throw lostConnection(offset + received, lost);
        }
        if (eof) {
          break;
        }
      }
      checkStopped();
      try {
        out.force(true);
      } catch (ClosedByInterruptException e) {
        checkStopped();
        throw new Transient("interrupted while flushing " + part.getFileName(), e, 0);
      } catch (IOException e) {
        throw localFailure("cannot flush " + part, e);
      }
    } catch (IOException e) {
      throw localFailure("cannot write " + part, e);
    } finally {
      streaming = false;
      body = null;
      closeQuietly(in);
    }
    if (contentLength.isPresent() && received != contentLength.getAsLong()) {
      throw new Transient("connection closed after " + received + " of " + contentLength.getAsLong() + " body bytes", null, 0);
    }
    long size = offset + received;
    if (total.isPresent() && size < total.getAsLong()) {
      throw new Transient("connection closed at byte " + size + " of " + total.getAsLong(), null, 0);
    }
    return complete(size, HexFormat.of().formatHex(digest.digest()), resumed);
  }

  private DownloadedFile complete(long size, String sha256, boolean resumed) throws StartOver {
    if (request.expectedSize().isPresent() && size != request.expectedSize().getAsLong()) {
      if (resumed) {
        throw new StartOver("resumed file has " + size + " bytes, expected " + request.expectedSize().getAsLong());
      }
      deletePartial();
      throw new DownloadException(target, "download of " + uriForLog + " has " + size + " bytes but "
          + request.expectedSize().getAsLong() + " were expected; the source changed or the server is misconfigured", false, null);
    }
    if (request.expectedSha256().isPresent() && !request.expectedSha256().get().equals(sha256)) {
      if (resumed) {
        throw new StartOver("resumed file does not match the expected SHA-256");
      }
      deletePartial();
      throw new DownloadException(target, "download of " + uriForLog + " has SHA-256 " + sha256 + " but "
          + request.expectedSha256().get() + " was expected; the source changed or the transfer is corrupt", false, null);
    }
    try {
      try {
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.deleteIfExists(stateFile);
      fsyncDirectory(target.getParent());
    } catch (IOException e) {
      throw localFailure("cannot move " + part + " to " + target, e);
    }
    meter.finish(size);
    LOG.debug("{}: complete, {} bytes, sha256 {}", target.getFileName(), size, sha256);
    return new DownloadedFile(target, size, sha256);
  }

  private FileChannel openPart(long offset) {
    try {
      FileChannel f = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      f.truncate(offset);
      f.position(offset);
      return f;
    } catch (IOException e) {
      throw localFailure("cannot open " + part, e);
    }
  }

  private MessageDigest hashPrefix(long length) {
    MessageDigest md = sha256();
    byte[] buf = new byte[engine.bufferSize];
    try (InputStream in = Files.newInputStream(part)) {
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new IOException("partial file shorter than " + length + " bytes");
        }
        md.update(buf, 0, n);
        left -= n;
        checkStopped();
      }
    } catch (IOException e) {
      throw localFailure("cannot read " + part, e);
    }
    return md;
  }

  private String hashPart(long length) {
    return HexFormat.of().formatHex(hashPrefix(length).digest());
  }

  private void saveState(ResumeState state) {
    try {
      state.write(stateFile);
    } catch (IOException e) {
      throw localFailure("cannot write " + stateFile, e);
    }
  }

  private void createParent() {
    try {
      Files.createDirectories(target.getParent());
    } catch (IOException e) {
      throw localFailure("cannot create directory " + target.getParent(), e);
    }
    if (Files.isDirectory(target)) {
      throw new DownloadException(target, "download target " + target + " is a directory; choose a file name", false, null);
    }
  }

  private void deletePartial() {
    try {
      Files.deleteIfExists(part);
      Files.deleteIfExists(stateFile);
    } catch (IOException e) {
      throw localFailure("cannot delete " + part, e);
    }
  }

  private long currentPartSize() {
    try {
      return Files.isRegularFile(part) ? Files.size(part) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private void checkStopped() {
    if (stopped.getAsBoolean()) {
      throw new Stopped();
    }
  }

  /** Sleeps for the backoff, in short slices so that cancellation is seen within 100 ms. */
  private void sleep(long millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    while (true) {
      checkStopped();
      long left = end - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        Thread.sleep(Math.min(100, Math.max(1, left / 1_000_000L)));
      } catch (InterruptedException e) {
        // a stall-watchdog interrupt or cancellation: checked at the top of the loop
      }
    }
  }

  private long backoffMillis(int failures, long retryAfterMillis) {
    long initial = engine.initialBackoff.toMillis();
    long max = engine.maxBackoff.toMillis();
    long base = Math.min(max, initial << Math.min(20, failures - 1));
    long jittered = base / 2 + (base > 1 ? ThreadLocalRandom.current().nextLong(base / 2 + 1) : 0);
    return Math.min(max, Math.max(jittered, retryAfterMillis));
  }

  private static long retryAfterMillis(HttpHeaders headers) {
    Optional<String> v = headers.firstValue("Retry-After");
    if (v.isPresent() && v.get().trim().matches("\\d{1,6}")) {
      return Long.parseLong(v.get().trim()) * 1000;
    }
    return 0;
  }

  private static String advice(int status) {
    switch (status) {
      case 401: case 403:
        return " (" + (status == 401 ? "Unauthorized" : "Forbidden")
            + "): the session or ticket expired or may not read this file; reconnect and export again";
      case 404: case 410:
        return " (Not Found): the file is gone; check that the export lease is still valid and the disk exists";
      default:
        return "; this is not retried, check the server";
    }
  }

  private Transient lostConnection(long at, IOException e) {
    String what = stalled ? "no data for " + (engine.idleTimeout.toMillis() < 1000 ? engine.idleTimeout.toMillis() + " ms"
        : engine.idleTimeout.toSeconds() + " s") : "connection lost";
    return new Transient(what + " after " + at + " bytes: " + describe(e), e, 0);
  }

  private DownloadException localFailure(String what, IOException e) {
    checkStopped(); // an interrupted channel after cancellation or a sibling's failure is no disk error
    return new DownloadException(target, what + ": " + describe(e) + "; check free space and permissions of " + target.getParent(), false, e);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : " " + m);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      LOG.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      // closing a dropped connection; nothing to do
    }
  }
}
