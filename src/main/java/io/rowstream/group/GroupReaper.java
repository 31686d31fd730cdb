package io.rowstream.group;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group maintenance, on every node, one node at a time: each pass takes a transaction-scoped
 * advisory lock ({@code pg_try_advisory_xact_lock}; another node holding it means this pass is
 * skipped), deletes the members whose lease ended and rebalances their groups, and rebalances
 * groups whose subscriptions now cover other partitions (a topic created that matches a pattern,
 * partitions added to a subscribed topic). The lock is gone when the transaction ends, also when
 * the node dies mid-pass.
 */
public final class GroupReaper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupReaper.class);
  /** The advisory lock key of group maintenance ("rsgroups" in ASCII). */
  static final long LOCK_KEY = 0x7273_6772_6f75_7073L;

  private final DSLContext dsl;
  private final ScheduledExecutorService timer;

  private GroupReaper(DSLContext dsl, ScheduledExecutorService timer) {
    this.dsl = dsl;
    this.timer = timer;
  }

  /** Starts passes every {@code interval}. */
  public static GroupReaper start(DSLContext dsl, Duration interval) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().daemon().name("group-reaper").factory());
    GroupReaper reaper = new GroupReaper(dsl, timer);
    timer.scheduleWithFixedDelay(reaper::passQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return reaper;
  }

  private void passQuietly() {
    try {
      pass(dsl);
    } catch (RuntimeException e) {
      LOG.warn("group maintenance pass failed error={}", e.getMessage());
    }
  }

  /** One pass; false when another node holds the lock. Returns after its transaction commits. */
  static boolean pass(DSLContext dsl) {
    return dsl.transactionResult(c -> {
      DSLContext tx = c.dsl();
      if (!tx.select(DSL.field("pg_try_advisory_xact_lock({0})", Boolean.class, LOCK_KEY)).fetchSingle().value1()) {
        return false;
      }
      MemberStore members = new MemberStore(tx);
      GroupStore groups = new GroupStore(tx);
      Set<String> names = new TreeSet<>(members.groupsWithExpiredMembers());
      names.addAll(members.groupsWithSubscriptions());
      for (String name : names) {
        groups.lockForUpdate(name).ifPresent(g -> {
          Rebalance rebalance = new Rebalance(tx, g);
          if (rebalance.needed()) {
            rebalance.run("lease expiry or subscribed partitions changed");
          }
        });
      }
      return true;
    });
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
