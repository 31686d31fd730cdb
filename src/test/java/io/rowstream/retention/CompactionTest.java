package io.rowstream.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.CompactedLog;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compacted topics over HTTP (every dirty byte due: min.cleanable.dirty.ratio=0): rolled segments
 * keep the latest record per key at its original offset, tombstones go once delete.retention.ms has
 * passed since a pass first kept them and stay before,
 * the active segment is left alone, and reads running meanwhile (in the test's thread, and in
 * threads of their own while retention deletes segments as well) see only records as produced.
 */
class CompactionTest {
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("compaction", c -> c.withLogMaintenanceIntervalMs(50));
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  /** What was produced at each offset: key and value (null for a tombstone). */
  record Produced(String key, String value) {}

  @Test
  void rolled_segments_keep_the_latest_record_per_key_at_its_offset_and_past_tombstones_go() {
    Map<Long, Produced> produced = produceKeyedLog("compacted", "0");
    CompactedLog.awaitCleanedUpToTheActiveSegment(broker, "compacted");

    Map<String, Produced> latest = latestPerKey(produced);
    List<JsonNode> log = readAll("compacted");
    long activeBase = CompactedLog.activeSegmentBase(broker, "compacted");
    Map<String, Integer> perKeyBelowActive = new HashMap<>();
    for (JsonNode r : log) {
      long offset = r.get("offset").asLong();
      assertThat(asProduced(r))
          .as("offset %d keeps what was produced there", offset)
          .isEqualTo(produced.get(offset));
      if (offset < activeBase) {
        perKeyBelowActive.merge(asProduced(r).key(), 1, Integer::sum);
        assertThat(asProduced(r).value())
            .as("no tombstone is left once delete.retention.ms passed")
            .isNotNull();
      }
    }
    assertThat(perKeyBelowActive.values())
        .as("one record per key in the cleaned part")
        .allMatch(n -> n == 1);
    assertThat(perKeyBelowActive).doesNotContainKey("k4");
    // A consumer reading from the start ends with the latest value of every key, and none for k4.
    Map<String, String> seen = new HashMap<>();
    for (JsonNode r : log) {
      Produced p = asProduced(r);
      if (p.value() == null) {
        seen.remove(p.key());
      } else {
        seen.put(p.key(), p.value());
      }
    }
    Map<String, String> expected = new HashMap<>();
    latest.forEach((k, p) -> {
      if (p.value() != null) {
        expected.put(k, p.value());
      }
    });
    assertThat(seen).isEqualTo(expected);
    assertThat(log.size()).isLessThan(produced.size());
  }

  /**
   * Retention's roll leaves a partition without an active segment (and so without a table for
   * one); compaction then cleans every segment it has, and the next append opens a segment at the
   * log end.
   */
  @Test
  void a_partition_without_an_active_segment_is_compacted_whole_and_its_next_append_opens_one() {
    Map<Long, Produced> produced = produceKeyedLog("no-active", "0");
    long topicId = broker.queryLong("select topic_id from topic where name = 'no-active'");
    long end =
        broker.queryLong("select log_end_offset from topic_partition where topic_id = " + topicId);
    assertThat(broker.queryLong("select roll_active_segment(" + topicId + ", 0, " + end + ")::int"))
        .isOne();
    assertThat(broker.queryLong(
            "select count(*) from segment where rolled_at is null and topic_id = " + topicId))
        .isZero();

    io.rowstream.support.Await.until(
        "no-active cleaned to its log end, no tombstone left",
        java.time.Duration.ofSeconds(30),
        () -> broker.queryLong(
                    "select cleaner_checkpoint from topic_partition where topic_id = " + topicId)
                == end
            && readAll("no-active").stream().allMatch(r -> asProduced(r).value() != null));
    Map<String, Integer> perKey = new HashMap<>();
    for (JsonNode r : readAll("no-active")) {
      assertThat(asProduced(r)).isEqualTo(produced.get(r.get("offset").asLong()));
      perKey.merge(asProduced(r).key(), 1, Integer::sum);
    }
    assertThat(perKey.values())
        .as("one record per key, the last segment too")
        .allMatch(n -> n == 1);
    assertThat(perKey).doesNotContainKey("k4");

    produce("no-active", produced, "k9", "after");
    assertThat(produced).containsKey(end);
    assertThat(broker.queryLong(
            "select base_offset from segment where rolled_at is null and topic_id = " + topicId))
        .as("the append opened the active segment at the log end")
        .isEqualTo(end);
    assertThat(asProduced(readAll("no-active").getLast())).isEqualTo(new Produced("k9", "after"));
  }

  /**
   * The cleaner reads compressed batches and rewrites what it keeps with the batch's own codec, as
   * Kafka's cleaner does (a changed compression.type applies to new writes only).
   */
  @ParameterizedTest
  @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd"})
  void a_compressed_compacted_topic_keeps_the_latest_record_per_key_in_batches_of_its_codec(
      String codec) throws Exception {
    String topic = "compacted-" + codec;
    Map<Long, Produced> produced = produceKeyedLog(topic, "0", codec);
    CompactedLog.awaitCleanedUpToTheActiveSegment(broker, topic);

    long activeBase = CompactedLog.activeSegmentBase(broker, topic);
    assertThat(activeBase).as("the log rolled, so there is something to clean").isGreaterThan(10);
    Map<String, Long> latestOffsetBelowActive = new HashMap<>();
    produced.forEach((offset, p) -> {
      if (offset < activeBase) {
        latestOffsetBelowActive.put(p.key(), offset);
      }
    });
    List<Long> keptBelowActive = new ArrayList<>();
    for (JsonNode r : readAll(topic)) {
      long offset = r.get("offset").asLong();
      assertThat(asProduced(r)).isEqualTo(produced.get(offset));
      if (offset < activeBase) {
        keptBelowActive.add(offset);
      }
    }
    List<Long> expected = latestOffsetBelowActive.entrySet().stream()
        .filter(e -> produced.get(e.getValue()).value() != null)
        .map(Map.Entry::getValue)
        .sorted()
        .toList();
    assertThat(keptBelowActive)
        .as("only the latest record of each key below the active segment")
        .containsExactlyElementsOf(expected);

    List<MutableRecordBatch> batches = CompactedLog.storedBatches(broker, topic);
    for (MutableRecordBatch b : batches) {
      b.ensureValid();
      assertThat(b.compressionType()).isEqualTo(CompressionType.forName(codec));
    }
    assertThat(batches).hasSizeGreaterThan(expected.size());
  }

  @Test
  void a_tombstone_younger_than_delete_retention_ms_stays_while_the_values_it_deletes_go() {
    Map<Long, Produced> produced = produceKeyedLog("tombstones-kept", "86400000");
    CompactedLog.awaitCleanedUpToTheActiveSegment(broker, "tombstones-kept");

    List<Produced> k4 = readAll("tombstones-kept").stream()
        .map(CompactionTest::asProduced)
        .filter(p -> p.key().equals("k4"))
        .toList();
    assertThat(k4).containsExactly(new Produced("k4", null));
    assertThat(produced.values().stream().filter(p -> p.key().equals("k4")).count())
        .isGreaterThan(1);
  }

  @Test
  void a_record_without_a_key_is_refused_by_a_compacted_topic_and_nothing_is_written() {
    produceKeyedLog("keys-required", "0");
    long end = broker.queryLong(
        "select log_end_offset from topic_partition p join topic t using (topic_id) "
            + "where t.name = 'keys-required'");
    var r = http.post(
        "/topics/keys-required/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records",
            List.of(Map.of("key", b64("k1"), "value", b64("a")), Map.of("value", b64("no key"))))));
    TestHttp.assertError(r, 422, 42206);
    assertThat(r.body()).contains("without a key");
    assertThat(broker.queryLong(
            "select log_end_offset from topic_partition p join topic t using (topic_id) "
                + "where t.name = 'keys-required'"))
        .isEqualTo(end);
  }

  @Test
  void
      compaction_and_retention_under_a_running_producer_and_readers_change_no_record_and_fail_no_read()
          throws Exception {
    var created = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics",
        "application/json",
        TestHttp.json(Map.of(
            "topic_name",
            "busy-compacted",
            "partitions_count",
            1,
            "configs",
            List.of(
                Map.of("name", "cleanup.policy", "value", "compact,delete"),
                Map.of("name", "min.cleanable.dirty.ratio", "value", "0"),
                Map.of("name", "internal.segment.bytes", "value", "2048"),
                Map.of("name", "retention.bytes", "value", "16384")))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Map<Long, Produced> produced = new ConcurrentHashMap<>();
    AtomicBoolean producing = new AtomicBoolean(true);
    List<CompletableFuture<List<Observed>>> readers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      readers.add(CompletableFuture.supplyAsync(() -> readWhile("busy-compacted", producing)));
    }
    try {
      for (int i = 0; i < 400; i++) {
        produce("busy-compacted", produced, "k" + (i % 10), String.format("%-200d", i));
      }
    } finally {
      producing.set(false);
    }
    long observed = 0;
    for (var reader : readers) {
      for (Observed o : reader.get(60, TimeUnit.SECONDS)) {
        assertThat(o.record())
            .as("offset %d read while compaction ran", o.offset())
            .isEqualTo(produced.get(o.offset()));
        observed++;
      }
    }
    assertThat(observed).isPositive();
    CompactedLog.awaitCleanedUpToTheActiveSegment(broker, "busy-compacted");
    assertThat(broker.queryLong(
            "select log_start_offset from topic_partition p join topic t using (topic_id) "
                + "where t.name = 'busy-compacted'"))
        .as("retention deleted segments too")
        .isPositive();

    // What is left: records as produced, and the latest value of every key.
    Map<String, Produced> latest = latestPerKey(new TreeMap<>(produced));
    Map<String, Long> lastOffsetOfKey = new HashMap<>();
    for (Observed o : readWhile("busy-compacted", new AtomicBoolean(false))) {
      assertThat(o.record()).isEqualTo(produced.get(o.offset()));
      lastOffsetOfKey.put(o.record().key(), o.offset());
    }
    assertThat(lastOffsetOfKey)
        .as("every key's latest record is in the retained tail")
        .hasSize(10);
    lastOffsetOfKey.forEach((key, offset) ->
        assertThat(produced.get(offset)).as("latest value of %s", key).isEqualTo(latest.get(key)));
  }

  /** A record read at an offset. */
  record Observed(long offset, Produced record) {}

  /**
   * Reads the log from its start to its end, again and again while {@code running} (once when it is
   * not): every read must succeed, except an out-of-range below a log start retention moved, which
   * starts the pass again at the log start. Returns every record read.
   */
  private static List<Observed> readWhile(String topic, AtomicBoolean running) {
    List<Observed> out = new ArrayList<>();
    do {
      long next = 0;
      long end = broker.queryLong(
          "select log_end_offset from topic_partition p join topic t using (topic_id) "
              + "where t.name = '" + topic + "'");
      while (next < end) {
        var r = http.get(
            "/topics/" + topic + "/partitions/0/records?offset=" + next, "Accept", TestHttp.BINARY);
        if (r.status() == 400 && r.errorCode() == 40002) {
          long start =
              broker.queryLong("select log_start_offset from topic_partition p join topic t "
                  + "using (topic_id) where t.name = '" + topic + "'");
          assertThat(start).as("out of range at %d", next).isGreaterThan(next);
          next = start;
          continue;
        }
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        if (r.json().isEmpty()) {
          break;
        }
        for (JsonNode record : r.json()) {
          assertThat(record.get("offset").asLong()).isGreaterThanOrEqualTo(next);
          out.add(new Observed(record.get("offset").asLong(), asProduced(record)));
          next = record.get("offset").asLong() + 1;
        }
      }
    } while (running.get());
    return out;
  }

  /**
   * 40 records over keys k0..k4 (200-byte values, segments of 1 KiB), a tombstone for k4, then a
   * few more records so the tombstone's segment rolls; reading the whole log after every append,
   * while compaction runs, checks each record against what was produced at its offset.
   */
  private static Map<Long, Produced> produceKeyedLog(String topic, String deleteRetentionMs) {
    return produceKeyedLog(topic, deleteRetentionMs, "producer");
  }

  /** As {@link #produceKeyedLog(String, String)}, the node compressing what it writes with {@code compressionType}. */
  private static Map<Long, Produced> produceKeyedLog(
      String topic, String deleteRetentionMs, String compressionType) {
    var created = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics",
        "application/json",
        TestHttp.json(Map.of(
            "topic_name",
            topic,
            "partitions_count",
            1,
            "configs",
            List.of(
                Map.of("name", "cleanup.policy", "value", "compact"),
                Map.of("name", "min.cleanable.dirty.ratio", "value", "0"),
                Map.of("name", "internal.segment.bytes", "value", "1024"),
                Map.of("name", "delete.retention.ms", "value", deleteRetentionMs),
                Map.of("name", "compression.type", "value", compressionType)))));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Map<Long, Produced> produced = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      produce(topic, produced, "k" + (i % 5), String.format("%-200d", i));
      if (i % 8 == 0) {
        readAll(topic)
            .forEach(r ->
                assertThat(asProduced(r)).isEqualTo(produced.get(r.get("offset").asLong())));
      }
    }
    produce(topic, produced, "k4", null);
    for (int i = 40; i < 52; i++) {
      produce(topic, produced, "k" + (i % 4), String.format("%-200d", i));
      readAll(topic)
          .forEach(r ->
              assertThat(asProduced(r)).isEqualTo(produced.get(r.get("offset").asLong())));
    }
    return produced;
  }

  private static void produce(
      String topic, Map<Long, Produced> produced, String key, String value) {
    Map<String, Object> record = new HashMap<>();
    record.put("key", b64(key));
    record.put("value", value == null ? null : b64(value));
    var r = http.post(
        "/topics/" + topic + "/partitions/0",
        TestHttp.BINARY,
        TestHttp.json(Map.of("records", List.of(record))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    produced.put(r.json().get("offsets").get(0).get("offset").asLong(), new Produced(key, value));
  }

  private static List<JsonNode> readAll(String topic) {
    List<JsonNode> out = new ArrayList<>();
    long next = 0;
    long end = broker.queryLong(
        "select log_end_offset from topic_partition p join topic t using (topic_id) "
            + "where t.name = '" + topic + "'");
    while (next < end) {
      var r = http.get(
          "/topics/" + topic + "/partitions/0/records?offset=" + next, "Accept", TestHttp.BINARY);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      for (JsonNode record : r.json()) {
        assertThat(record.get("offset").asLong()).isGreaterThanOrEqualTo(next);
        out.add(record);
        next = record.get("offset").asLong() + 1;
      }
      if (r.json().isEmpty()) {
        break;
      }
    }
    return out;
  }

  private static Map<String, Produced> latestPerKey(Map<Long, Produced> produced) {
    Map<String, Produced> latest = new HashMap<>();
    produced.values().forEach(p -> latest.put(p.key(), p));
    return latest;
  }

  private static Produced asProduced(JsonNode record) {
    JsonNode value = record.get("value");
    return new Produced(
        new String(Base64.getDecoder().decode(record.get("key").asText())),
        value == null || value.isNull()
            ? null
            : new String(Base64.getDecoder().decode(value.asText())));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }
}
