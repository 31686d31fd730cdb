package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.group.GroupCalls.Consumed;
import io.rowstream.log.TopicPartition;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rebalances over HTTP with real concurrent members: every partition has one owner, and when
 * members leave (deleted) or crash (stop calling) their partitions move to the survivors
 * without a record lost or read twice, as long as members commit what they processed.
 */
class GroupRebalanceTest {
  static final int PARTITIONS = 6;

  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_rebalance", 50);

  final TestBroker broker = calls.broker();
  final TestHttp http = broker.http();
  final ExecutorService threads = calls.threads();

  /** A member polling and committing in a loop on its own thread until told to stop. */
  final class Poller {
    final String member;
    final AtomicBoolean running = new AtomicBoolean(true);
    final CompletableFuture<Void> done;

    Poller(String member, ConcurrentLinkedQueue<Consumed> processed) {
      this.member = member;
      this.done = CompletableFuture.runAsync(
          () -> {
            while (running.get()) {
              List<Consumed> records = calls.poll(http, member, 100);
              if (records.isEmpty()) {
                continue;
              }
              processed.addAll(records);
              var r = calls.commit(http, member, records);
              // Refused only when the group rebalanced since the poll: the next commit covers
              // these.
              assertThat(r.status()).as(r.body()).isIn(200, 409);
            }
          },
          threads);
    }

    void stop() throws Exception {
      running.set(false);
      done.get(30, TimeUnit.SECONDS);
    }
  }

  private static void awaitProcessed(ConcurrentLinkedQueue<Consumed> processed, int count) {
    GroupCalls.await(
        count + " records processed", Duration.ofSeconds(30), () -> processed.size() >= count);
  }

  /** Each partition of the topic owned by exactly one of the members, as they see it and in the rows. */
  private void assertOneOwnerEach(String topic, List<String> members) {
    List<TopicPartition> owned = new ArrayList<>();
    for (String m : members) {
      owned.addAll(calls.assignment(http, m));
    }
    assertThat(owned).doesNotHaveDuplicates().hasSize(PARTITIONS);
    assertThat(owned.stream().map(TopicPartition::topic)).containsOnly(topic);
    assertThat(broker.queryLong(
            "select count(distinct (topic_id, partition_id)) from consumer_assignment a"
                + " join topic t using (topic_id) where t.name = '" + topic + "'"))
        .isEqualTo(PARTITIONS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"range", "roundrobin", "sticky"})
  void partitions_of_a_deleted_and_of_a_silent_member_move_with_nothing_lost_or_read_twice(
      String assignor) throws Exception {
    String topic = "six-" + assignor;
    String group = "g-" + assignor;
    http.createTopic(topic, PARTITIONS);
    Map<String, Object> config =
        Map.of("auto.commit.enable", "false", "partition.assignment.strategy", assignor);
    String a = calls.member(http, group, "a", config);
    String b = calls.member(
        http,
        group,
        "b",
        Map.of(
            "auto.commit.enable",
            "false",
            "partition.assignment.strategy",
            assignor,
            "session.timeout.ms",
            1500));
    String c = calls.member(http, group, "c", config);
    for (String m : List.of(a, b, c)) {
      calls.subscribe(http, m, topic);
    }
    assertThat(calls.generation(group)).isEqualTo(3);
    assertThat(broker.queryLong("select count(*) from consumer_group where group_name = '" + group
            + "' and assignor = '" + assignor + "' and state = 'STABLE'"))
        .isEqualTo(1);
    assertOneOwnerEach(topic, List.of(a, b, c));
    for (String m : List.of(a, b, c)) {
      assertThat(calls.assignment(http, m)).as(m).hasSize(2);
    }

    ConcurrentLinkedQueue<Consumed> processed = new ConcurrentLinkedQueue<>();
    calls.produce(topic, PARTITIONS, "one", 10);
    List<Poller> pollers =
        List.of(new Poller(a, processed), new Poller(b, processed), new Poller(c, processed));
    awaitProcessed(processed, 60);
    for (Poller p : pollers) {
      p.stop();
    }

    // c leaves for good; a and b share its partitions.
    assertThat(http.delete(c).status()).isEqualTo(204);
    assertThat(calls.generation(group)).isEqualTo(4);
    assertOneOwnerEach(topic, List.of(a, b));
    calls.produce(topic, PARTITIONS, "two", 10);
    pollers = List.of(new Poller(a, processed), new Poller(b, processed));
    awaitProcessed(processed, 120);
    for (Poller p : pollers) {
      p.stop();
    }

    // b stops calling: when its lease ends, the reaper gives everything to a.
    calls.produce(topic, PARTITIONS, "three", 10);
    Poller survivor = new Poller(a, processed);
    GroupCalls.await(
        "a owns every partition",
        Duration.ofSeconds(30),
        () -> broker.queryLong("select count(*) from consumer_assignment where group_name = '"
                + group + "' and instance_id = 'a'")
            == PARTITIONS);
    awaitProcessed(processed, 180);
    survivor.stop();
    assertThat(broker.queryLong(
            "select count(*) from consumer_instance where group_name = '" + group + "'"))
        .isEqualTo(1);
    assertThat(calls.generation(group)).isEqualTo(5);

    List<String> values = processed.stream().map(Consumed::value).toList();
    assertThat(values).doesNotHaveDuplicates().hasSize(180);
    Set<String> expected = new HashSet<>();
    for (String round : List.of("one", "two", "three")) {
      for (int p = 0; p < PARTITIONS; p++) {
        for (int i = 0; i < 10; i++) {
          expected.add(round + "-" + p + "-" + i);
        }
      }
    }
    assertThat(new HashSet<>(values)).isEqualTo(expected);
    assertThat(calls.poll(http, a, 0)).isEmpty();
  }
}
