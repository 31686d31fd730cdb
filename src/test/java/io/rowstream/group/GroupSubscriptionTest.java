package io.rowstream.group;

import static io.rowstream.group.GroupCalls.partitions;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.group.GroupCalls.Consumed;
import io.rowstream.log.TopicPartition;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subscriptions over HTTP: by topics or by pattern, read back and deleted; their conflicts with
 * manual assignment (40903); and what changes the group's partitions without a member calling:
 * a topic created that matches a pattern, partitions added to a subscribed topic (the reaper's
 * pass, every 50 ms here, rebalances).
 */
class GroupSubscriptionTest {
  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_subscription", 50);

  final TestBroker broker = calls.broker();
  final TestHttp http = broker.http();

  private static void assertIllegalState(TestHttp.Response r) {
    TestHttp.assertError(r, 409, 40903);
  }

  @Test
  void a_subscription_reads_back_and_deleting_it_hands_its_partitions_to_the_others() {
    http.createTopic("sub", 4);
    String a = calls.joined(http, "g-sub", "a", Map.of(), "sub");
    String b = calls.joined(http, "g-sub", "b", Map.of(), "sub");
    assertThat(http.get(a + "/subscription").json().toString()).isEqualTo("{\"topics\":[\"sub\"]}");
    assertThat(calls.assignment(http, a)).hasSize(2);
    int generation = calls.generation("g-sub");

    assertThat(http.delete(a + "/subscription").status()).isEqualTo(204);

    assertThat(calls.generation("g-sub")).isEqualTo(generation + 1);
    assertThat(http.get(a + "/subscription").json().toString()).isEqualTo("{\"topics\":[]}");
    assertThat(calls.assignment(http, a)).isEmpty();
    assertThat(calls.assignment(http, b)).hasSize(4);
    assertIllegalState(http.get(a + "/records?timeout=0", "Accept", TestHttp.BINARY));
  }

  @Test
  void subscribing_and_assigning_are_mutually_exclusive_and_a_refusal_changes_nothing() {
    http.createTopic("excl", 2);
    String subscribed = calls.joined(http, "g-excl", "s", Map.of(), "excl");
    String state = calls.groupState("g-excl");
    assertIllegalState(http.post(subscribed + "/assignments", TestHttp.V2, partitions("excl", 0)));
    assertIllegalState(http.post(
        subscribed + "/subscription", TestHttp.V2, TestHttp.json(Map.of("topic_pattern", "ex.*"))));
    assertThat(calls.groupState("g-excl")).isEqualTo(state);

    String assigned = calls.member(http, "g-excl-manual", "m", Map.of());
    GroupCalls.post204(http, assigned + "/assignments", partitions("excl", 1));
    state = calls.groupState("g-excl-manual");
    assertIllegalState(http.post(
        assigned + "/subscription", TestHttp.V2, TestHttp.json(Map.of("topics", List.of("excl")))));
    assertThat(calls.groupState("g-excl-manual")).isEqualTo(state);

    // A member asking for another assignor than the group's subscribed members use.
    String sticky =
        calls.member(http, "g-excl", "sticky", Map.of("partition.assignment.strategy", "sticky"));
    state = calls.groupState("g-excl");
    assertIllegalState(http.post(
        sticky + "/subscription", TestHttp.V2, TestHttp.json(Map.of("topics", List.of("excl")))));
    assertThat(calls.groupState("g-excl")).isEqualTo(state);
  }

  @Test
  void a_topic_created_later_that_matches_the_pattern_joins_the_subscription() {
    http.createTopic("pat-one", 2);
    http.createTopic("unrelated", 1);
    String m = calls.member(http, "g-pat", "m", Map.of());
    calls.subscribePattern(http, m, "pat-.*");
    assertThat(http.get(m + "/subscription").json().toString())
        .isEqualTo("{\"topics\":[\"pat-one\"],\"topic_pattern\":\"pat-.*\"}");
    assertThat(calls.assignment(http, m))
        .containsExactly(new TopicPartition("pat-one", 0), new TopicPartition("pat-one", 1));
    int generation = calls.generation("g-pat");

    http.createTopic("pat-two", 1);
    http.createTopic("not-pat", 1);
    GroupCalls.await(
        "pat-two is assigned",
        Duration.ofSeconds(10),
        () -> calls.assignment(http, m).contains(new TopicPartition("pat-two", 0)));

    assertThat(calls.assignment(http, m)).hasSize(3);
    assertThat(calls.generation("g-pat")).isEqualTo(generation + 1);
    assertThat(http.get(m + "/subscription").json().get("topics").toString())
        .isEqualTo("[\"pat-one\",\"pat-two\"]");
    calls.produce("pat-two", 1, "new", 2);
    assertThat(calls.poll(http, m, 5_000))
        .extracting(Consumed::value)
        .containsExactly("new-0-0", "new-0-1");
  }

  @Test
  void partitions_added_to_a_subscribed_topic_are_shared_out_by_a_rebalance() {
    http.createTopic("grow", 2);
    String a = calls.joined(http, "g-grow", "a", Map.of(), "grow");
    String b = calls.joined(http, "g-grow", "b", Map.of(), "grow");
    int generation = calls.generation("g-grow");

    var r = http.post(
        "/v3/clusters/" + http.clusterId() + "/topics/grow/partitions",
        "application/json",
        TestHttp.json(Map.of("partitions_count", 6)));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    GroupCalls.await(
        "the six partitions are assigned",
        Duration.ofSeconds(10),
        () ->
            broker.queryLong("select count(*) from consumer_assignment where group_name = 'g-grow'")
                == 6);

    assertThat(calls.generation("g-grow")).isEqualTo(generation + 1);
    List<TopicPartition> owned = new ArrayList<>(calls.assignment(http, a));
    assertThat(owned).hasSize(3);
    owned.addAll(calls.assignment(http, b));
    assertThat(owned).doesNotHaveDuplicates().hasSize(6);
  }

  @Test
  void a_member_whose_partitions_were_taken_gets_no_more_records_from_them() {
    calls.filledTopic("taken", 2, "old", 3);
    String a = calls.joined(http, "g-taken", "a", Map.of("auto.commit.enable", "true"), "taken");
    assertThat(calls.poll(http, a, 0)).hasSize(6);

    String b = calls.joined(http, "g-taken", "b", Map.of("auto.commit.enable", "true"), "taken");
    calls.produce("taken", 2, "new", 3);

    int kept = calls.assignment(http, a).getFirst().partition();
    List<Consumed> byA = calls.poll(http, a, 0);
    assertThat(byA).hasSize(3).allMatch(c -> c.partition() == kept && c.value().startsWith("new"));
    assertThat(calls.poll(http, a, 0)).isEmpty();
    // a's position in the partition taken was committed at the rebalance: b starts after what a
    // read.
    List<Consumed> byB = calls.poll(http, b, 0);
    assertThat(byB)
        .hasSize(3)
        .allMatch(c -> c.partition() == 1 - kept && c.value().startsWith("new"));
  }

  @Test
  void a_read_in_flight_when_its_partition_is_taken_returns_none_of_its_records() throws Exception {
    http.createTopic("inflight", 2);
    String a =
        calls.joined(http, "g-inflight", "a", Map.of("auto.commit.enable", "true"), "inflight");
    assertThat(calls.poll(http, a, 0)).isEmpty();
    var log = broker.node(0).services().log();
    int waitingBefore = log.waiting();
    CompletableFuture<TestHttp.Response> read = CompletableFuture.supplyAsync(
        () -> http.get(a + "/records?timeout=20000", "Accept", TestHttp.BINARY), calls.threads());
    while (log.waiting() == waitingBefore && !read.isDone()) {
      Thread.onSpinWait();
    }
    assertThat(read).as("the read waits for data").isNotDone();

    String b =
        calls.joined(http, "g-inflight", "b", Map.of("auto.commit.enable", "true"), "inflight");
    assertThat(calls.assignment(http, b)).containsExactly(new TopicPartition("inflight", 1));
    var produced = http.post(
        "/topics/inflight/partitions/1",
        TestHttp.BINARY,
        TestHttp.json(Map.of("records", List.of(Map.of("value", GroupCalls.b64("late-1"))))));
    assertThat(produced.status()).isEqualTo(200);

    // The read woke with a record of the partition that is no longer a's: it returns none of it.
    var answered = read.get(20, TimeUnit.SECONDS);
    assertThat(answered.status()).as(answered.body()).isEqualTo(200);
    assertThat(answered.json()).isEmpty();
    assertThat(calls.poll(http, b, 0)).extracting(Consumed::value).containsExactly("late-1");
    assertThat(calls.poll(http, a, 0)).isEmpty();
  }
}
