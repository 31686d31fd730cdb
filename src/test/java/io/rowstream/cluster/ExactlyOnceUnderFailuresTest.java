package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.produce.KeyPartitioner;
import io.rowstream.support.Await;
import io.rowstream.support.NodeProcess;
import io.rowstream.support.TestHttp;
import io.rowstream.support.TestPostgres;
import io.rowstream.support.TestPostgres.TestDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idempotent producers send 20,000 keyed records through random nodes (separate processes) while
 * nodes are killed with SIGKILL and restarted; every request is retried until acknowledged. Then
 * every record is in the log exactly once, each key's records are in send order, and the offsets
 * of every partition run from 0 with no gap.
 */
@Tag("slow")
class ExactlyOnceUnderFailuresTest {
  private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceUnderFailuresTest.class);
  static final int PARTITIONS = 6;
  static final int PRODUCERS = 4;
  static final int RECORDS_PER_PRODUCER = 5_000;
  static final int KEYS_PER_PRODUCER = 50;
  static final int BATCH = 10;
  static final int KILLS = 4;
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1))
      .build();

  TestDatabase database;
  final List<NodeProcess> nodes = new ArrayList<>();
  final AtomicInteger acknowledged = new AtomicInteger();
  final AtomicInteger retries = new AtomicInteger();

  @AfterEach
  void stop() {
    nodes.forEach(NodeProcess::close);
  }

  @Test
  void
      every_acknowledged_record_is_in_the_log_exactly_once_in_per_key_order_with_no_offset_skipped()
          throws Exception {
    database = TestPostgres.server().newDatabase("exactly_once");
    Map<String, String> fast = Map.of(
        "ROWSTREAM_BROKER_LEASE_MS",
        "2000",
        "ROWSTREAM_HEARTBEAT_MS",
        "400",
        "ROWSTREAM_CLUSTER_TICK_MS",
        "100");
    for (int id = 1; id <= 3; id++) {
      nodes.add(NodeProcess.start(database, id, fast));
    }
    nodes.getFirst().http().createTopic("exactly", PARTITIONS);

    ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + 1);
    List<Future<?>> producers = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      producers.add(pool.submit(() -> {
        produce(producer);
        return null;
      }));
    }
    Future<Integer> chaos = pool.submit(this::killAndRestart);
    for (Future<?> f : producers) {
      f.get(10, TimeUnit.MINUTES);
    }
    int kills = chaos.get(2, TimeUnit.MINUTES);
    pool.shutdown();
    LOG.info(
        "produced records={} kills={} retriedRequests={}",
        acknowledged.get(),
        kills,
        retries.get());
    assertThat(kills).isEqualTo(KILLS);

    Map<String, List<Integer>> perKey = new HashMap<>();
    int total = 0;
    for (int partition = 0; partition < PARTITIONS; partition++) {
      long expected = 0;
      for (JsonNode record : readAll(partition)) {
        assertThat(record.get("offset").asLong())
            .as("offsets of partition %d have no gap", partition)
            .isEqualTo(expected++);
        String key = decode(record.get("key"));
        String[] value = decode(record.get("value")).split(":");
        assertThat(value[0]).isEqualTo(key);
        assertThat(KeyPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS))
            .isEqualTo(partition);
        perKey.computeIfAbsent(key, k -> new ArrayList<>()).add(Integer.parseInt(value[1]));
        total++;
      }
    }
    assertThat(total).isEqualTo(PRODUCERS * RECORDS_PER_PRODUCER);
    assertThat(perKey).hasSize(PRODUCERS * KEYS_PER_PRODUCER);
    for (Map.Entry<String, List<Integer>> e : perKey.entrySet()) {
      List<Integer> counts = e.getValue();
      for (int i = 0; i < counts.size(); i++) {
        assertThat(counts.get(i)).as("record %d of key %s", i, e.getKey()).isEqualTo(i);
      }
    }
  }

  /**
   * One producer: its keys' records, the n-th record of key k carrying value {@code k:n}, batched
   * per partition and sent in order, each request retried (same sequence, any node) until
   * acknowledged; a key always goes to one partition, so its records are acknowledged in order.
   */
  private void produce(int producer) throws Exception {
    JsonNode identity = JSON.readTree(call("POST", "/producers", "{}").body());
    long id = identity.get("producer_id").asLong();
    int epoch = identity.get("producer_epoch").asInt();
    int[] sequence = new int[PARTITIONS];
    Map<Integer, List<String[]>> pending = new HashMap<>();
    int[] perKey = new int[KEYS_PER_PRODUCER];
    for (int i = 0; i < RECORDS_PER_PRODUCER; i++) {
      int k = i % KEYS_PER_PRODUCER;
      String key = "p" + producer + "-k" + k;
      int partition =
          KeyPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), PARTITIONS);
      List<String[]> batch = pending.computeIfAbsent(partition, x -> new ArrayList<>());
      batch.add(new String[] {key, key + ":" + perKey[k]++});
      if (batch.size() == BATCH || i == RECORDS_PER_PRODUCER - 1) {
        send(id, epoch, partition, sequence[partition], batch);
        sequence[partition] += batch.size();
        batch.clear();
      }
    }
    for (Map.Entry<Integer, List<String[]>> e : pending.entrySet()) {
      if (!e.getValue().isEmpty()) {
        send(id, epoch, e.getKey(), sequence[e.getKey()], e.getValue());
        sequence[e.getKey()] += e.getValue().size();
      }
    }
  }

  private void send(long id, int epoch, int partition, int sequence, List<String[]> records)
      throws Exception {
    List<Map<String, String>> body = records.stream()
        .map(r -> Map.of("key", encode(r[0]), "value", encode(r[1])))
        .toList();
    String json = JSON.writeValueAsString(Map.of("records", body));
    String path = "/topics/exactly/partitions/" + partition + "?producer_id=" + id
        + "&producer_epoch=" + epoch + "&sequence=" + sequence;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      HttpResponse<String> r = null;
      try {
        r = call("POST", path, json);
      } catch (IOException e) {
        // node killed under the request, or not up: retry elsewhere
      }
      if (r != null && r.statusCode() == 200) {
        acknowledged.addAndGet(records.size());
        return;
      }
      if (r != null && r.statusCode() < 500) {
        throw new AssertionError("request refused: " + r.statusCode() + " " + r.body());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no node acknowledged " + path + " in 2 minutes");
      }
      retries.incrementAndGet();
      Thread.sleep(20);
    }
  }

  /**
   * Kills a node at evenly spaced points of progress, and restarts it in the background (a node
   * takes a few seconds to start), so that kills land while records are being produced; a node
   * still restarting is not killed again.
   */
  private int killAndRestart() throws Exception {
    int total = PRODUCERS * RECORDS_PER_PRODUCER;
    List<Future<?>> restarts = new ArrayList<>();
    ExecutorService restarter = Executors.newCachedThreadPool();
    int kills = 0;
    while (kills < KILLS) {
      int threshold = total * (kills + 1) / (KILLS + 1);
      Await.until(
          "progress " + threshold, Duration.ofMinutes(5), () -> acknowledged.get() >= threshold);
      Await.until(
          "two nodes are up",
          Duration.ofMinutes(1),
          () -> nodes.stream().filter(NodeProcess::alive).count() >= 2);
      List<NodeProcess> alive = nodes.stream().filter(NodeProcess::alive).toList();
      NodeProcess victim = alive.get(ThreadLocalRandom.current().nextInt(alive.size()));
      int at = acknowledged.get();
      LOG.info("killing node {} at {} acknowledged records", victim.nodeId(), at);
      assertThat(at).as("the kill lands while producing").isLessThan(total);
      victim.kill();
      kills++;
      restarts.add(restarter.submit(victim::restart));
    }
    for (Future<?> f : restarts) {
      f.get(2, TimeUnit.MINUTES);
    }
    restarter.shutdown();
    return kills;
  }

  private HttpResponse<String> call(String method, String path, String body)
      throws IOException, InterruptedException {
    NodeProcess node = nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
    HttpRequest request = HttpRequest.newBuilder(URI.create(node.baseUrl() + path))
        .timeout(Duration.ofSeconds(20))
        .header("Content-Type", TestHttp.BINARY)
        .method(method, HttpRequest.BodyPublishers.ofString(body))
        .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private List<JsonNode> readAll(int partition) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    NodeProcess reader = nodes.stream().filter(NodeProcess::alive).findFirst().orElseThrow();
    while (true) {
      var r = reader
          .http()
          .get(
              "/topics/exactly/partitions/" + partition + "/records?offset=" + out.size()
                  + "&max_bytes=1048576",
              "Accept",
              TestHttp.BINARY);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      JsonNode page = r.json();
      if (page.isEmpty()) {
        return out;
      }
      page.forEach(out::add);
    }
  }

  private static String encode(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(JsonNode b64) {
    return new String(Base64.getDecoder().decode(b64.asText()), StandardCharsets.UTF_8);
  }
}
