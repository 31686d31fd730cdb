package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One store, two doors: records a KafkaProducer wrote (compressed, with keys, headers and
 * timestamps) are read over HTTP v2 in both formats and with SQL {@code read_messages} with the same
 * key, value, headers, timestamp and offset; records written over HTTP v2 and v3 are read the same
 * by a KafkaConsumer.
 */
class KafkaHttpInteropTest {
  private static final long TIME = 1_767_225_600_000L;
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-http-interop");
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String b64(byte[] b) {
    return b == null ? null : Base64.getEncoder().encodeToString(b);
  }

  /** The i-th record: a JSON key and value, so that both HTTP formats can show it. */
  private static ProducerRecord<byte[], byte[]> record(String topic, int i) {
    return new ProducerRecord<>(
        topic,
        0,
        TIME + i,
        bytes("\"key-" + i + "\""),
        bytes("{\"n\":" + i + ",\"text\":\"" + "y".repeat(i) + "\"}"),
        List.of(new RecordHeader("trace", bytes("t-" + i)), new RecordHeader("nil", null)));
  }

  @Test
  void records_a_kafka_producer_wrote_are_read_the_same_over_http_and_sql() throws Exception {
    String topic = "from-kafka";
    broker.http().createTopic(topic, 1);
    List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = KafkaClients.producer(
        broker.kafkaBootstrap(), Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"))) {
      for (int i = 0; i < 12; i++) {
        sent.add(record(topic, i));
        producer.send(sent.getLast());
      }
      producer.flush();
    }

    JsonNode binary = broker
        .http()
        .get("/topics/" + topic + "/partitions/0/records?offset=0", "Accept", TestHttp.BINARY)
        .json();
    JsonNode json = broker
        .http()
        .get("/topics/" + topic + "/partitions/0/records?offset=0", "Accept", TestHttp.JSON)
        .json();
    assertThat(binary).hasSize(12);
    assertThat(json).hasSize(12);
    for (int i = 0; i < 12; i++) {
      ProducerRecord<byte[], byte[]> s = sent.get(i);
      JsonNode b = binary.get(i);
      assertThat(b.get("offset").asLong()).isEqualTo(i);
      assertThat(b.get("timestamp").asLong()).isEqualTo(s.timestamp());
      assertThat(b.get("key").asText()).isEqualTo(b64(s.key()));
      assertThat(b.get("value").asText()).isEqualTo(b64(s.value()));
      assertThat(b.get("headers").toString()).isEqualTo(headersJson(s.headers().toArray()));
      JsonNode j = json.get(i);
      assertThat(j.get("offset").asLong()).isEqualTo(i);
      assertThat(j.get("key").asText()).isEqualTo("key-" + i);
      assertThat(j.get("value").get("n").asInt()).isEqualTo(i);
      assertThat(j.get("timestamp").asLong()).isEqualTo(s.timestamp());
    }

    try (Connection c = broker.sql();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select \"offset\", timestamp_ms, key, value, headers::text"
            + " from read_messages('" + topic + "', 0, 0, 100) order by \"offset\"")) {
      int i = 0;
      while (rs.next()) {
        ProducerRecord<byte[], byte[]> s = sent.get(i);
        assertThat(rs.getLong(1)).isEqualTo(i);
        assertThat(rs.getLong(2)).isEqualTo(s.timestamp());
        assertThat(rs.getBytes(3)).isEqualTo(s.key());
        assertThat(rs.getBytes(4)).isEqualTo(s.value());
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(rs.getString(5)))
            .isEqualTo(binary.get(i).get("headers"));
        i++;
      }
      assertThat(i).isEqualTo(12);
    }
  }

  /** Headers as the HTTP door writes them: name and base64 value, null for a null value. */
  private static String headersJson(Header[] headers) {
    List<Map<String, String>> out = new ArrayList<>();
    for (Header h : headers) {
      Map<String, String> one = new java.util.LinkedHashMap<>();
      one.put("name", h.key());
      one.put("value", b64(h.value()));
      out.add(one);
    }
    return TestHttp.json(out);
  }

  @Test
  void records_written_over_http_v2_and_v3_are_read_the_same_by_a_kafka_consumer() {
    String topic = "from-http";
    broker.http().createTopic(topic, 2);
    broker
        .http()
        .post(
            "/topics/" + topic + "/partitions/1",
            TestHttp.BINARY,
            TestHttp.json(Map.of(
                "records",
                List.of(
                    Map.of(
                        "key", b64(bytes("k0")),
                        "value", b64(bytes("v0")),
                        "headers", List.of(Map.of("name", "h", "value", b64(bytes("hv0")))),
                        "timestamp", TIME),
                    Map.of("value", b64(bytes("v1")), "timestamp", TIME + 1)))))
        .expectStatus(200);
    broker
        .http()
        .post(
            "/v3/clusters/" + broker.http().clusterId() + "/topics/" + topic + "/records",
            "application/json",
            TestHttp.json(Map.of(
                "partition_id", 1,
                "headers", List.of(Map.of("name", "h3", "value", b64(bytes("hv2")))),
                "key", Map.of("type", "STRING", "data", "k2"),
                "value", Map.of("type", "BINARY", "data", b64(bytes("v2"))),
                "timestamp", "2026-01-01T00:00:00.002Z")))
        .expectStatus(200);

    TopicPartition p1 = new TopicPartition(topic, 1);
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(), Map.of())) {
      List<ConsumerRecord<byte[], byte[]>> read =
          KafkaProduceConsumeTest.readAll(consumer, List.of(p1), 3);
      assertThat(read).extracting(ConsumerRecord::offset).containsExactly(0L, 1L, 2L);
      assertThat(read)
          .extracting(ConsumerRecord::timestamp)
          .containsExactly(TIME, TIME + 1, TIME + 2);
      assertThat(read.get(0).key()).isEqualTo(bytes("k0"));
      assertThat(read.get(1).key()).isNull();
      assertThat(read.get(2).key()).isEqualTo(bytes("k2"));
      assertThat(read)
          .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
          .containsExactly("v0", "v1", "v2");
      assertThat(read.get(0).headers().lastHeader("h").value()).isEqualTo(bytes("hv0"));
      assertThat(read.get(1).headers().toArray()).isEmpty();
      assertThat(read.get(2).headers().lastHeader("h3").value()).isEqualTo(bytes("hv2"));
    }
  }
}
