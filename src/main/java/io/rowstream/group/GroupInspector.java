package io.rowstream.group;

import io.rowstream.consumer.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/**
 * Read-only views of groups for v3 inspection. Members and lags are read from the operator views
 * {@code group_member_overview} and {@code consumer_lag_overview}, so the HTTP API and psql
 * always agree.
 */
public final class GroupInspector {
  private final DSLContext dsl;

  public GroupInspector(DSLContext dsl) {
    this.dsl = dsl;
  }

  /** A member as v3 shows it. */
  public record MemberView(String instanceId, String memberId, List<TopicPartition> partitions) {}

  /** A partition's lag as v3 and {@code consumer_lag_overview} show it. */
  public record LagView(TopicPartition partition, long committedOffset, long logEndOffset, long lag, String memberId,
      String instanceId) {}

  public List<GroupRow> groups() {
    return new GroupStore(dsl).list();
  }

  public Optional<GroupRow> group(String name) {
    return new GroupStore(dsl).find(name);
  }

  /** The group's instances whose lease runs, by instance id, with the partitions each holds. */
  public List<MemberView> members(String group) {
    return dsl.resultQuery("""
            select instance_id, member_id, partitions from group_member_overview
            where "group" = ? and instance_id is not null and live order by instance_id""", group)
        .fetch(r -> new MemberView(r.get(0, String.class), r.get(1, String.class), partitions(r.get(2, String[].class))));
  }

  /** The group's lag per committed partition, by topic and partition. */
  public List<LagView> lags(String group) {
    return dsl.resultQuery("""
            select topic, partition, committed_offset, log_end_offset, lag, member_id, instance_id
            from consumer_lag_overview where "group" = ? order by topic, partition""", group)
        .fetch(r -> new LagView(new TopicPartition(r.get(0, String.class), r.get(1, Integer.class)),
            r.get(2, Long.class), r.get(3, Long.class), r.get(4, Long.class), r.get(5, String.class),
            r.get(6, String.class)));
  }

  /** {@code orders-3} back to topic and partition (topic names may hold '-'). */
  private static List<TopicPartition> partitions(String[] names) {
    List<TopicPartition> out = new ArrayList<>();
    for (String name : names == null ? new String[0] : names) {
      int dash = name.lastIndexOf('-');
      out.add(new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1))));
    }
    return out;
  }
}
