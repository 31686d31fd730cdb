package io.rowstream.group;

import static io.rowstream.group.GroupCalls.offsetBody;
import static io.rowstream.group.GroupCalls.partitions;
import static io.rowstream.group.GroupCalls.post204;
import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.group.GroupCalls.Consumed;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Offset commits over HTTP: explicit, "all consumed" and automatic; reading them back; they never
 * move backwards but by an explicit lower commit; and the fenced ones (a stale generation, an
 * unknown or expired member) are refused with nothing changed.
 */
class GroupOffsetsTest {
  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_offsets", 1_000);

  final TestBroker broker = calls.broker();
  final TestHttp http = broker.http();

  @Test
  void an_explicit_commit_stores_the_next_offset_and_its_metadata_and_get_offsets_reads_it_back() {
    calls.filledTopic("explicit", 2, "e", 5);
    String m =
        calls.joined(http, "g-explicit", "m", Map.of("auto.commit.enable", "false"), "explicit");
    assertThat(calls.poll(http, m, 0)).hasSize(10);

    var r = http.post(m + "/offsets", TestHttp.V2, offsetBody("explicit", 1, 3, "batch 7"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);

    var read = http.method("GET", m + "/offsets", TestHttp.V2, partitions("explicit", 0, 1));
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.json().toString())
        .isEqualTo(
            "{\"offsets\":[{\"topic\":\"explicit\",\"partition\":1,\"offset\":4,\"metadata\":\"batch 7\"}]}");
    assertThat(calls.committed("g-explicit", "explicit", 1)).isEqualTo(4);
    assertThat(calls.committed("g-explicit", "explicit", 0)).isEqualTo(-1);
    assertThat(broker.queryLong(
            "select generation from committed_offset_overview where \"group\" = 'g-explicit'"))
        .isEqualTo(calls.generation("g-explicit"));
    // With no partitions listed, GET offsets answers for every partition the instance holds.
    assertThat(http.get(m + "/offsets").json().get("offsets")).hasSize(1);
  }

  @Test
  void an_empty_commit_commits_everything_the_instance_has_consumed() {
    calls.filledTopic("all", 3, "a", 4);
    String m = calls.joined(http, "g-all", "m", Map.of("auto.commit.enable", "false"), "all");
    var first = http.get(m + "/records?timeout=0&max_bytes=1", "Accept", TestHttp.BINARY);
    assertThat(first.json()).hasSize(1);
    Consumed one = GroupCalls.consumed(first.json()).getFirst();

    var r = http.post(m + "/offsets", TestHttp.V2, "");
    assertThat(r.status()).as(r.body()).isEqualTo(200);

    // As Kafka's commitSync(): every partition with a position, those not read yet at their start.
    for (int p = 0; p < 3; p++) {
      assertThat(calls.committed("g-all", "all", p))
          .as("partition " + p)
          .isEqualTo(p == one.partition() ? one.offset() + 1 : 0);
    }
    assertThat(calls.poll(http, m, 0)).hasSize(11);
    assertThat(http.post(m + "/offsets", TestHttp.V2, "").status()).isEqualTo(200);
    for (int p = 0; p < 3; p++) {
      assertThat(calls.committed("g-all", "all", p)).isEqualTo(4);
    }
  }

  @Test
  void auto_commit_commits_what_earlier_polls_returned_and_a_delete_commits_the_rest() {
    calls.filledTopic("auto", 1, "x", 5);
    String m = calls.joined(http, "g-auto", "m", Map.of("auto.commit.enable", "true"), "auto");

    assertThat(calls.poll(http, m, 0)).hasSize(5);
    assertThat(calls.committed("g-auto", "auto", 0))
        .as("nothing before the next poll")
        .isEqualTo(-1);
    calls.produce("auto", 1, "y", 3);
    assertThat(calls.poll(http, m, 0)).hasSize(3);
    assertThat(calls.committed("g-auto", "auto", 0))
        .as("the first poll's records, not the second's")
        .isEqualTo(5);
    assertThat(http.delete(m).status()).isEqualTo(204);
    assertThat(calls.committed("g-auto", "auto", 0))
        .as("closing commits what was returned")
        .isEqualTo(8);

    String next =
        calls.joined(http, "g-auto", "next", Map.of("auto.commit.enable", "true"), "auto");
    calls.produce("auto", 1, "z", 1);
    assertThat(calls.poll(http, next, 0)).extracting(Consumed::value).containsExactly("z-0-0");
  }

  @Test
  void committed_offsets_move_back_only_by_an_explicit_commit_of_a_lower_offset() {
    calls.filledTopic("forward", 1, "f", 10);
    String m =
        calls.joined(http, "g-forward", "m", Map.of("auto.commit.enable", "true"), "forward");
    assertThat(calls.poll(http, m, 0)).hasSize(10);
    assertThat(http.post(m + "/offsets", TestHttp.V2, offsetBody("forward", 0, 9, ""))
            .status())
        .isEqualTo(200);
    assertThat(calls.committed("g-forward", "forward", 0)).isEqualTo(10);

    post204(http, m + "/positions/beginning", partitions("forward", 0));
    assertThat(http.post(m + "/offsets", TestHttp.V2, "").status()).isEqualTo(200);
    assertThat(calls.committed("g-forward", "forward", 0))
        .as("commit of all consumed, position 0")
        .isEqualTo(10);
    assertThat(calls.poll(http, m, 0)).hasSize(10);
    post204(
        http,
        m + "/positions",
        TestHttp.json(
            Map.of("offsets", List.of(Map.of("topic", "forward", "partition", 0, "offset", 4)))));
    calls.poll(http, m, 0);
    assertThat(calls.committed("g-forward", "forward", 0))
        .as("auto-commit of position 4")
        .isEqualTo(10);

    assertThat(http.post(m + "/offsets", TestHttp.V2, offsetBody("forward", 0, 2, "rewind"))
            .status())
        .isEqualTo(200);
    assertThat(calls.committed("g-forward", "forward", 0))
        .as("an explicit lower commit")
        .isEqualTo(3);
  }

  @Test
  void a_commit_from_a_stale_generation_is_refused_and_changes_nothing() {
    calls.filledTopic("stale", 2, "s", 3);
    String a = calls.joined(http, "g-stale", "a", Map.of("auto.commit.enable", "false"), "stale");
    List<Consumed> polled = calls.poll(http, a, 0);
    assertThat(polled).hasSize(6);
    int before = calls.generation("g-stale");
    String b = calls.joined(http, "g-stale", "b", Map.of("auto.commit.enable", "false"), "stale");
    assertThat(calls.generation("g-stale")).isEqualTo(before + 1);
    String state = calls.groupState("g-stale");

    // a polled in the old generation and has not seen the rebalance.
    TestHttp.assertError(calls.commit(http, a, polled), 409, 40903);
    TestHttp.assertError(http.post(a + "/offsets", TestHttp.V2, ""), 409, 40903);
    assertThat(calls.groupState("g-stale")).isEqualTo(state);

    // Once it has seen its new assignment, it may commit what it still owns, in this generation
    // only.
    var kept = calls.assignment(http, a);
    assertThat(kept).hasSize(1);
    List<Consumed> ownedNow = polled.stream()
        .filter(c -> c.partition() == kept.getFirst().partition())
        .toList();
    List<Consumed> taken = polled.stream()
        .filter(c -> c.partition() != kept.getFirst().partition())
        .toList();
    TestHttp.assertError(
        http.post(a + "/offsets", TestHttp.V2, GroupCalls.commitBody(ownedNow, before)),
        409,
        40903);
    TestHttp.assertError(calls.commit(http, a, taken), 409, 40903);
    state = calls.groupState("g-stale");
    assertThat(calls.committed("g-stale", "stale", kept.getFirst().partition())).isEqualTo(-1);
    assertThat(http.post(a + "/offsets", TestHttp.V2, GroupCalls.commitBody(ownedNow, before + 1))
            .status())
        .isEqualTo(200);
    assertThat(calls.committed("g-stale", "stale", kept.getFirst().partition())).isEqualTo(3);
    assertThat(calls.groupState("g-stale")).isNotEqualTo(state);
  }

  @Test
  void commits_and_reads_from_an_expired_or_unknown_member_are_refused_and_change_nothing()
      throws SQLException {
    calls.filledTopic("expired", 1, "x", 3);
    // Until the lock is released no node reaps, so m stays in its table with its lease ended.
    try (Connection reaperLock = calls.holdReaperLock()) {
      String m = calls.joined(
          http,
          "g-expired",
          "m",
          Map.of("auto.commit.enable", "true", "session.timeout.ms", 500),
          "expired");
      List<Consumed> polled = calls.poll(http, m, 0);
      assertThat(polled).hasSize(3);
      GroupCalls.await(
          "the lease of m ended",
          Duration.ofSeconds(10),
          () -> broker.queryLong(
                  "select count(*) from consumer_instance where group_name = 'g-expired' and lease_expires_at < now()")
              == 1);
      String state = calls.groupState("g-expired");

      TestHttp.assertError(calls.commit(http, m, polled), 404, 40403);
      TestHttp.assertError(http.post(m + "/offsets", TestHttp.V2, ""), 404, 40403);
      TestHttp.assertError(
          http.get(m + "/records?timeout=0", "Accept", TestHttp.BINARY), 404, 40403);
      TestHttp.assertError(http.get(m + "/assignments"), 404, 40403);
      TestHttp.assertError(
          calls.commit(http, "/consumers/g-expired/instances/nobody", polled), 404, 40403);
      assertThat(calls.groupState("g-expired"))
          .as("not renewed, not committed, not reaped")
          .isEqualTo(state);
      assertThat(calls.committed("g-expired", "expired", 0)).isEqualTo(-1);
    }
  }

  @Test
  void a_commit_naming_a_partition_several_times_stores_the_last_entry_for_it() {
    calls.filledTopic("repeated", 2, "r", 5);
    String m =
        calls.joined(http, "g-repeated", "m", Map.of("auto.commit.enable", "false"), "repeated");
    assertThat(calls.poll(http, m, 0)).hasSize(10);

    // One entry per record read, as a client listing what it consumed sends: the last one wins.
    String body = TestHttp.json(Map.of(
        "offsets",
        List.of(
            Map.of("topic", "repeated", "partition", 0, "offset", 0, "metadata", "first"),
            Map.of("topic", "repeated", "partition", 1, "offset", 4, "metadata", "one"),
            Map.of("topic", "repeated", "partition", 0, "offset", 3, "metadata", "last"),
            Map.of("topic", "repeated", "partition", 0, "offset", 2, "metadata", "really last"))));
    var r = http.post(m + "/offsets", TestHttp.V2, body);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    var read = http.method("GET", m + "/offsets", TestHttp.V2, partitions("repeated", 0, 1));
    assertThat(read.json().toString())
        .isEqualTo("{\"offsets\":["
            + "{\"topic\":\"repeated\",\"partition\":0,\"offset\":3,\"metadata\":\"really last\"},"
            + "{\"topic\":\"repeated\",\"partition\":1,\"offset\":5,\"metadata\":\"one\"}]}");
  }
}
