package io.rowstream.group;

import io.rowstream.log.TopicPartition;
import java.util.List;
import java.util.Map;

/**
 * A group's live subscribed members with the partitions the group gave each, read in the caller's
 * transaction (which holds the group row, so that no rebalance falls between the two reads).
 */
final class SubscribedMembers {
  private SubscribedMembers() {}

  /** A live subscribed member and its assignment, by topic and partition. */
  record Member(GroupMember member, List<TopicPartition> assignment) {

    /** The topics it subscribes to: those it names, or for a pattern those it is assigned. */
    List<String> topics() {
      return member.subscription().byPattern()
          ? assignment.stream().map(TopicPartition::topic).distinct().toList()
          : member.subscription().topics();
    }
  }

  /** The group's live subscribed members, by instance id. */
  static List<Member> of(MemberStore members, String group) {
    Map<String, List<MemberStore.Owned>> owned = members.groupAssignment(group);
    return members.subscribed(group).stream()
        .map(m -> new Member(
            m,
            owned.getOrDefault(m.instanceId(), List.of()).stream()
                .map(MemberStore.Owned::partition)
                .toList()))
        .toList();
  }
}
