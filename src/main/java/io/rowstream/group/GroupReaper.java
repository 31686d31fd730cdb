package io.rowstream.group;

import io.rowstream.background.BackgroundLoop;
import io.rowstream.db.AdvisoryLock;
import io.rowstream.db.AdvisoryLocks;
import io.rowstream.db.Database;
import io.rowstream.db.LockedSession;
import io.rowstream.db.Notifications;
import io.rowstream.db.Transactions;
import io.rowstream.security.Permissions;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Group maintenance, on every node, one node at a time: each pass takes an advisory lock
 * ({@code pg_try_advisory_lock}; another node holding it means this pass is skipped), deletes
 * the members whose lease ended and rebalances their groups, and rebalances groups whose
 * subscriptions now cover other partitions (a topic created that matches a pattern, partitions
 * added to a subscribed topic, Read on a topic granted to or revoked from a member's owner). In a
 * classic group (Kafka's JoinGroup members, whose clients compute the assignment) a member whose
 * lease ended is removed and the group begins a rebalance its members join
 * ({@link ClassicRebalance}), instead of a server-side reassignment. PostgreSQL frees the lock when
 * the node's connection dies, so a node that dies mid-pass stops no one.
 */
public final class GroupReaper implements AutoCloseable {
  private static final AdvisoryLock LOCK = AdvisoryLocks.groupReaper();
  /** Shortest wait between two passes, so that a lease another node is busy reaping is not polled in a loop. */
  static final long MIN_DELAY_MS = 50;
  /** How long after a lease's end the pass aimed at it runs, so that it finds the lease ended on the database clock. */
  static final long AFTER_LEASE_END_MS = 5;

  private final Database database;
  private final Transactions transactions;
  private final PatternMatches patterns;
  private final Permissions permissions;
  private final long intervalMs;
  private final long floorMs;
  /** The topics as this node's last pass saw them (only the timer thread touches it); null before one. */
  private List<Topic> topicsAtLastPass;
  /** The ACLs as this node's last pass saw them ({@link Permissions#version}); null before one. */
  private Object aclsAtLastPass;

  private BackgroundLoop loop;

  private GroupReaper(
      Database database, PatternMatches patterns, Permissions permissions, Duration interval) {
    this.database = database;
    this.transactions = new Transactions(database);
    this.patterns = patterns;
    this.permissions = permissions;
    this.intervalMs = interval.toMillis();
    this.floorMs = Math.min(intervalMs, MIN_DELAY_MS);
  }

  /**
   * Starts passes at most {@code interval} apart, and sooner when a lease ends before then: after
   * each pass the next one is set for just after the earliest lease end (a renewal meanwhile only
   * makes that pass find nothing to do), so a silent member is reaped right after its lease, not
   * up to an interval later. {@code permissions} decide which topics a rebalance gives each member.
   */
  public static GroupReaper start(
      Database database, PatternMatches patterns, Permissions permissions, Duration interval) {
    GroupReaper reaper = new GroupReaper(database, patterns, permissions, interval);
    reaper.loop = BackgroundLoop.start(
        "group-reaper", Duration.ofMillis(reaper.floorMs), interval, reaper::passAndDelay);
    return reaper;
  }

  /** A pass; then the time until the next one (a pass that throws: the loop logs it and waits an interval). */
  private Duration passAndDelay() {
    List<Topic> topics = new TopicStore(transactions.autocommit()).list();
    Object acls = permissions.version();
    if (pass(
        database,
        patterns,
        permissions,
        !topics.equals(topicsAtLastPass) || !acls.equals(aclsAtLastPass))) {
      topicsAtLastPass = topics;
      aclsAtLastPass = acls;
    }
    return Duration.ofMillis(new MemberStore(transactions.autocommit())
        .untilNextLeaseEnd()
        .map(until -> Math.clamp(until.toMillis() + AFTER_LEASE_END_MS, floorMs, intervalMs))
        .orElse(intervalMs));
  }

  /**
   * One pass; false when another node holds the lock. The lock is a session advisory lock on one
   * pooled connection, released at the end of the pass (or by PostgreSQL when the connection
   * dies); each group is then handled in a transaction of its own on that connection, so a pass
   * never holds more than one group row (it waits for a join or commit holding one: those are
   * short, and skipping a busy group could starve its reaping). Returns after the last
   * transaction commits.
   *
   * <p>It rebalances the groups with a member whose lease ended and, with {@code topicsChanged},
   * also every group with subscriptions whose assignment no longer covers what they subscribe to.
   * Subscriptions only change through calls that rebalance at once; what else changes a group's
   * partitions is topics (created, given partitions) and the ACLs (which topics each member's
   * owner may Read), so a node whose last pass saw the same topics and ACLs skips that check: a
   * pass costs a few queries when nothing happened. Then the members' patterns are first run
   * over the new topics outside any transaction, so the group transactions find their verdicts
   * made.
   */
  static boolean pass(
      Database database, PatternMatches patterns, Permissions permissions, boolean topicsChanged) {
    return LockedSession.run(database, LOCK, session -> {
          MemberStore members = new MemberStore(session.autocommit());
          Set<String> names = new TreeSet<>(members.groupsWithExpiredMembers());
          List<String> classicChanged = new ArrayList<>();
          if (topicsChanged) {
            names.addAll(members.groupsWithSubscriptions());
            List<String> topics = new TopicStore(session.autocommit())
                .list().stream().map(Topic::name).toList();
            members.subscribedPatterns().forEach(pattern -> patterns.select(pattern, topics));
          }
          for (String name : names) {
            session.result(tx -> {
              GroupStore groups = new GroupStore(tx);
              groups.lockForUpdate(name).ifPresent(g -> {
                if (groups.classicState(name).classic()) {
                  if (new ClassicRebalance(tx).reapExpired(g)) {
                    classicChanged.add(name);
                  }
                  return;
                }
                Rebalance rebalance = new Rebalance(tx, g, patterns, permissions);
                if (rebalance.needed()) {
                  rebalance.run("lease expiry or subscribed partitions changed");
                }
              });
              return null;
            });
          }
          GroupWakeups.announce(new Notifications(database), classicChanged);
          return true;
        })
        .isPresent();
  }

  @Override
  public void close() {
    loop.close();
  }
}
