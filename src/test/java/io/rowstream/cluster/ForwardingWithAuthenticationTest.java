package io.rowstream.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.config.OpsConfig;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With authentication on, a follower forwards a produce to the leader as a node of the cluster
 * (the node secret), and the internal route refuses anyone else.
 */
class ForwardingWithAuthenticationTest {
  private static TestBroker broker;
  private static TestHttp admin;

  @BeforeAll
  static void start() {
    OpsConfig.Auth auth = new OpsConfig.Auth(
        true,
        Set.of("User:admin"),
        Optional.of("admin"),
        Optional.of("s3cret-admin"),
        false,
        Duration.ofSeconds(5));
    broker = TestBroker.start(
        "forward_auth",
        c -> c.withClusterTimings(FencingAndForwardingTest.FAST).withOps(c.ops().withAuth(auth)));
    broker.startNode();
    broker.startNode();
    admin = broker.http().as("admin", "s3cret-admin");
    admin.createTopic("secured", 3);
    Await.until(
        "each node leads one partition and knows the others' URLs",
        FencingAndForwardingTest.SETTLE,
        () -> broker.queryLong("select count(distinct leader_node_id) from topic_partition") == 3
            && java.util.stream.IntStream.range(0, 3)
                .allMatch(i -> java.util.stream.IntStream.rangeClosed(1, 3)
                    .allMatch(
                        id -> broker.node(i).services().leaderView().urlOf(id).isPresent())));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_produce_sent_to_a_follower_reaches_the_leader_through_the_node_secret() {
    int leader =
        (int) broker.queryLong("select leader_node_id from topic_partition where partition_id = 0");
    int follower = leader % 3 + 1;
    long forwardedIn =
        broker.node(leader - 1).services().produce().forwardingCounts().forwardedIn();

    var r = broker
        .http(follower - 1)
        .as("admin", "s3cret-admin")
        .post(
            "/topics/secured/partitions/0",
            TestHttp.BINARY,
            TestHttp.json(Map.of("records", List.of(Map.of("value", "aGk=")))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(broker.node(leader - 1).services().produce().forwardingCounts().forwardedIn())
        .isEqualTo(forwardedIn + 1);
    assertThat(
            broker.queryLong("select log_end_offset from topic_partition where partition_id = 0"))
        .isEqualTo(1);
  }

  @Test
  void the_internal_append_route_refuses_callers_without_the_node_secret() {
    String path = "/internal/v1/topics/secured/partitions/1/append?topic_id=1";
    TestHttp.assertError(broker.http().post(path, "application/octet-stream", ""), 401, 40101);
    TestHttp.assertError(
        broker
            .http()
            .post(path, "application/octet-stream", "", "Authorization", "Bearer not-the-secret"),
        401,
        40101);
    assertThat(
            broker.queryLong("select log_end_offset from topic_partition where partition_id = 1"))
        .isZero();
  }
}
