package io.rowstream.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A partition costs no relation until it is written: creating partitions adds rows only, the first
 * append gives the partition its segment and that segment's table (under the partition's row lock,
 * while other partitions are appended to and read), and every reader (HTTP fetch, Kafka ListOffsets,
 * the SQL views, read_messages) reads a partition without segments as empty.
 */
class EmptyPartitionStorageTest {
  /** One record for each partition of a two-partition topic, in one request. */
  private static final Map<String, Object> BOTH = Map.of(
      "records",
      List.of(Map.of("partition", 0, "value", "AA=="), Map.of("partition", 1, "value", "AQ==")));

  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("empty_partition_storage");
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void empty_partitions_cost_no_relation_however_many_there_are() throws Exception {
    long before = chunkRelations();
    http.createTopic("wide", 3000);
    assertThat(chunkRelations()).as("relations in rowstream_chunks").isEqualTo(before);
    http.createTopic("wider", 6000);
    assertThat(chunkRelations()).as("relations in rowstream_chunks").isEqualTo(before);
    assertThat(
            broker.queryLong("select count(*) from topic_partition p join topic t using (topic_id)"
                + " where t.name in ('wide', 'wider')"))
        .isEqualTo(9000);
    assertThat(broker.queryLong("select count(*) from segment s join topic t using (topic_id)"
            + " where t.name in ('wide', 'wider')"))
        .as("no segment before a first append")
        .isZero();

    // The views and read_messages show the empty partitions as empty.
    assertThat(broker.queryLong(
            "select count(*) from partition_overview where topic = 'wide' and records = 0"
                + " and bytes = 0 and segments = 0"))
        .isEqualTo(3000);
    assertThat(broker.queryLong("select count(*) from segment_overview where topic = 'wide'"))
        .isZero();
    assertThat(broker.queryLong("select count(*) from chunk_overview where topic = 'wide'"))
        .isZero();
    assertThat(broker.queryLong("select count(*) from read_messages('wide', 2999, 0, 10)"))
        .isZero();
    // HTTP fetch: nothing yet, no error.
    var fetched =
        http.get("/topics/wide/partitions/17/records?offset=0", "Accept", TestHttp.BINARY);
    assertThat(fetched.status()).as(fetched.body()).isEqualTo(200);
    assertThat(fetched.json()).isEmpty();
    // Kafka ListOffsets, by time too (the time index walks segments: none).
    try (Admin admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      TopicPartition tp = new TopicPartition("wide", 17);
      assertThat(offset(admin, tp, OffsetSpec.forTimestamp(0)))
          .as("no record at or after the timestamp")
          .isEqualTo(-1);
      assertThat(offset(admin, tp, OffsetSpec.latest())).isZero();
    }
  }

  @Test
  void the_first_append_gives_its_partition_a_segment_and_a_table_and_reads_find_it()
      throws Exception {
    http.createTopic("first-append", 50);
    long before = chunkRelations();
    assertThat(produce("first-append", 42, "hello")).isZero();

    assertThat(broker.queryLong("select count(*) from segment s join topic t using (topic_id)"
            + " where t.name = 'first-append' and s.partition_id = 42 and s.rolled_at is null"))
        .isOne();
    assertThat(broker.queryLong("select count(*) from segment s join topic t using (topic_id)"
            + " where t.name = 'first-append'"))
        .as("the other partitions stay without segments")
        .isOne();
    assertThat(chunkRelations())
        .as("one storage: its table, primary key, TOAST table and TOAST index")
        .isEqualTo(before + 4);
    assertThat(produce("first-append", 42, "again")).isOne();
    assertThat(chunkRelations()).as("the second append reuses the storage").isEqualTo(before + 4);

    JsonNode read = http.get(
            "/topics/first-append/partitions/42/records?offset=0", "Accept", TestHttp.BINARY)
        .json();
    assertThat(read).hasSize(2);
    assertThat(broker.queryText(
            "select convert_from(value, 'UTF8') from read_messages('first-append', 42, 0, 1)"))
        .isEqualTo("hello");
    assertThat(
            broker.queryLong(
                "select records from partition_overview where topic = 'first-append' and partition = 42"))
        .isEqualTo(2);
    try (Admin admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      TopicPartition tp = new TopicPartition("first-append", 42);
      assertThat(offset(admin, tp, OffsetSpec.forTimestamp(0))).isZero();
    }
  }

  @Test
  void first_appends_to_many_partitions_race_reads_of_other_partitions_safely() throws Exception {
    int partitions = 40;
    http.createTopic("racing-first", partitions);
    for (int i = 0; i < 20; i++) {
      produce("racing-first", 0, "r" + i);
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicInteger reads = new AtomicInteger();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> readers = new ArrayList<>();
      for (int r = 0; r < 4; r++) {
        readers.add(pool.submit(() -> {
          while (writing.get() || reads.get() < 4) {
            var got = http.get(
                "/topics/racing-first/partitions/0/records?offset=0", "Accept", TestHttp.BINARY);
            assertThat(got.status()).as(got.body()).isEqualTo(200);
            assertThat(got.json()).hasSize(20);
            assertThat(broker.queryLong(
                    "select count(*) from read_messages('racing-first', 0, 0, 100)"))
                .isEqualTo(20);
            reads.incrementAndGet();
          }
          return null;
        }));
      }
      List<Future<Long>> firsts = new ArrayList<>();
      for (int p = 1; p < partitions; p++) {
        int partition = p;
        firsts.add(pool.submit(() -> produce("racing-first", partition, "first-" + partition)));
      }
      for (Future<Long> first : firsts) {
        assertThat(first.get())
            .as("each partition's first record is at offset 0")
            .isZero();
      }
      writing.set(false);
      for (Future<?> reader : readers) {
        reader.get();
      }
    }
    assertThat(broker.queryLong("select count(*) from segment s join topic t using (topic_id)"
            + " where t.name = 'racing-first'"))
        .as("one segment per partition")
        .isEqualTo(partitions);
    assertThat(
            broker.queryLong("select count(*) from rowstream.chunk c join topic t using (topic_id)"
                + " where t.name = 'racing-first'"))
        .isEqualTo(20 + partitions - 1);
  }

  /**
   * A request for several fresh partitions appends them in one transaction, locking their rows in
   * partition order. Were a first append to create its table there (taking the attach lock on
   * chunk until commit), it could wait for a row another transaction holds while that one waits for
   * the attach lock: a deadlock, PostgreSQL aborting one of them. The tables are created before,
   * each in a transaction of its own.
   */
  @Test
  void a_request_for_several_fresh_partitions_does_not_deadlock_with_a_first_append()
      throws Exception {
    long topicId = twoPartitionTopic("fresh-several");
    var answer = requestWhilePartitionOneIsHeld("fresh-several", holder -> {
      // The holder of partition 1 now creates its table, as that partition's first append would.
      holder.executeQuery("select open_segment(" + topicId + ", 1, 0)");
    });
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(broker.queryLong(
            "select count(*) from rowstream.chunk c where c.topic_id = " + topicId))
        .isEqualTo(2);
  }

  /**
   * As above for a partition that had a segment and lost it to retention (which rolls an expired
   * active segment and opens none): the node remembers the segment, so the request opens it inside
   * its transaction and can deadlock. It loses (it waited first), forgets what it remembered, and
   * tries once more with the segment opened first: the client sees none of it.
   */
  @Test
  void a_request_for_several_partitions_one_of_which_retention_rolled_gets_through_a_deadlock()
      throws Exception {
    long topicId = twoPartitionTopic("rolled-several");
    var first = http.post("/topics/rolled-several", TestHttp.BINARY, TestHttp.json(BOTH));
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    // Retention rolls partition 0's active segment (its one record expired) and opens none.
    assertThat(broker.queryLong(
            "select count(*) from roll_active_segment(" + topicId + ", 0, 1) r where r"))
        .isEqualTo(1);
    var answer = requestWhilePartitionOneIsHeld("rolled-several", holder -> {
      // The holder of partition 1 rolls its segment and opens the next, as an append after
      // retention would: it waits for the lock the request took opening partition 0's, and the
      // request waits for it.
      holder.executeQuery("select roll_active_segment(" + topicId + ", 1, 1)");
      holder.executeQuery("select open_segment(" + topicId + ", 1, 1)");
    });
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(broker.queryLong(
            "select count(*) from rowstream.chunk c where c.topic_id = " + topicId))
        .isEqualTo(4);
  }

  /** Creates a two-partition topic and waits until the controller recorded its replicas; its id. */
  private static long twoPartitionTopic(String name) {
    http.createTopic(name, 2);
    long topicId = broker.queryLong("select topic_id from topic where name = '" + name + "'");
    io.rowstream.support.Await.until(
        "the controller recorded the replicas (it would wait for the row lock below too)",
        java.time.Duration.ofSeconds(10),
        () -> broker.queryLong("select count(*) from replica_state where topic_id = " + topicId)
            == 2);
    return topicId;
  }

  /** What the transaction holding partition 1's row does before it commits. */
  private interface Holder {
    void run(Statement holder) throws Exception;
  }

  /**
   * Sends {@link #BOTH} to the topic while another transaction holds partition 1's row, as an
   * append to it would; once the request waits for that row, {@code holder} runs in that
   * transaction, which then commits. Answers the request's response.
   */
  private static TestHttp.Response requestWhilePartitionOneIsHeld(String topic, Holder holder)
      throws Exception {
    long topicId = broker.queryLong("select topic_id from topic where name = '" + topic + "'");
    try (var c = broker.sql();
        var s = c.createStatement();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      c.setAutoCommit(false);
      s.executeQuery("select 1 from topic_partition where topic_id = " + topicId
          + " and partition_id = 1 for update");
      Future<TestHttp.Response> request =
          pool.submit(() -> http.post("/topics/" + topic, TestHttp.BINARY, TestHttp.json(BOTH)));
      io.rowstream.support.Await.until(
          "the request waits for partition 1's row",
          java.time.Duration.ofSeconds(10),
          () -> broker.queryLong(
                  "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                      + " and pid <> pg_backend_pid() and (query like '%append_chunks%'"
                      + " or query like '%ensure_active_segment%')")
              == 1);
      holder.run(s);
      c.commit();
      return request.get();
    }
  }

  private static long offset(Admin admin, TopicPartition tp, OffsetSpec spec) throws Exception {
    return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get().offset();
  }

  private static long chunkRelations() {
    return broker.queryLong(
        "select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname in ('rowstream_chunks', 'pg_toast')");
  }

  /** One record through v2 to the partition; returns its offset. */
  private static long produce(String topic, int partition, String value) {
    var r = http.post(
        "/topics/" + topic + "/partitions/" + partition,
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records",
            List.of(Map.of("value", Base64.getEncoder().encodeToString(value.getBytes()))))));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().get("offsets").get(0).get("offset").asLong();
  }
}
