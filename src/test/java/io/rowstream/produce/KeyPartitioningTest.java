package io.rowstream.produce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A key lands in the partition Kafka's own default partitioner would choose. */
class KeyPartitioningTest {
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("partitioning");
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void key_partitioner_agrees_with_kafka_clients_for_random_keys_and_1_to_100_partitions() {
    Random random = new Random(42);
    for (int i = 0; i < 5000; i++) {
      byte[] key = new byte[random.nextInt(64)];
      random.nextBytes(key);
      int partitions = 1 + random.nextInt(100);
      assertThat(KeyPartitioner.partitionForKey(key, partitions))
          .isEqualTo(BuiltInPartitioner.partitionForKey(key, partitions));
    }
  }

  @Test
  void binary_keys_produced_over_http_land_where_kafka_puts_them() {
    int partitions = 37;
    broker.node(0).services().topics().create("keyed-binary", partitions, 1, Map.of());
    Random random = new Random(7);
    List<byte[]> keys = new ArrayList<>();
    List<Map<String, Object>> records = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      byte[] key = new byte[1 + random.nextInt(32)];
      random.nextBytes(key);
      keys.add(key);
      records.add(Map.of("key", Base64.getEncoder().encodeToString(key), "value", "dg=="));
    }
    var response = http.post(
        "/topics/keyed-binary", TestHttp.BINARY, TestHttp.json(Map.of("records", records)));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode offsets = response.json().get("offsets");
    for (int i = 0; i < keys.size(); i++) {
      assertThat(offsets.get(i).get("partition").asInt())
          .isEqualTo(BuiltInPartitioner.partitionForKey(keys.get(i), partitions));
    }
  }

  @Test
  void json_keys_are_partitioned_by_their_json_serialization_and_one_key_keeps_one_partition()
      throws Exception {
    int partitions = 12;
    broker.node(0).services().topics().create("keyed-json", partitions, 1, Map.of());
    ObjectMapper mapper = new ObjectMapper();
    List<Object> keys = List.of("user-1", 42, Map.of("id", 7), List.of(1, 2), "user-1");
    List<Map<String, Object>> records = new ArrayList<>();
    for (Object key : keys) {
      records.add(Map.of("key", key, "value", Map.of("n", 1)));
    }
    var response =
        http.post("/topics/keyed-json", TestHttp.JSON, TestHttp.json(Map.of("records", records)));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode offsets = response.json().get("offsets");
    for (int i = 0; i < keys.size(); i++) {
      byte[] serialized = mapper.writeValueAsBytes(mapper.valueToTree(keys.get(i)));
      assertThat(offsets.get(i).get("partition").asInt())
          .isEqualTo(BuiltInPartitioner.partitionForKey(serialized, partitions));
    }
    assertThat(offsets.get(4).get("partition")).isEqualTo(offsets.get(0).get("partition"));
    assertThat(offsets.get(4).get("offset").asLong())
        .isGreaterThan(offsets.get(0).get("offset").asLong());
  }

  @Test
  void keyless_records_of_one_request_share_a_partition_and_requests_rotate() {
    broker.node(0).services().topics().create("keyless", 4, 1, Map.of());
    String body =
        TestHttp.json(Map.of("records", List.of(Map.of("value", "YQ=="), Map.of("value", "Yg=="))));
    List<Integer> chosen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      JsonNode offsets =
          http.post("/topics/keyless", TestHttp.BINARY, body).json().get("offsets");
      assertThat(offsets.get(1).get("partition")).isEqualTo(offsets.get(0).get("partition"));
      chosen.add(offsets.get(0).get("partition").asInt());
    }
    assertThat(chosen).containsExactlyInAnyOrder(0, 1, 2, 3);
  }
}
