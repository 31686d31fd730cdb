package io.rowstream.citus;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Connection;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key changes docs/scaling.md lists for Citus ({@code docker/citus/keys.sql}: the distribution
 * column {@code topic_id} in the keys of {@code chunk_storage}, {@code segment} and {@code chunk})
 * on plain PostgreSQL: they apply to the migrated schema, and a node still appends, rolls segments
 * (a new storage attached under the new primary key) and reads back in order.
 */
class CitusKeysTest {
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() throws Exception {
    broker = TestBroker.start("citus_keys");
    http = broker.http();
    try (Connection c = broker.sql()) {
      CitusScripts.run(c, CitusScripts.KEYS, 0);
    }
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void the_keys_include_topic_id_and_a_node_appends_across_segment_rolls_and_reads_back_in_order() {
    assertThat(broker.queryText(
            "select pg_get_constraintdef(oid) from pg_constraint where conname = 'chunk_pkey'"
                + " and conrelid = 'rowstream.chunk'::regclass"))
        .isEqualTo("PRIMARY KEY (topic_id, storage_id, base_offset)");
    assertThat(broker.queryText("select pg_get_constraintdef(oid) from pg_constraint"
            + " where conrelid = 'rowstream.chunk_storage'::regclass and contype = 'p'"))
        .isEqualTo("PRIMARY KEY (topic_id, storage_id)");

    http.createTopic("keyed-by-topic", 1, Map.of("internal.segment.bytes", "2048"));
    for (int i = 0; i < 6; i++) {
      http.post(
              "/topics/keyed-by-topic/partitions/0",
              TestHttp.JSON,
              "{\"records\":[{\"value\":\"" + "x".repeat(900) + i + "\"}]}")
          .expectStatus(200);
    }

    assertThat(broker.queryLong(
            "select count(*) from rowstream.segment s join rowstream.topic t using (topic_id)"
                + " where t.name = 'keyed-by-topic'"))
        .isGreaterThan(1);
    var records = http.get(
            "/topics/keyed-by-topic/partitions/0/records?offset=0", "Accept", TestHttp.JSON)
        .expectStatus(200)
        .json();
    assertThat(IntStream.range(0, records.size())
            .mapToObj(i -> records.get(i).get("value").asText()))
        .containsExactlyElementsOf(
            IntStream.range(0, 6).mapToObj(i -> "x".repeat(900) + i).toList());
  }
}
