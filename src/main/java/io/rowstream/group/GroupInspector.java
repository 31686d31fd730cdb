package io.rowstream.group;

import io.rowstream.db.Transactions;
import io.rowstream.log.TopicPartition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Read-only views of groups for v3 inspection. Members and lags are read from the operator views
 * {@code group_member_overview} and {@code consumer_lag_overview} ({@link GroupViewStore}), so
 * the HTTP API and psql always agree. A caller sees only the topics it may describe: the views take the caller's
 * {@code describable} test (each door passes its authorizer's decision), and a partition of a
 * topic it fails is left out, as if that topic did not exist.
 */
public final class GroupInspector {
  private final Transactions transactions;

  public GroupInspector(Transactions transactions) {
    this.transactions = transactions;
  }

  /** A member as v3 shows it. */
  public record MemberView(String instanceId, String memberId, List<TopicPartition> partitions) {}

  /** A partition's lag as v3 and {@code consumer_lag_overview} show it. */
  public record LagView(
      TopicPartition partition,
      long committedOffset,
      long logEndOffset,
      long lag,
      String memberId,
      String instanceId) {}

  /**
   * A group's lag summed up over the partitions of the topics the caller may describe: the one
   * lagging most (the first by topic and partition among equals; empty when the group committed
   * nothing there) and the total.
   */
  public record LagSummary(Optional<LagView> max, long totalLag) {}

  public List<GroupRow> groups() {
    return new GroupStore(transactions.autocommit()).list();
  }

  public Optional<GroupRow> group(String name) {
    return new GroupStore(transactions.autocommit()).find(name);
  }

  /**
   * The group's instances whose lease runs, by instance id, with the partitions each holds of the
   * topics the caller may describe.
   */
  public List<MemberView> members(String group, Predicate<String> describable) {
    return new GroupViewStore(transactions.autocommit())
        .liveMembers(group).stream()
            .map(m -> new MemberView(
                m.instanceId(), m.memberId(), partitions(m.partitions(), describable)))
            .toList();
  }

  /** The group's lag per committed partition of the topics the caller may describe, by topic and partition. */
  public List<LagView> lags(String group, Predicate<String> describable) {
    return new GroupViewStore(transactions.autocommit())
        .lags(group).stream()
            .filter(l -> describable.test(l.partition().topic()))
            .toList();
  }

  /** The group's lag summary over the topics the caller may describe (see {@link #lags}). */
  public LagSummary lagSummary(String group, Predicate<String> describable) {
    List<LagView> lags = lags(group, describable);
    return new LagSummary(
        lags.stream().max(Comparator.comparingLong(LagView::lag)),
        lags.stream().mapToLong(LagView::lag).sum());
  }

  /** {@code orders-3} back to topic and partition (topic names may hold '-'), if the topic is describable. */
  private static List<TopicPartition> partitions(String[] names, Predicate<String> describable) {
    List<TopicPartition> out = new ArrayList<>();
    for (String name : names == null ? new String[0] : names) {
      int dash = name.lastIndexOf('-');
      String topic = name.substring(0, dash);
      if (describable.test(topic)) {
        out.add(new TopicPartition(topic, Integer.parseInt(name.substring(dash + 1))));
      }
    }
    return out;
  }
}
