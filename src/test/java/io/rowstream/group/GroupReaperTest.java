package io.rowstream.group;

import static org.assertj.core.api.Assertions.assertThat;

import io.rowstream.db.Database;
import io.rowstream.security.Permissions;
import io.rowstream.support.TestBroker;
import io.rowstream.support.TestHttp;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The reaper (passes at most 1 s apart, the default): a member that stops calling loses its
 * partitions to the survivors as soon as its lease ends, not up to an interval later, and passes
 * run on one node at a time.
 */
class GroupReaperTest {
  @RegisterExtension
  static final GroupCalls calls = GroupCalls.perClass("group_reaper", 1_000);

  final TestBroker broker = calls.broker();
  final TestHttp http = broker.http();
  final ExecutorService threads = calls.threads();

  /** Keeps a member's lease alive with short reads until {@code running} is cleared. */
  private CompletableFuture<Void> keepPolling(String member, AtomicBoolean running) {
    return CompletableFuture.runAsync(
        () -> {
          while (running.get()) {
            var read = http.get(member + "/records?timeout=200", "Accept", TestHttp.BINARY);
            // A rebalance during the read makes it return nothing (40903); the next read sees the
            // new assignment.
            assertThat(read.status() == 200 || read.errorCode() == 40903)
                .as(read.body())
                .isTrue();
          }
        },
        threads);
  }

  private long epochMs(String sql) {
    return broker.queryLong("select (extract(epoch from (" + sql + ")) * 1000)::bigint");
  }

  @Test
  void a_silent_members_partitions_move_to_the_survivors_as_soon_as_its_lease_ends()
      throws Exception {
    http.createTopic("crash", 6);
    Map<String, Object> config = Map.of("session.timeout.ms", 1500);
    String a = calls.joined(http, "g-crash", "a", config, "crash");
    String b = calls.joined(http, "g-crash", "b", config, "crash");
    String c = calls.joined(http, "g-crash", "c", config, "crash");
    assertThat(calls.assignment(http, c)).hasSize(2);
    // c's last call: its lease ends 1.5 s after it (database clock).
    long leaseEnd =
        epochMs("select lease_expires_at from consumer_instance where instance_id = 'c'");

    AtomicBoolean running = new AtomicBoolean(true);
    List<CompletableFuture<Void>> survivors =
        List.of(keepPolling(a, running), keepPolling(b, running));
    GroupCalls.await(
        "a and b own all six partitions",
        Duration.ofSeconds(15),
        () -> broker.queryLong(
                "select count(*) from consumer_assignment where group_name = 'g-crash' and instance_id in ('a', 'b')")
            == 6);
    running.set(false);
    CompletableFuture.allOf(survivors.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

    long rebalancedAt =
        epochMs("select rebalanced_at from consumer_group where group_name = 'g-crash'");
    assertThat(rebalancedAt).as("not before c's lease ended").isGreaterThanOrEqualTo(leaseEnd);
    assertThat(rebalancedAt - leaseEnd)
        .as("ms from c's lease end to the rebalance, with passes up to 1 s apart")
        .isLessThan(300);
    assertThat(calls.assignment(http, a)).hasSize(3);
    assertThat(calls.assignment(http, b)).hasSize(3);
    TestHttp.assertError(http.get(c + "/assignments"), 404, 40403);
  }

  @Test
  void a_node_holding_the_maintenance_lock_keeps_the_others_from_reaping() throws Exception {
    http.createTopic("locked", 1);
    String m = calls.joined(http, "g-locked", "m", Map.of("session.timeout.ms", 500), "locked");
    Database database = broker.node(0).database();
    String members = "select count(*) from consumer_instance where group_name = 'g-locked'";
    try (Connection lock = calls.holdReaperLock()) {
      GroupCalls.await(
          "m's lease ended",
          Duration.ofSeconds(10),
          () -> broker.queryLong(members + " and lease_expires_at < now()") == 1);

      assertThat(GroupReaper.pass(database, new PatternMatches(), Permissions.OPEN, true))
          .isFalse();
      assertThat(broker.queryLong(members))
          .as("no pass ran, here or in the background")
          .isEqualTo(1);
    }
    GroupCalls.await("m is reaped", Duration.ofSeconds(10), () -> broker.queryLong(members) == 0);
    TestHttp.assertError(http.get(m + "/assignments"), 404, 40403);
    assertThat(broker.queryText("select state from consumer_group where group_name = 'g-locked'"))
        .isEqualTo("EMPTY");
  }
}
