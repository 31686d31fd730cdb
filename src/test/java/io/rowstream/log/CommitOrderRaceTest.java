package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Offsets become visible in offset order: concurrent producers never make a tailing reader skip
 * an offset (the failure mode of sequence-assigned ids), and every offset is read exactly once.
 */
class CommitOrderRaceTest {
  static final int PRODUCERS = 8;
  static final int REQUESTS_PER_PRODUCER = 40;
  static final int RECORDS_PER_REQUEST = 5;
  static final int TOTAL = PRODUCERS * REQUESTS_PER_PRODUCER * RECORDS_PER_REQUEST;

  static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("commit_order");
    broker.node(0).services().topics().create("race", 1, 1, Map.of());
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void eight_producers_and_two_long_polling_readers_see_every_offset_once_in_order()
      throws Exception {
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<String>>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(CommitOrderRaceTest::tail));
      }
      List<Future<?>> producers = new ArrayList<>();
      for (int p = 0; p < PRODUCERS; p++) {
        int producer = p;
        producers.add(pool.submit(() -> produce(producer)));
      }
      for (Future<?> f : producers) {
        f.get();
      }
      List<String> first = readers.get(0).get();
      List<String> second = readers.get(1).get();
      assertThat(first).hasSize(TOTAL).doesNotHaveDuplicates();
      assertThat(second).isEqualTo(first);
      // Each producer's records appear in the order it sent them.
      for (int p = 0; p < PRODUCERS; p++) {
        String prefix = p + "-";
        List<String> mine = first.stream().filter(v -> v.startsWith(prefix)).toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < REQUESTS_PER_PRODUCER * RECORDS_PER_REQUEST; i++) {
          expected.add(prefix + i);
        }
        assertThat(mine).isEqualTo(expected);
      }
    }
    assertThat(broker.queryLong("select log_end_offset from topic_partition")).isEqualTo(TOTAL);
    // Each stored batch carries its own base offset (written by append_chunks), and the chunks
    // tile the log with neither gap nor overlap.
    assertThat(
            broker.queryLong(
                "select count(*) from chunk where substring(batch from 1 for 8) <> int8send(base_offset)"))
        .isZero();
    assertThat(broker.queryLong("""
        select count(*) from (
          select base_offset, lag(last_offset) over (order by base_offset) as previous_last from chunk) c
        where base_offset <> coalesce(previous_last + 1, 0)""")).isZero();
    assertThat(broker.queryLong("select sum(record_count) from segment")).isEqualTo(TOTAL);
  }

  private static Void produce(int producer) {
    TestHttp http = broker.http();
    int n = 0;
    for (int r = 0; r < REQUESTS_PER_PRODUCER; r++) {
      List<Map<String, Object>> records = new ArrayList<>();
      for (int i = 0; i < RECORDS_PER_REQUEST; i++) {
        records.add(Map.of("value", b64(producer + "-" + n++)));
      }
      var response = http.post(
          "/topics/race/partitions/0", TestHttp.BINARY, TestHttp.json(Map.of("records", records)));
      assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
    return null;
  }

  /** Reads from offset 0 with long-polls until TOTAL records, checking offsets are exactly 0, 1, 2, … */
  private static List<String> tail() {
    TestHttp http = broker.http();
    List<String> values = new ArrayList<>();
    long next = 0;
    while (next < TOTAL) {
      var response = http.get(
          "/topics/race/partitions/0/records?offset=" + next + "&timeout=5000&max_bytes=2000",
          "Accept",
          TestHttp.BINARY);
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      JsonNode records = response.json();
      assertThat(records.size())
          .as("a long-poll returned nothing at offset %d", next)
          .isPositive();
      for (JsonNode record : records) {
        assertThat(record.get("offset").asLong()).isEqualTo(next);
        values.add(new String(Base64.getDecoder().decode(record.get("value").asText())));
        next++;
      }
    }
    return values;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes());
  }
}
