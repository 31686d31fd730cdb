package io.rowstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rowstream.support.Kcat;
import io.rowstream.support.TestBroker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** librdkafka (kcat 1.7, librdkafka 2.0) negotiates versions with a node and lists its metadata. */
class KcatMetadataTest {
  private static TestBroker broker;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("kcat-metadata");
    broker.startNode();
    broker.http().createTopic("clicks", 3);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @BeforeEach
  void kcat() {
    Kcat.assumeInstalled();
  }

  @Test
  void kcat_lists_both_nodes_and_the_topic_with_its_leaders() throws Exception {
    Kcat.Run run = Kcat.run(broker.kafkaBootstrap(), null, "-L", "-J", "-m", "15");
    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode metadata = new ObjectMapper().readTree(run.out());
    List<Integer> brokers = new ArrayList<>();
    metadata.get("brokers").forEach(b -> brokers.add(b.get("id").asInt()));
    assertThat(brokers)
        .containsExactlyInAnyOrder(
            broker.node(0).services().nodeId(), broker.node(1).services().nodeId());
    JsonNode clicks = null;
    for (JsonNode t : metadata.get("topics")) {
      if (t.get("topic").asText().equals("clicks")) {
        clicks = t;
      }
    }
    assertThat(clicks).isNotNull();
    assertThat(clicks.get("partitions")).hasSize(3);
    for (JsonNode p : clicks.get("partitions")) {
      assertThat(brokers).contains(p.get("leader").asInt());
    }
  }
}
