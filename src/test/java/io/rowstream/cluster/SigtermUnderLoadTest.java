package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestHttp.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A node in its own process, under produce load, gets SIGTERM: it exits within its bound and every
 * record it acknowledged is in the log at the offset it gave.
 */
@Tag("slow")
class SigtermUnderLoadTest {
  private static final Pattern STARTED = Pattern.compile("rowstream node started .*port=(\\d+)");
  private static final long BOUND_MS = 15_000;

  @Test
  void sigterm_during_a_produce_load_loses_no_acknowledged_record() throws Exception {
    try (TestBroker broker = TestBroker.start("sigterm")) {
      broker.http().createTopic("load", 2);
      Path logFile =
          Files.createTempFile(Path.of(System.getProperty("java.io.tmpdir")), "sigterm", ".log");
      Process child = startChild(broker, logFile);
      try {
        int port = awaitPort(child, logFile);
        TestHttp http = new TestHttp("http://localhost:" + port);
        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(200);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int producer = t;
          producers.add(Thread.ofVirtual()
              .start(() -> produceUntilRefused(http, producer, acked, refused, enough)));
        }
        assertThat(enough.await(60, TimeUnit.SECONDS)).as("load started").isTrue();
        long signalled = System.nanoTime();
        child.destroy(); // SIGTERM
        // Wait longer than the bound so that a late exit is measured rather than killed.
        assertThat(child.waitFor(BOUND_MS + 60_000, TimeUnit.MILLISECONDS))
            .as("exited")
            .isTrue();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        for (Thread p : producers) {
          p.join(30_000);
        }
        List<String> childLog = Files.readAllLines(logFile);
        assertThat(tookMs)
            .as("exit after SIGTERM (ms); the node's log:%n%s", String.join("\n", childLog))
            .isLessThan(BOUND_MS);
        assertThat(childLog)
            .as("closed cleanly, not halted")
            .anyMatch(l -> l.contains("rowstream node stopped"));
        assertThat(acked).hasSizeGreaterThan(200);

        Map<String, String> stored = readAll(broker.http());
        List<String> lost = new ArrayList<>();
        acked.forEach((position, value) -> {
          if (!value.equals(stored.get(position))) {
            lost.add(position + "=" + value + " (stored: " + stored.get(position) + ")");
          }
        });
        assertThat(lost).as("acknowledged records missing after SIGTERM").isEmpty();
        assertThat(broker.queryLong(
                "select count(*) from broker where node_id = 77 and lease_expires_at > now()"))
            .as("the node resigned its broker lease")
            .isZero();
      } finally {
        child.destroyForcibly();
      }
    }
  }

  private static Process startChild(TestBroker broker, Path logFile) throws Exception {
    Path dataDir =
        Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "sigterm");
    String java = ProcessHandle.current().info().command().orElseThrow();
    ProcessBuilder pb = new ProcessBuilder(
        java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.rowstream.Main");
    pb.environment().put("ROWSTREAM_DB_URL", broker.database().url());
    if (broker.database().user() != null) {
      pb.environment().put("ROWSTREAM_DB_USER", broker.database().user());
    }
    if (broker.database().password() != null) {
      pb.environment().put("ROWSTREAM_DB_PASSWORD", broker.database().password());
    }
    pb.environment().put("ROWSTREAM_HTTP_PORT", "0");
    pb.environment().put("ROWSTREAM_KAFKA_PORT", "0");
    pb.environment().put("ROWSTREAM_NODE_ID", "77");
    pb.environment().put("ROWSTREAM_DATA_DIR", dataDir.toString());
    pb.environment().put("ROWSTREAM_SHUTDOWN_TIMEOUT_MS", Long.toString(BOUND_MS));
    return pb.redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
  }

  /** Waits for the child's log to name its port. */
  private static int awaitPort(Process child, Path logFile) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline && child.isAlive()) {
      for (String line : Files.readAllLines(logFile)) {
        Matcher m = STARTED.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
      Thread.sleep(100); // polling a log file: there is no signal to wait on
    }
    throw new AssertionError("the child node did not start: " + Files.readString(logFile));
  }

  private static void produceUntilRefused(
      TestHttp http,
      int producer,
      Map<String, String> acked,
      AtomicInteger refused,
      CountDownLatch enough) {
    for (int batch = 0; ; batch++) {
      List<Map<String, String>> records = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String value = producer + "-" + batch + "-" + i;
        values.add(value);
        records.add(Map.of("key", b64("k" + producer), "value", b64(value)));
      }
      Response r;
      try {
        r = http.post("/topics/load", TestHttp.BINARY, TestHttp.json(Map.of("records", records)));
      } catch (RuntimeException e) {
        return; // the node is gone
      }
      if (r.status() != 200) {
        if (refused.incrementAndGet() > 50) {
          return;
        }
        continue;
      }
      JsonNode offsets = r.json().get("offsets");
      for (int i = 0; i < values.size(); i++) {
        JsonNode o = offsets.get(i);
        acked.put(o.get("partition").asInt() + "/" + o.get("offset").asLong(), values.get(i));
        enough.countDown();
      }
    }
  }

  private static Map<String, String> readAll(TestHttp http) {
    Map<String, String> stored = new HashMap<>();
    for (int p = 0; p < 2; p++) {
      long offset = 0;
      while (true) {
        JsonNode records = http.get(
                "/topics/load/partitions/" + p + "/records?offset=" + offset + "&max_bytes=1048576",
                "Accept",
                TestHttp.BINARY)
            .json();
        if (records.isEmpty()) {
          break;
        }
        for (JsonNode r : records) {
          stored.put(
              p + "/" + r.get("offset").asLong(),
              new String(
                  Base64.getDecoder().decode(r.get("value").asText()), StandardCharsets.UTF_8));
          offset = r.get("offset").asLong() + 1;
        }
      }
    }
    return stored;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
