package io.hypersdk.provider.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class BodyQueueTest {

  /** A publisher side that records demand and can push chunks. */
  private static final class Upstream implements Flow.Subscription {
    final AtomicLong demand = new AtomicLong();
    final AtomicBoolean cancelled = new AtomicBoolean();

    @Override
    public void request(long n) {
      demand.addAndGet(n);
    }

    @Override
    public void cancel() {
      cancelled.set(true);
    }
  }

  private static List<ByteBuffer> chunk(int size, byte value) {
    byte[] b = new byte[size];
    java.util.Arrays.fill(b, value);
    return List.of(ByteBuffer.wrap(b));
  }

  @Test
  void asksForMoreOnlyWhileLessThanTheLimitIsQueued() throws IOException {
    BodyQueue q = new BodyQueue(64 * 1024);
    Upstream up = new Upstream();
    q.onSubscribe(up);
    assertThat(up.demand.get()).isEqualTo(1);

    long delivered = 0;
    while (up.demand.get() > 0) {
      up.demand.decrementAndGet();
      q.onNext(chunk(16 * 1024, (byte) 1));
      delivered += 16 * 1024;
      assertThat(delivered).as("never more than the limit in memory").isLessThanOrEqualTo(64 * 1024);
    }
    assertThat(delivered).isEqualTo(64 * 1024);

    byte[] buf = new byte[10_000];
    assertThat(q.read(buf, 0, buf.length)).isEqualTo(10_000);
    assertThat(up.demand.get()).as("reading below the limit asks for the next chunk").isEqualTo(1);
  }

  @Test
  void deliversQueuedBytesBeforeAnErrorAndThenTheError() throws IOException {
    BodyQueue q = new BodyQueue(1 << 20);
    q.onSubscribe(new Upstream());
    q.onNext(chunk(100, (byte) 7));
    q.onError(new IOException("connection reset"));
    byte[] buf = new byte[1000];
    assertThat(q.read(buf, 0, buf.length)).isEqualTo(100);
    assertThat(buf[99]).isEqualTo((byte) 7);
    assertThatThrownBy(() -> q.read(buf, 0, buf.length)).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
  }

  @Test
  void endOfBodyReadsAsMinusOne() throws IOException {
    BodyQueue q = new BodyQueue(1 << 20);
    q.onSubscribe(new Upstream());
    q.onNext(chunk(3, (byte) 1));
    q.onComplete();
    assertThat(q.readAllBytes()).hasSize(3);
    assertThat(q.read()).isEqualTo(-1);
  }

  @Test
  void closeUnblocksAWaitingReaderAndCancelsTheSubscription() throws Exception {
    BodyQueue q = new BodyQueue(1 << 20);
    Upstream up = new Upstream();
    q.onSubscribe(up);
    CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
      try {
        q.read(new byte[10], 0, 10);
        return null;
      } catch (IOException e) {
        return e;
      }
    });
    Thread.sleep(100);
    q.close();
    assertThat(reader.get(5, TimeUnit.SECONDS)).isInstanceOf(IOException.class).hasMessage("closed");
    assertThat(up.cancelled).isTrue();
  }

  @Test
  void anInterruptedReaderGetsAnInterruptedIoException() throws Exception {
    BodyQueue q = new BodyQueue(1 << 20);
    q.onSubscribe(new Upstream());
    Throwable[] seen = new Throwable[1];
    Thread t = new Thread(() -> {
      try {
        q.read(new byte[10], 0, 10);
      } catch (IOException e) {
        seen[0] = e;
      }
    });
    t.start();
    Thread.sleep(100);
    t.interrupt();
    t.join(5000);
    assertThat(seen[0]).isInstanceOf(InterruptedIOException.class);
  }
}
