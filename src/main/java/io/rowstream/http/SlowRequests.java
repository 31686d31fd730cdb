package io.rowstream.http;

import io.rowstream.background.BackgroundLoop;
import io.rowstream.config.OpsConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops clients that send a request too slowly to hold connections and threads (slowloris), as
 * Apache's mod_reqtimeout does. The headers of a request must be complete within the header
 * timeout of its first byte, or the connection is closed. A body must then arrive by
 * {@code start + timeout + bytes so far / min rate}, or reading it fails with 408. Only what the
 * client sends is timed: a request being answered that reads no body (a long-poll waiting for
 * records) and an idle keep-alive connection (Jetty's idle timeout) are not.
 *
 * <p>A listener of each connector (for the headers) and a handler wrapping the app (for bodies);
 * one timer thread checks both a few times per timeout.
 */
final class SlowRequests extends Handler.Wrapper implements Connection.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(SlowRequests.class);

  private final long timeoutNanos;
  private final long minBodyRate;
  private final long tickMs;
  private final Map<Connection, Headers> connections = new ConcurrentHashMap<>();
  private final Set<Body> bodies = ConcurrentHashMap.newKeySet();
  private BackgroundLoop timer;

  SlowRequests(OpsConfig.Limits limits) {
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(limits.requestHeaderTimeoutMs());
    this.minBodyRate = limits.minRequestBodyRate();
    this.tickMs = Math.clamp(limits.requestHeaderTimeoutMs() / 4, 5, 1_000);
  }

  @Override
  protected void doStart() throws Exception {
    timer = BackgroundLoop.every("slow-requests", Duration.ofMillis(tickMs), this::check);
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    timer.close();
    super.doStop();
  }

  @Override
  public void onOpened(Connection connection) {
    if (connection
        instanceof ConnectionMetaData) { // the HTTP connection, not the TLS one beneath it
      connections.put(connection, new Headers(connection));
    }
  }

  @Override
  public void onClosed(Connection connection) {
    connections.remove(connection);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Headers headers = connections.get(request.getConnectionMetaData().getConnection());
    if (headers != null) {
      headers.complete();
    }
    boolean hasBody =
        request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    Body body = hasBody ? new Body(request) : null;
    if (body != null) {
      bodies.add(body);
    }
    Runnable done = () -> {
      if (body != null) {
        bodies.remove(body);
      }
      if (headers != null) {
        headers.awaitNext();
      }
    };
    boolean handled = false;
    try {
      handled =
          super.handle(body == null ? request : body, response, Callback.from(callback, done));
      return handled;
    } finally {
      if (!handled) {
        done.run();
      }
    }
  }

  private void check() {
    long now = System.nanoTime();
    connections.values().forEach(h -> h.check(now));
    bodies.forEach(b -> b.check(now));
  }

  /** The headers of a connection's next request: timed from the first byte that arrives after the last one. */
  private final class Headers {
    private final Connection connection;
    private volatile boolean handling;
    private volatile long bytesBefore;
    private volatile long firstByteNanos = -1;

    Headers(Connection connection) {
      this.connection = connection;
      this.bytesBefore = connection.getBytesIn();
    }

    void complete() {
      handling = true;
      firstByteNanos = -1;
    }

    void awaitNext() {
      bytesBefore = connection.getBytesIn();
      firstByteNanos = -1;
      handling = false;
    }

    void check(long now) {
      if (handling || connection.getBytesIn() == bytesBefore) {
        return;
      }
      if (firstByteNanos < 0) {
        firstByteNanos = now;
      } else if (now - firstByteNanos > timeoutNanos) {
        LOG.info(
            "closing a connection whose request headers took longer than timeoutMs={} remote={}",
            TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
            connection.getEndPoint().getRemoteSocketAddress());
        connection.getEndPoint().close();
      }
    }
  }

  /** A request body, failed with 408 when it falls behind its deadline. */
  private final class Body extends Request.Wrapper {
    private final long startNanos = System.nanoTime();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicReference<Runnable> waiting = new AtomicReference<>();
    private volatile boolean complete;
    private volatile Content.Chunk failure;

    Body(Request request) {
      super(request);
    }

    @Override
    public Content.Chunk read() {
      Content.Chunk failed = failure;
      if (failed != null) {
        return failed;
      }
      Content.Chunk chunk = super.read();
      if (chunk != null) {
        bytes.addAndGet(chunk.remaining());
        complete |= chunk.isLast();
      }
      return chunk;
    }

    @Override
    public void demand(Runnable onContent) {
      AtomicBoolean ran = new AtomicBoolean();
      Runnable once = () -> {
        if (ran.compareAndSet(false, true)) {
          onContent.run();
        }
      };
      waiting.set(once);
      super.demand(once);
    }

    void check(long now) {
      if (complete || failure != null) {
        return;
      }
      long allowed = timeoutNanos + bytes.get() * 1_000_000_000L / minBodyRate;
      if (now - startNanos > allowed) {
        failure = Content.Chunk.from(
            new HttpException.RuntimeException(
                408,
                "The request body arrived slower than " + minBodyRate
                    + " bytes/s (ROWSTREAM_MIN_REQUEST_BODY_RATE)."),
            true);
        Runnable wake = waiting.getAndSet(null);
        if (wake != null) {
          wake.run(); // the reader reads again and gets the failure
        }
      }
    }
  }
}
