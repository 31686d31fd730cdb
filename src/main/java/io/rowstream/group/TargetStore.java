package io.rowstream.group;

import static io.rowstream.db.schema.Tables.CONSUMER_TARGET_ASSIGNMENT;

import io.rowstream.db.Tx;
import io.rowstream.log.PartitionKey;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * The one writer of {@code consumer_target_assignment}: what the group's assignor gave each member
 * in the last {@link Rebalance} (KIP-848's target assignment), replaced whole by each rebalance
 * under the group row's lock. Reads are {@link MemberStore#targetAssignment}'s.
 */
final class TargetStore {
  private final DSLContext dsl;

  TargetStore(Tx tx) {
    this.dsl = tx.dsl();
  }

  /** Makes {@code target} (partitions by instance id) the group's target of {@code generation}. */
  void replace(String group, Map<String, List<PartitionKey>> target, int generation) {
    var t = CONSUMER_TARGET_ASSIGNMENT;
    dsl.deleteFrom(t).where(t.GROUP_NAME.eq(group)).execute();
    var insert =
        dsl.insertInto(t, t.GROUP_NAME, t.INSTANCE_ID, t.TOPIC_ID, t.PARTITION_ID, t.GENERATION);
    boolean any = false;
    for (var member : target.entrySet()) {
      for (PartitionKey key : member.getValue()) {
        insert = insert.values(group, member.getKey(), key.topicId(), key.partition(), generation);
        any = true;
      }
    }
    if (any) {
      insert.execute();
    }
  }
}
