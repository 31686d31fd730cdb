package io.rowstream.group;

import io.rowstream.db.Transactions;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.TopicPartition;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A group's committed offsets by group name, not through a consumer instance: Kafka's OffsetCommit
 * and OffsetFetch as the Kafka door serves them, on the same {@code committed_offset} rows HTTP
 * commits write. A commit is validated as Kafka's classic group coordinator validates it
 * ({@code ClassicGroup.validateOffsetCommit}): without a member (generation -1, no member id) it is
 * accepted while the group has no live subscribed member (Kafka's EMPTY group: HTTP instances that
 * assigned partitions themselves are no group members, as a REST Proxy's are not); otherwise it must
 * name a live member by its Kafka member id ({@code consumer_instance.member_id}, the v3
 * consumer_id), else UNKNOWN_MEMBER_ID, and carry the generation that member has seen, else
 * ILLEGAL_GENERATION (the fencing of HTTP commits, {@link GroupCoordinator#fence}).
 *
 * <p>{@code rowstream.commit_offsets} ({@code sql/R__commit_functions.sql}) applies these rules,
 * and those of {@link ClassicGroups} and {@link GroupCoordinator#fence} it calls, again in SQL for
 * commits made inside an application's own transaction: a change to them here is a change there.
 */
public final class GroupOffsets {
  /**
   * A committed offset (the next to read) of a partition named by topic, with its committed leader
   * epoch (null when the commit carried none).
   */
  public record Committed(
      TopicPartition partition, long offset, String metadata, Integer leaderEpoch) {}

  private final Transactions transactions;

  public GroupOffsets(Transactions transactions) {
    this.transactions = transactions;
  }

  /**
   * Commits {@code commits} (next offsets to read) for the group, all or nothing, once the caller
   * may Read the group (GROUP_AUTHORIZATION_FAILED) and the commit passes the checks above.
   * In a classic group (Kafka clients that joined with JoinGroup) the member and generation are
   * checked as Kafka's classic coordinator checks them ({@link ClassicGroups}), static members by
   * their {@code groupInstanceId} (FENCED_INSTANCE_ID). In a server-assigned group a KIP-848
   * member (a Kafka member) is fenced by its member epoch (STALE_MEMBER_EPOCH), and {@code
   * groupInstanceId}, when given, must be that static member's.
   */
  public void commit(
      Caller caller,
      String group,
      String memberId,
      int generationId,
      String groupInstanceId,
      List<GroupOffset> commits) {
    caller.requireGroupRead(group);
    Map<PartitionKey, GroupOffset> lastPerPartition = new LinkedHashMap<>();
    commits.forEach(c -> lastPerPartition.put(c.key(), c)); // a partition named twice: its last
    transactions.result(tx -> {
      GroupStore groups = new GroupStore(tx);
      if (generationId < 0) {
        groups.ensure(group); // Kafka creates a "simple" group for a commit outside membership
      }
      GroupRow row = groups
          .lockForShare(group)
          .orElseThrow(() -> GroupErrors.illegalState("Group '" + group
              + "' does not exist, so generation " + generationId + " is not its generation."));
      MemberStore members = new MemberStore(tx);
      boolean empty = members.subscribed(group).isEmpty();
      Integer generation = null;
      if (groups.classicState(group).classic()) {
        generation = ClassicGroups.fenceCommit(tx, row, memberId, generationId, groupInstanceId);
      } else if (generationId < 0 && empty) {
        // accepted as Kafka accepts it for an empty group, whatever member is named
      } else if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
        GroupMember member = members
            .lockLiveByMemberId(group, memberId, caller)
            .filter(m ->
                groupInstanceId == null || (m.kafka() && m.instanceId().equals(groupInstanceId)))
            .orElseThrow(() -> unknownMember(group, memberId));
        generation = member.kafka()
            ? fenceMemberEpoch(row, member, generationId)
            : GroupCoordinator.fence(members, row, member, generationId);
      } else {
        throw new BrokerException(
            BrokerError.CONSUMER_INSTANCE_NOT_FOUND,
            "Group '" + group + "' has live members (generation " + row.generation()
                + "): a commit without member id and generation is accepted only while it has"
                + " none.");
      }
      new OffsetStore(tx).commit(group, List.copyOf(lastPerPartition.values()), generation);
      return null;
    });
  }

  /**
   * Deletes the group's committed offsets in {@code partitions} (by topic name) in one
   * transaction, but in topics a live member of the group subscribes to (Kafka's OffsetDelete);
   * returns those topics, whose offsets stay. A topic counts as subscribed when a live member names
   * it or, for a pattern subscription, holds a partition of it ({@link SubscribedMembers}). The caller needs Delete on the
   * group (GROUP_AUTHORIZATION_FAILED); GROUP_NOT_FOUND when the group does not exist. The group
   * row is held {@code FOR SHARE}, so no rebalance changes the subscriptions meanwhile.
   */
  public Set<String> delete(
      Caller caller, String group, Map<String, List<PartitionKey>> partitions) {
    caller.require(Acl.Operation.DELETE, Acl.ResourceType.GROUP, group);
    return transactions.result(tx -> {
      new GroupStore(tx).lockForShare(group).orElseThrow(() -> GroupErrors.groupNotFound(group));
      Set<String> subscribed = new HashSet<>();
      SubscribedMembers.of(new MemberStore(tx), group).forEach(m -> subscribed.addAll(m.topics()));
      Set<String> kept = new TreeSet<>();
      List<PartitionKey> deleted = new ArrayList<>();
      partitions.forEach((topic, keys) -> {
        if (subscribed.contains(topic)) {
          kept.add(topic);
        } else {
          deleted.addAll(keys);
        }
      });
      new OffsetStore(tx).delete(group, deleted);
      return kept;
    });
  }

  /**
   * A KIP-848 member commits under its current member epoch, else STALE_MEMBER_EPOCH (Kafka's
   * {@code ConsumerGroup.validateOffsetCommit}); the commit is recorded in the group's generation.
   */
  private static Integer fenceMemberEpoch(GroupRow group, GroupMember member, int memberEpoch) {
    if (member.memberEpoch() == null || member.memberEpoch() != memberEpoch) {
      throw new BrokerException(
          BrokerError.STALE_MEMBER_EPOCH,
          "Member epoch " + memberEpoch + " is not the current epoch " + member.memberEpoch()
              + " of member '" + member.memberId() + "' in group '" + group.name() + "'.");
    }
    return group.generation();
  }

  private static BrokerException unknownMember(String group, String memberId) {
    return new BrokerException(
        BrokerError.CONSUMER_INSTANCE_NOT_FOUND,
        "No live member '" + memberId + "' in group '" + group + "'.");
  }

  /**
   * The group's committed offsets among {@code keys} (partitions without a commit left out), once
   * the caller may Describe the group (GROUP_AUTHORIZATION_FAILED).
   */
  public List<GroupOffset> committed(Caller caller, String group, Collection<PartitionKey> keys) {
    caller.require(Acl.Operation.DESCRIBE, Acl.ResourceType.GROUP, group);
    return new OffsetStore(transactions.autocommit()).committed(group, keys);
  }

  /** Every committed offset of the group, by topic and partition; Describe on the group as above. */
  public List<Committed> committedAll(Caller caller, String group) {
    caller.require(Acl.Operation.DESCRIBE, Acl.ResourceType.GROUP, group);
    return new OffsetStore(transactions.autocommit()).all(group);
  }
}
