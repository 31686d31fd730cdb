package io.rowstream.group;

import io.rowstream.db.Tx;
import io.rowstream.log.TopicPartition;
import java.util.List;
import org.jooq.DSLContext;

/**
 * The queries of {@link GroupInspector} on the operator views {@code group_member_overview} and
 * {@code consumer_lag_overview}.
 */
final class GroupViewStore {
  private final DSLContext dsl;

  GroupViewStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** A live instance of a group and the partitions it holds, as {@code orders-3}. */
  record MemberRow(String instanceId, String memberId, String[] partitions) {}

  /** The group's instances whose lease runs, by instance id. */
  List<MemberRow> liveMembers(String group) {
    return dsl.resultQuery("""
            select instance_id, member_id, partitions from group_member_overview
            where "group" = ? and instance_id is not null and live order by instance_id""", group)
        .fetch(r -> new MemberRow(
            r.get(0, String.class), r.get(1, String.class), r.get(2, String[].class)));
  }

  /** The group's lag per committed partition, by topic and partition. */
  List<GroupInspector.LagView> lags(String group) {
    return dsl.resultQuery("""
            select topic, partition, committed_offset, log_end_offset, lag, member_id, instance_id
            from consumer_lag_overview where "group" = ? order by topic, partition""", group)
        .fetch(r -> new GroupInspector.LagView(
            new TopicPartition(r.get(0, String.class), r.get(1, Integer.class)),
            r.get(2, Long.class),
            r.get(3, Long.class),
            r.get(4, Long.class),
            r.get(5, String.class),
            r.get(6, String.class)));
  }
}
