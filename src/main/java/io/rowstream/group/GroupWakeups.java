package io.rowstream.group;

import io.rowstream.db.NotificationListener;
import io.rowstream.db.Notifications;
import io.rowstream.error.BrokerException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the classic group calls that wait on this node (a JoinGroup at the barrier, a follower's
 * SyncGroup) when a group's rows changed on any node: the node that changed them sends the group's
 * name with {@code NOTIFY} after its transaction committed, every node listens. A hint only: the
 * waiters read the rows, and re-read them on a short timer as well, so a lost notification costs
 * time, never correctness.
 */
public final class GroupWakeups implements AutoCloseable {
  static final String CHANNEL = "rowstream_group";
  /** PostgreSQL refuses payloads of 8000 bytes or more; a longer name relies on the timer. */
  private static final int MAX_PAYLOAD = 7900;

  private static final Logger LOG = LoggerFactory.getLogger(GroupWakeups.class);

  private final Notifications notifications;
  private final ConcurrentHashMap<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();
  private final NotificationListener listener;

  public GroupWakeups(Notifications notifications) {
    this.notifications = notifications;
    this.listener =
        notifications.listen(CHANNEL, "group-wakeups", new NotificationListener.Handler() {
          @Override
          public void listening() {
            waiters.values().forEach(set -> set.forEach(Waiter::wake));
          }

          @Override
          public void received(String payload) {
            Set<Waiter> set = waiters.get(payload);
            if (set != null) {
              set.forEach(Waiter::wake);
            }
          }

          @Override
          public void lost() {}
        });
  }

  /** Tells every node that these groups' rows changed (after the change committed). */
  void changed(Collection<String> groups) {
    announce(notifications, groups);
  }

  /** As {@link #changed}, for a caller without a listener of its own (the reaper). */
  static void announce(Notifications notifications, Collection<String> groups) {
    List<String> payloads = groups.stream()
        .filter(g -> g.getBytes(StandardCharsets.UTF_8).length < MAX_PAYLOAD)
        .toList();
    if (payloads.isEmpty()) {
      return;
    }
    try {
      notifications.send(CHANNEL, payloads);
    } catch (BrokerException e) {
      LOG.warn("could not notify other nodes of group changes error={}", e.getMessage());
    }
  }

  /** Registers interest in a group: register before reading its rows, then wait. */
  Waiter register(String group) {
    Waiter waiter = new Waiter(group);
    waiters.computeIfAbsent(group, k -> ConcurrentHashMap.newKeySet()).add(waiter);
    return waiter;
  }

  @Override
  public void close() {
    listener.close();
    waiters.values().forEach(set -> set.forEach(Waiter::wake));
  }

  /** One waiting call's registration; close it when done. */
  final class Waiter implements AutoCloseable {
    private final String group;
    private final CountDownLatch latch = new CountDownLatch(1);

    private Waiter(String group) {
      this.group = group;
    }

    private void wake() {
      latch.countDown();
    }

    /** Waits until woken or the time passes. */
    void await(Duration timeout) {
      try {
        latch.await(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      waiters.computeIfPresent(group, (k, set) -> {
        set.remove(this);
        return set.isEmpty() ? null : set;
      });
    }
  }
}
