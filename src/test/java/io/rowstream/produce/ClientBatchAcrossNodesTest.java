package io.rowstream.produce;

import static io.rowstream.produce.ClientBatches.batch;
import static io.rowstream.produce.ClientBatches.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rowstream.config.ClusterTimings;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.BatchFetch;
import io.rowstream.log.BatchRead;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.StoredBatches;
import io.rowstream.security.Principal;
import io.rowstream.services.BrokerServices;
import io.rowstream.support.Await;
import io.rowstream.support.TestBroker;
import io.rowstream.topic.Topic;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Kafka door's calls on a cluster of two nodes: a client's batch is appended only by the
 * partition's leader (NOT_LEADER_OR_FOLLOWER elsewhere, nothing written, never forwarded), and a
 * raw fetch long-polling on one node wakes on a batch appended on the other.
 */
@Tag("slow")
class ClientBatchAcrossNodesTest {
  static final ClusterTimings FAST = ClusterTimings.ofMillis(1_500, 300, 50);
  static final Duration SETTLE = Duration.ofSeconds(15);

  static TestBroker broker;
  static Topic topic;

  @BeforeAll
  static void start() {
    broker = TestBroker.start("client_batch_nodes", c -> c.withClusterTimings(FAST));
    broker.startNode();
    topic = services(0).topics().create("two-leaders", 2, 2, Map.of());
    Await.until(
        "each node leads one partition",
        SETTLE,
        () -> broker.queryLong("select count(distinct leader_node_id) from topic_partition") == 2);
    Await.until(
        "every node knows where the leaders are",
        SETTLE,
        () -> IntStream.range(0, 2)
            .allMatch(i -> IntStream.rangeClosed(1, 2)
                    .allMatch(id -> services(i).leaderView().urlOf(id).isPresent())
                && IntStream.range(0, 2)
                    .allMatch(p -> services(i)
                            .leaderView()
                            .leader(new PartitionKey(topic.id(), p))
                            .nodeId()
                        != null)));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  @Test
  void a_batch_sent_to_a_node_that_does_not_lead_the_partition_is_refused_and_not_forwarded() {
    int partition = 0;
    int leader = leaderIndex(partition);
    int other = 1 - leader;
    long end = logEnd(partition);
    ByteBuffer sent = batch("none", 2, System.currentTimeMillis());

    assertThatThrownBy(() -> appendOn(other, partition, sent))
        .isInstanceOfSatisfying(BrokerException.class, e -> {
          assertThat(e.error()).isEqualTo(BrokerError.NOT_LEADER_OR_FOLLOWER);
          assertThat(e.error().kafka()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
        });
    assertThat(logEnd(partition)).as("nothing written").isEqualTo(end);
    assertThat(services(other).produce().forwardingCounts().forwardedOut()).isZero();

    assertThat(appendOn(leader, partition, sent).baseOffset()).isEqualTo(end);
    assertThat(logEnd(partition)).isEqualTo(end + 2);
  }

  @Test
  void a_raw_fetch_long_polling_on_one_node_wakes_on_a_batch_appended_on_the_other()
      throws Exception {
    int partition = 1;
    int leader = leaderIndex(partition);
    int poller = 1 - leader;
    long end = logEnd(partition);
    long started = System.nanoTime();
    CompletableFuture<StoredBatches> poll = CompletableFuture.supplyAsync(() -> services(poller)
        .log()
        .fetchBatches(topic, partition, end, 1 << 20, Duration.ofSeconds(20)));
    Await.until("the fetch waits", SETTLE, () -> services(poller).log().waiting() > 0);

    ByteBuffer sent = batch("lz4", 3, System.currentTimeMillis());
    appendOn(leader, partition, sent);

    StoredBatches woken = poll.get(20, TimeUnit.SECONDS);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
        .as("woken by the other node's notification, not by the 20 s timeout")
        .isLessThan(10_000);
    assertThat(woken.batchCount()).isEqualTo(1);
    assertThat(woken.logEndOffset()).isEqualTo(end + 3);
    byte[] sentBytes = bytes(sent);
    assertThat(ByteBuffer.wrap(woken.records()).getLong(0)).isEqualTo(end);
    assertThat(Arrays.copyOfRange(woken.records(), 16, woken.records().length))
        .isEqualTo(Arrays.copyOfRange(sentBytes, 16, sentBytes.length));
  }

  @Test
  void a_fetch_of_several_partitions_waits_once_and_wakes_when_any_of_them_grows()
      throws Exception {
    int leaderOf1 = leaderIndex(1);
    int poller = 1 - leaderOf1;
    long end0 = logEnd(0);
    long end1 = logEnd(1);
    List<BatchFetch> fetches = List.of(
        new BatchFetch(new PartitionKey(topic.id(), 0), end0, 1 << 20),
        new BatchFetch(new PartitionKey(topic.id(), 1), end1, 1 << 20));
    CompletableFuture<List<BatchRead>> poll = CompletableFuture.supplyAsync(
        () -> services(poller).log().fetchBatches(fetches, 1 << 20, 1, Duration.ofSeconds(20)));
    Await.until("the fetch waits", SETTLE, () -> services(poller).log().waiting() > 0);

    appendOn(leaderOf1, 1, batch("none", 1, System.currentTimeMillis()));

    List<BatchRead> reads = poll.get(20, TimeUnit.SECONDS);
    assertThat(reads).hasSize(2);
    assertThat(reads.get(0).error()).isNull();
    assertThat(reads.get(0).batches().batchCount()).isZero();
    assertThat(reads.get(0).batches().logEndOffset()).isEqualTo(end0);
    assertThat(reads.get(1).batches().batchCount()).isEqualTo(1);
    assertThat(reads.get(1).batches().logEndOffset()).isEqualTo(end1 + 1);

    List<BatchRead> outOfRange = services(poller)
        .log()
        .fetchBatches(
            List.of(new BatchFetch(new PartitionKey(topic.id(), 0), end0 + 100, 1 << 20)),
            1 << 20,
            1,
            Duration.ofSeconds(20));
    assertThat(outOfRange.getFirst().error().error()).isEqualTo(BrokerError.OFFSET_OUT_OF_RANGE);
  }

  private static AppendedBatch appendOn(int node, int partition, ByteBuffer batch) {
    return services(node)
        .produce()
        .appendBatch(topic.name(), partition, batch.duplicate(), Acks.ALL, Principal.ANONYMOUS);
  }

  private static int leaderIndex(int partition) {
    return (int) broker.queryLong("select leader_node_id from topic_partition where topic_id = "
            + topic.id() + " and partition_id = " + partition)
        - 1;
  }

  private static long logEnd(int partition) {
    return broker.queryLong("select log_end_offset from topic_partition where topic_id = "
        + topic.id() + " and partition_id = " + partition);
  }

  private static BrokerServices services(int node) {
    return broker.node(node).services();
  }
}
