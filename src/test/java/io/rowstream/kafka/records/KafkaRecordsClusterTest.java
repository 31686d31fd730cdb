package io.rowstream.kafka.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.Await;
import io.rowstream.support.FetchRequests;
import io.rowstream.support.KafkaClients;
import io.rowstream.support.KafkaWire;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceDataCollection;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Records on a two-node cluster over the Kafka port: a node that does not lead a partition refuses
 * a produce to it with NOT_LEADER_OR_FOLLOWER and names the leader (no forwarding), writing
 * nothing, and a KafkaProducer whose metadata went stale when leadership moved recovers and writes
 * each record once; a fetch long-polling on one node wakes when a record is produced over HTTP on
 * the other.
 */
class KafkaRecordsClusterTest {
  private static final String TOPIC = "moving";
  private static final int PARTITIONS = 4;
  private static TestBroker broker;
  /** The index of the node started last. */
  private static int newest;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kafka-records-cluster");
    broker.http().createTopic(TOPIC, PARTITIONS);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static int leaderOf(int partition) {
    return (int) broker.queryLong("select p.leader_node_id from rowstream.topic_partition p join"
        + " rowstream.topic t using (topic_id) where t.name = '" + TOPIC + "' and p.partition_id = "
        + partition);
  }

  private static long logEnd(int partition) {
    return broker.queryLong("select p.log_end_offset from rowstream.topic_partition p join"
        + " rowstream.topic t using (topic_id) where t.name = '" + TOPIC + "' and p.partition_id = "
        + partition);
  }

  private static boolean isNewest(int nodeId) {
    return broker.node(newest).services().nodeId() == nodeId;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static ProduceRequestData produceOne(int partition, String value) {
    ByteBuffer batch = MemoryRecords.withRecords(
            Compression.NONE, new SimpleRecord(System.currentTimeMillis(), null, bytes(value)))
        .buffer();
    TopicProduceDataCollection topics = new TopicProduceDataCollection();
    topics.add(new TopicProduceData()
        .setName(TOPIC)
        .setPartitionData(List.of(new PartitionProduceData()
            .setIndex(partition)
            .setRecords(MemoryRecords.readableRecords(batch)))));
    return new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000).setTopicData(topics);
  }

  private static double metric(KafkaProducer<?, ?> producer, String name) {
    for (Map.Entry<MetricName, ? extends Metric> m : producer.metrics().entrySet()) {
      if (m.getKey().name().equals(name) && m.getKey().group().equals("producer-metrics")) {
        return ((Number) m.getValue().metricValue()).doubleValue();
      }
    }
    throw new AssertionError("no producer metric " + name);
  }

  @Test
  void a_non_leader_refuses_a_produce_naming_the_leader_and_a_stale_producer_recovers()
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        KafkaClients.producer(broker.kafkaBootstrap(0), Map.of())) {
      for (int p = 0; p < PARTITIONS; p++) {
        producer
            .send(new ProducerRecord<>(TOPIC, p, null, bytes("before-" + p)))
            .get();
      }
      // A node joins: the controller gives it some of the partitions, which the producer's
      // metadata still places on the nodes that led them.
      newest = broker.startNode();
      int[] moved = {-1};
      Await.until("the new node leads a partition", Duration.ofSeconds(60), () -> {
        for (int p = 0; p < PARTITIONS; p++) {
          if (isNewest(leaderOf(p))) {
            moved[0] = p;
          }
        }
        return moved[0] >= 0;
      });
      int partition = moved[0];
      int newLeader = leaderOf(partition);
      long end = logEnd(partition);
      try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
        // The node's view of leadership may lag, but its append is fenced by the moved epoch.
        ProduceResponseData answer = ((ProduceResponse)
                wire.call(ApiKeys.PRODUCE, (short) 12, produceOne(partition, "refused")))
            .data();
        PartitionProduceResponse refused =
            answer.responses().iterator().next().partitionResponses().get(0);
        assertThat(refused.errorCode()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER.code());
        assertThat(refused.currentLeader().leaderId()).isEqualTo(newLeader);
        assertThat(answer.nodeEndpoints().find(newLeader).port())
            .isEqualTo(broker.node(newest).kafkaPort());
      }
      assertThat(logEnd(partition)).as("nothing written by the refused produce").isEqualTo(end);

      for (int p = 0; p < PARTITIONS; p++) {
        producer.send(new ProducerRecord<>(TOPIC, p, null, bytes("after-" + p))).get();
      }
      assertThat(metric(producer, "record-retry-total"))
          .as("the producer was refused and retried at the leader")
          .isPositive();
    }
    for (int p = 0; p < PARTITIONS; p++) {
      assertThat(logEnd(p)).as("partition %d holds each record once", p).isEqualTo(2);
    }
  }

  @Test
  void a_fetch_long_polling_on_one_node_wakes_on_a_produce_over_http_on_the_other()
      throws Exception {
    if (newest == 0) {
      newest = broker.startNode();
    }
    String topic = "woken";
    broker.http().createTopic(topic, 1);
    FetchRequestData fetch = FetchRequests.from(topic, 1, 0, 30_000);
    try (KafkaWire wire = new KafkaWire(broker.node(0).kafkaPort())) {
      long started = System.nanoTime();
      CompletableFuture<FetchResponse> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return (FetchResponse) wire.call(ApiKeys.FETCH, (short) 12, fetch);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      Await.until(
          "the fetch waits on the first node",
          Duration.ofSeconds(10),
          () -> broker.node(0).services().log().waiting() > 0);
      broker
          .http(newest)
          .post(
              "/topics/" + topic + "/partitions/0",
              TestHttp.BINARY,
              "{\"records\":[{\"value\":\"d29rZW4=\"}]}")
          .expectStatus(200);
      PartitionData woken = answer
          .get(30, TimeUnit.SECONDS)
          .data()
          .responses()
          .get(0)
          .partitions()
          .get(0);
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(woken.errorCode()).isEqualTo(Errors.NONE.code());
      assertThat(woken.highWatermark()).isEqualTo(1);
      assertThat(((MemoryRecords) woken.records()).records().iterator().next().value())
          .isEqualTo(ByteBuffer.wrap(bytes("woken")));
      // The node's own recheck runs every 10 s: well before it, only the other node's signal
      // can have woken the fetch.
      assertThat(waitedMs).isLessThan(8_000);
    }
  }
}
