package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.log.TopicPartition;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Members joining, reading, unsubscribing and leaving at once through two nodes, while an
 * observer reads the assignment again and again: no snapshot ever shows a partition with two
 * owners, or an owner from a generation the group has not reached, and the survivors end up
 * owning every partition once.
 */
class GroupMembershipRaceTest {
  static final int PARTITIONS = 6;
  static final int WORKERS = 6;
  static final int ROUNDS = 3;

  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_race", 50);

  final TestBroker broker = calls.broker();
  final ExecutorService threads = calls.threads();

  /** What the observer saw over all its snapshots. */
  record Observed(
      int snapshots, Set<Integer> generations, long maxShared, long maxAhead, long maxOwned) {}

  private Observed observe(AtomicBoolean churning) {
    int snapshots = 0;
    Set<Integer> generations = new HashSet<>();
    long maxShared = 0;
    long maxAhead = 0;
    long maxOwned = 0;
    // One statement, one snapshot: the group row and its assignment rows as of one instant.
    String sql = """
        select g.generation,
               (select count(*) from (select 1 from consumer_assignment a
                                      where a.group_name = g.group_name and a.generation is not null
                                      group by a.topic_id, a.partition_id having count(*) > 1) d),
               (select count(*) from consumer_assignment a
                where a.group_name = g.group_name and a.generation > g.generation),
               (select count(*) from consumer_assignment a
                where a.group_name = g.group_name and a.generation is not null)
        from consumer_group g where g.group_name = 'g-race'""";
    try (Connection c = broker.sql();
        var s = c.prepareStatement(sql)) {
      while (churning.get()) {
        try (var rs = s.executeQuery()) {
          if (rs.next()) {
            snapshots++;
            generations.add(rs.getInt(1));
            maxShared = Math.max(maxShared, rs.getLong(2));
            maxAhead = Math.max(maxAhead, rs.getLong(3));
            maxOwned = Math.max(maxOwned, rs.getLong(4));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return new Observed(snapshots, generations, maxShared, maxAhead, maxOwned);
  }

  /** Joins through one node and reads, then leaves through the other: by delete, or unsubscribe then delete. */
  private String churn(List<TestHttp> nodes, int worker) {
    String last = null;
    for (int round = 0; round < ROUNDS; round++) {
      TestHttp join = nodes.get((worker + round) % 2);
      TestHttp other = nodes.get((worker + round + 1) % 2);
      String m = calls.joined(
          join,
          "g-race",
          "w" + worker + "-" + round,
          Map.of("partition.assignment.strategy", "sticky"),
          "race");
      calls.assignment(other, m);
      var read = other.get(m + "/records?timeout=0", "Accept", TestHttp.BINARY);
      // A rebalance may take a partition while the read is in flight: then it returns nothing
      // (40903).
      assertThat(read.status() == 200 || read.errorCode() == 40903)
          .as(read.body())
          .isTrue();
      if (round == ROUNDS - 1) {
        last = m;
      } else {
        if (round % 2 == 1) {
          assertThat(other.delete(m + "/subscription").status()).isEqualTo(204);
        }
        assertThat(other.delete(m).status()).isEqualTo(204);
      }
    }
    return last;
  }

  @Test
  void members_joining_and_leaving_at_once_through_two_nodes_never_share_a_partition()
      throws Exception {
    int second = broker.startNode();
    List<TestHttp> nodes = List.of(broker.http(0), broker.http(second));
    calls.filledTopic("race", PARTITIONS, "r", 2);
    AtomicBoolean churning = new AtomicBoolean(true);
    CompletableFuture<Observed> observer =
        CompletableFuture.supplyAsync(() -> observe(churning), threads);

    List<CompletableFuture<String>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      int worker = w;
      workers.add(CompletableFuture.supplyAsync(() -> churn(nodes, worker), threads));
    }
    CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    churning.set(false);
    Observed seen = observer.get(10, TimeUnit.SECONDS);

    assertThat(seen.maxShared())
        .as("partitions with two owners in one snapshot")
        .isZero();
    assertThat(seen.maxAhead())
        .as("owners from a generation the group has not reached")
        .isZero();
    assertThat(seen.maxOwned()).isLessThanOrEqualTo(PARTITIONS);
    assertThat(seen.generations())
        .as("the observer saw the churn, not just its end")
        .hasSizeGreaterThan(2);
    // Every join and every leave (an unsubscription, or a deletion of a subscribed member) was one
    // rebalance, none lost to a race.
    int leaves = WORKERS * (ROUNDS - 1);
    assertThat(calls.generation("g-race")).isEqualTo(WORKERS * ROUNDS + leaves);

    List<TopicPartition> owned = new ArrayList<>();
    for (CompletableFuture<String> w : workers) {
      List<TopicPartition> mine = calls.assignment(nodes.get(0), w.get());
      assertThat(mine).hasSize(1);
      owned.addAll(mine);
    }
    assertThat(owned).doesNotHaveDuplicates().hasSize(PARTITIONS);
  }
}
