package io.hypersdk.provider.download;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body as an {@link InputStream} with a bounded read-ahead. The JDK's
 * {@code BodyHandlers.ofInputStream()} holds one buffer list and asks for the next only once the
 * reader took it, so the network and the reader (hashing, writing) take turns; this one keeps
 * requesting until {@code limit} bytes are queued, so they overlap, and memory stays bounded.
 * A blocked read returns on {@link #close()} (IOException) or on interrupt
 * ({@link InterruptedIOException}).
 */
final class BodyQueue extends InputStream implements HttpResponse.BodySubscriber<InputStream> {

  private final long limit;
  private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private Flow.Subscription subscription;
  private long queued;
  private boolean requested;
  private boolean done;
  private boolean closed;
  private Throwable error;

  BodyQueue(long limit) {
    this.limit = limit;
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    synchronized (this) {
      if (closed || subscription != null) {
        s.cancel();
        return;
      }
      subscription = s;
      requested = true;
    }
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    Flow.Subscription more = null;
    synchronized (this) {
      requested = false;
      if (closed) {
        return;
      }
      for (ByteBuffer b : items) {
        if (b.hasRemaining()) {
          queue.add(b);
          queued += b.remaining();
        }
      }
      if (queued < limit) {
        requested = true;
        more = subscription;
      }
      notifyAll();
    }
    if (more != null) {
      more.request(1);
    }
  }

  @Override
  public synchronized void onError(Throwable t) {
    error = t;
    done = true;
    notifyAll();
  }

  /** Ends the body with {@code t} unless the client already ended it. */
  synchronized void endWith(Throwable t) {
    if (!done) {
      error = t;
      done = true;
      notifyAll();
    }
  }

  @Override
  public synchronized void onComplete() {
    done = true;
    notifyAll();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    Flow.Subscription more = null;
    int n;
    synchronized (this) {
      while (queue.isEmpty()) {
        if (closed) {
          throw new IOException("closed");
        }
        if (error != null) {
          throw error instanceof IOException io ? new IOException(io.getMessage(), io) : new IOException(error);
        }
        if (done) {
          return -1;
        }
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the response body");
        }
      }
      ByteBuffer head = queue.peek();
      n = Math.min(len, head.remaining());
      head.get(b, off, n);
      queued -= n;
      if (!head.hasRemaining()) {
        queue.poll();
      }
      if (!requested && !done && queued < limit) {
        requested = true;
        more = subscription;
      }
    }
    if (more != null) {
      more.request(1);
    }
    return n;
  }

  @Override
  public void close() {
    Flow.Subscription s;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      s = subscription;
      queue.clear();
      queued = 0;
      notifyAll();
    }
    if (s != null) {
      s.cancel();
    }
  }
}
