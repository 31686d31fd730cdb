package io.rowstream.consumer;

import static io.rowstream.consumer.ConsumerCalls.binaryValues;
import static io.rowstream.consumer.ConsumerCalls.partitions;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A consumer instance is rows, not node memory: any node serves it, and it outlives its node. */
class ConsumerAcrossNodesTest {
  static TestBroker broker;
  static ConsumerCalls calls;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("consumer_nodes");
    broker.startNode();
    calls = new ConsumerCalls(broker);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void an_instance_created_on_one_node_is_served_by_another_and_survives_a_restart_of_the_first() {
    calls.createTopic("nodes", 1);
    calls.produceBinary("nodes", 0, "a", "b", "c");
    TestHttp node0 = broker.http(0);
    String c = calls.create(node0, "g-nodes", Map.of("name", "n"));
    calls.post(node0, c + "/assignments", partitions("nodes", 0));
    calls.post(node0, c + "/positions/beginning", partitions("nodes", 0));

    TestHttp node1 = broker.http(1);
    assertThat(node1.get(c + "/assignments").json().toString())
        .isEqualTo("{\"partitions\":[{\"topic\":\"nodes\",\"partition\":0}]}");
    assertThat(binaryValues(calls.records(node1, c, "?timeout=0&max_bytes=1", TestHttp.BINARY)))
        .containsExactly("a");

    broker.restartNode(0);
    TestHttp restarted = broker.http(0);
    assertThat(binaryValues(calls.records(restarted, c, "?timeout=0", TestHttp.BINARY)))
        .containsExactly("b", "c");
    assertThat(calls.position("g-nodes", "n", "nodes", 0)).isEqualTo(3);
    assertThat(restarted.delete(c).status()).isEqualTo(204);
    assertThat(node1.get(c + "/assignments").errorCode()).isEqualTo(40403);
  }

  @Test
  void a_read_waiting_on_one_node_wakes_when_another_node_appends() throws Exception {
    calls.createTopic("remote", 1);
    TestHttp node1 = broker.http(1);
    String c = calls.create(node1, "g-remote", Map.of("name", "r"));
    calls.post(node1, c + "/assignments", partitions("remote", 0));
    calls.post(node1, c + "/positions/end", partitions("remote", 0));

    var read = calls.readWokenBy(1, c, () -> calls.produceBinary("remote", 0, "hello"));

    assertThat(binaryValues(read.records())).containsExactly("hello");
    assertThat(read.elapsedMs()).isLessThan(5_000);
  }
}
