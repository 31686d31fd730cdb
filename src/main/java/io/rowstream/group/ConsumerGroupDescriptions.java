package io.rowstream.group;

import io.rowstream.db.Transactions;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A server-assigned group as KIP-848's ConsumerGroupDescribe shows it: its state, epochs, assignor
 * and every live member, HTTP instances and Kafka members alike, with what each owns now and its
 * target. A classic group is no consumer group here, as in Kafka 4 (GROUP_ID_NOT_FOUND, so that the
 * Admin client describes it with DescribeGroups).
 */
public final class ConsumerGroupDescriptions {
  /** Partitions of one topic. */
  public record Partitions(UUID topicId, String topic, List<Integer> partitions) {}

  /**
   * One member. An HTTP instance's epoch is the generation it last saw, its client id its instance
   * name; {@code kafka} tells the two kinds apart.
   */
  public record Member(
      String memberId,
      String instanceId,
      int memberEpoch,
      String clientId,
      String clientHost,
      List<String> subscribedTopicNames,
      String subscribedTopicRegex,
      List<Partitions> assignment,
      List<Partitions> targetAssignment,
      boolean kafka) {}

  /**
   * The group. {@code state} is Kafka's name (Empty, Reconciling, Stable; Assigning never lasts
   * beyond the transaction that computes a target). The group epoch and the assignment epoch are
   * both the generation: a target is computed in the rebalance that bumps it.
   */
  public record Description(
      String group,
      String state,
      int groupEpoch,
      int assignmentEpoch,
      String assignor,
      List<Member> members) {}

  private final Transactions transactions;

  public ConsumerGroupDescriptions(Transactions transactions) {
    this.transactions = transactions;
  }

  /** The group; GROUP_AUTHORIZATION_FAILED without DESCRIBE on it, GROUP_ID_NOT_FOUND as above. */
  public Description describe(Caller caller, String group) {
    caller.require(Acl.Operation.DESCRIBE, Acl.ResourceType.GROUP, group);
    return transactions.result(tx -> {
      GroupStore groups = new GroupStore(tx);
      GroupRow row = groups.find(group).orElseThrow(() -> notFound(group, "does not exist"));
      if (row.type() != GroupType.CONSUMER) {
        throw notFound(group, "is not a consumer group");
      }
      MemberStore members = new MemberStore(tx);
      Map<String, List<MemberStore.Owned>> owned = members.groupAssignment(group);
      Map<String, List<MemberStore.Owned>> target = members.targetAssignment(group);
      List<Member> out = new ArrayList<>();
      for (GroupMember m : members.live(group)) {
        Subscription s = m.subscription();
        int epoch = m.kafka()
            ? (m.memberEpoch() == null ? 0 : m.memberEpoch())
            : (m.seenGeneration() == null ? 0 : m.seenGeneration());
        out.add(new Member(
            m.memberId(),
            m.kafka() && !m.instanceId().equals(m.memberId()) ? m.instanceId() : null,
            epoch,
            m.kafka() && m.clientId() != null ? m.clientId() : m.instanceId(),
            m.owner().host(),
            s == null || s.byPattern() ? List.of() : s.topics(),
            s == null ? null : s.pattern(),
            byTopic(owned.getOrDefault(m.instanceId(), List.of())),
            byTopic(target.getOrDefault(m.instanceId(), List.of())),
            m.kafka()));
      }
      return new Description(
          group, kafkaState(row.state()), row.generation(), row.generation(), row.assignor(), out);
    });
  }

  private static String kafkaState(String stored) {
    String lower = stored.toLowerCase(Locale.ROOT);
    return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
  }

  private static List<Partitions> byTopic(List<MemberStore.Owned> owned) {
    Map<UUID, Partitions> out = new LinkedHashMap<>();
    for (MemberStore.Owned o : owned) {
      out.computeIfAbsent(
              o.topicUuid(), u -> new Partitions(u, o.partition().topic(), new ArrayList<>()))
          .partitions()
          .add(o.partition().partition());
    }
    return List.copyOf(out.values());
  }

  private static BrokerException notFound(String group, String why) {
    return new BrokerException(BrokerError.GROUP_NOT_FOUND, "Group " + group + " " + why + ".");
  }
}
