package io.rowstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a request slowly do not keep a connection forever: with a 1 s header timeout
 * and 500 B/s minimum body rate, a trickled header or body is cut off within seconds (Jetty's
 * idle timeout, 30 s, never fires while a byte arrives now and then), while a long-poll, which
 * sends nothing while it waits, still gets its answer.
 */
class SlowClientsTest {
  private static final int TIMEOUT_MS = 1_000;
  private static TestBroker broker;
  private static int port;
  private static ScheduledExecutorService trickle;

  @BeforeAll
  static void start() {
    broker = TestBroker.start(
        "slowclients",
        c -> c.withOps(c.ops().withLimits(c.ops().limits().withRequestDeadlines(TIMEOUT_MS, 500))));
    port = broker.node(0).port();
    broker.http().createTopic("events", 1);
    broker.http().createTopic("slow", 1);
    trickle = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterAll
  static void stop() {
    trickle.shutdownNow();
    broker.close();
  }

  @Test
  void a_partial_header_followed_by_nothing_is_closed_within_the_timeout() throws IOException {
    try (Socket socket = connect()) {
      send(socket, "GET /topics HTTP/1.1\r\nHost: localhost\r\n");
      assertClosedWithin(socket, Duration.ofMillis(TIMEOUT_MS * 4));
    }
  }

  @Test
  void headers_that_trickle_in_are_closed_within_the_timeout() throws IOException {
    try (Socket socket = connect()) {
      send(socket, "GET /topics HTTP/1.1\r\nHost: localhost\r\n");
      var sending = trickle.scheduleAtFixedRate(
          () -> send(socket, "X-Slow: 1\r\n"), 100, 100, TimeUnit.MILLISECONDS);
      try {
        assertClosedWithin(socket, Duration.ofMillis(TIMEOUT_MS * 4));
      } finally {
        sending.cancel(true);
      }
    }
  }

  @Test
  void a_body_that_trickles_in_is_refused_with_408() throws IOException {
    try (Socket socket = connect()) {
      send(
          socket,
          "POST /topics/slow HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + TestHttp.BINARY
              + "\r\nContent-Length: 100000\r\n\r\n{\"records\":[{\"value\":\"");
      var sending =
          trickle.scheduleAtFixedRate(() -> send(socket, "QUFB"), 100, 100, TimeUnit.MILLISECONDS);
      try {
        String answer = assertClosedWithin(socket, Duration.ofMillis(TIMEOUT_MS * 4));
        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error_code\":408");
      } finally {
        sending.cancel(true);
      }
    }
    assertThat(broker.queryLong(
            "select p.log_end_offset from topic_partition p join topic t using (topic_id) "
                + "where t.name = 'slow'"))
        .isZero();
  }

  @Test
  void a_long_poll_longer_than_the_timeout_still_gets_its_answer() {
    long start = System.nanoTime();
    var r = broker
        .http()
        .get(
            "/topics/events/partitions/0/records?offset=0&timeout=" + (TIMEOUT_MS * 3),
            "Accept",
            TestHttp.BINARY);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(TIMEOUT_MS * 2));
  }

  @Test
  void a_normal_body_passes() {
    var r = broker
        .http()
        .post("/topics/events", TestHttp.BINARY, "{\"records\":[{\"value\":\"QUFB\"}]}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(broker.http().get("/topics").status()).isEqualTo(200);
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket("localhost", port);
    socket.setSoTimeout(15_000);
    return socket;
  }

  private static void send(Socket socket, String text) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads until the node closes the connection, which must happen within {@code limit}; returns what it sent. */
  private static String assertClosedWithin(Socket socket, Duration limit) throws IOException {
    long start = System.nanoTime();
    InputStream in = socket.getInputStream();
    StringBuilder answer = new StringBuilder();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        answer.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (java.net.SocketException e) {
      // a reset is a close too
    }
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("time until the node closed the connection")
        .isLessThan(limit);
    return answer.toString();
  }
}
