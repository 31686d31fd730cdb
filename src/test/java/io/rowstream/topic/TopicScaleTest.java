package io.rowstream.topic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Topics of 10,000 partitions (the default limit per topic) are created in one request over HTTP
 * v3 and over Kafka's CreateTopics, count right in both doors, and a partition of them takes
 * records and serves them back. (Before issue 25 such a topic failed with "out of shared memory":
 * its 40,000 relations did not fit the lock table of one transaction.)
 */
class TopicScaleTest {
  static final int PARTITIONS = 10_000;
  static TestBroker broker;
  static TestHttp http;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("topic_scale");
    http = broker.http();
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_topic_of_ten_thousand_partitions_is_created_over_http_v3_and_takes_records() {
    JsonNode created = http.createTopic("wide-http", PARTITIONS);
    assertThat(created.get("partitions_count").asInt()).isEqualTo(PARTITIONS);
    String topic = "/v3/clusters/" + http.clusterId() + "/topics/wide-http";
    assertThat(http.get(topic).json().get("partitions_count").asInt()).isEqualTo(PARTITIONS);
    assertThat(http.get(topic + "/partitions").json().get("data").size()).isEqualTo(PARTITIONS);

    var produced = http.post(
        "/topics/wide-http/partitions/9999",
        TestHttp.BINARY,
        TestHttp.json(Map.of(
            "records",
            List.of(Map.of("value", Base64.getEncoder().encodeToString("last".getBytes()))))));
    assertThat(produced.status()).as(produced.body()).isEqualTo(200);
    JsonNode read = http.get(
            "/topics/wide-http/partitions/9999/records?offset=0", "Accept", TestHttp.BINARY)
        .json();
    assertThat(read).hasSize(1);
    assertThat(new String(Base64.getDecoder().decode(read.get(0).get("value").asText())))
        .isEqualTo("last");
  }

  @Test
  void a_topic_of_ten_thousand_partitions_is_created_over_kafka_and_takes_records()
      throws Exception {
    try (Admin admin = KafkaClients.admin(broker.kafkaBootstrap())) {
      admin
          .createTopics(List.of(new NewTopic("wide-kafka", PARTITIONS, (short) 1)))
          .all()
          .get();
      assertThat(admin
              .describeTopics(Set.of("wide-kafka"))
              .allTopicNames()
              .get()
              .get("wide-kafka")
              .partitions())
          .hasSize(PARTITIONS);
    }
    RecordMetadata sent;
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.kafkaBootstrap(), Map.of())) {
      sent = producer
          .send(new ProducerRecord<>("wide-kafka", 7777, null, "seven".getBytes()))
          .get();
    }
    assertThat(sent.partition()).isEqualTo(7777);
    assertThat(sent.offset()).isZero();
    try (KafkaConsumer<byte[], byte[]> consumer =
        KafkaClients.consumer(broker.kafkaBootstrap(), Map.of())) {
      TopicPartition tp = new TopicPartition("wide-kafka", 7777);
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      List<ConsumerRecord<byte[], byte[]>> records =
          consumer.poll(Duration.ofSeconds(10)).records(tp);
      assertThat(records).hasSize(1);
      assertThat(new String(records.getFirst().value())).isEqualTo("seven");
    }
    assertThat(
            broker.queryLong("select count(*) from topic_partition p join topic t using (topic_id)"
                + " where t.name = 'wide-kafka'"))
        .isEqualTo(PARTITIONS);
  }
}
