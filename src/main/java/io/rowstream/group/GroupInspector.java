package io.rowstream.group;

import io.rowstream.db.Transactions;
import io.rowstream.log.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Read-only views of groups: for v3 inspection, and Kafka's ListGroups and DescribeGroups
 * ({@link #groups(Collection, Collection)}, {@link #describe}). Members and lags are read from the operator views
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

  /**
   * The groups in one of {@code states} and of one of {@code types} (Kafka's names, compared
   * ignoring case; an empty filter lets every group pass, a name that is no state or type none),
   * by name: ListGroups' filters, as Kafka's group coordinator applies them.
   */
  public List<GroupRow> groups(Collection<String> states, Collection<String> types) {
    return groups().stream()
        .filter(g -> states.isEmpty() || states.stream().anyMatch(g.kafkaState()::named))
        .filter(g -> types.isEmpty() || types.stream().anyMatch(g.type()::named))
        .toList();
  }

  /**
   * A member as Kafka's DescribeGroups shows it: a live subscribed consumer instance.
   *
   * @param groupInstanceId its static member id; null (HTTP instances are not static members)
   * @param clientId the client's name: an HTTP instance's id
   * @param clientHost the address the member joined from; {@code *} when not known (an HTTP
   *     instance created with authentication off)
   * @param topics the topics it subscribes to: those named, or for a pattern those it is assigned
   * @param assignment the partitions the group gave it, by topic and partition
   * @param generation the last generation it saw; -1 before it saw one
   * @param stored the protocol bytes the member itself sent and was sent, for a member of a
   *     classic group; null for a server-assigned member, whose bytes a door encodes from the
   *     fields above
   */
  public record MemberDescription(
      String memberId,
      String groupInstanceId,
      String clientId,
      String clientHost,
      List<String> topics,
      List<TopicPartition> assignment,
      int generation,
      StoredProtocol stored) {}

  /**
   * A classic member's own bytes: the metadata of its JoinGroup for the group's protocol and the
   * assignment its leader gave it in SyncGroup, returned as they were stored.
   */
  public record StoredProtocol(byte[] metadata, byte[] assignment) {}

  /** A group and its live subscribed members, by instance id. */
  public record GroupDescription(GroupRow group, List<MemberDescription> members) {}

  /**
   * The group and its members, read under the group row's share lock so that no rebalance falls
   * between them; empty when the group does not exist. Every topic is shown, as Kafka's
   * DescribeGroups shows a member's subscription and assignment whole.
   */
  public Optional<GroupDescription> describe(String name) {
    return transactions.result(tx -> new GroupStore(tx).lockForShare(name).map(row -> {
      if (row.type() == GroupType.CLASSIC) {
        return new GroupDescription(row, classicMembers(new ClassicMemberStore(tx), row));
      }
      List<MemberDescription> described = new ArrayList<>();
      for (SubscribedMembers.Member live : SubscribedMembers.of(new MemberStore(tx), name)) {
        GroupMember m = live.member();
        described.add(new MemberDescription(
            m.memberId(),
            null,
            m.instanceId(),
            m.owner().host(),
            live.topics(),
            live.assignment(),
            m.seenGeneration() == null ? -1 : m.seenGeneration(),
            null));
      }
      return new GroupDescription(row, described);
    }));
  }

  /**
   * A classic group's live members with the bytes they sent and were sent: the metadata of their
   * JoinGroup for the group's protocol, and what the leader assigned them (empty before it synced).
   */
  private static List<MemberDescription> classicMembers(ClassicMemberStore store, GroupRow row) {
    List<MemberDescription> described = new ArrayList<>();
    for (ClassicMember c : store.members(row.name())) {
      if (c.live()) {
        described.add(new MemberDescription(
            c.memberId(),
            c.groupInstanceId(),
            c.clientId(),
            c.clientHost(),
            List.of(),
            List.of(),
            row.generation(),
            new StoredProtocol(
                c.metadata(row.assignor()).orElse(new byte[0]),
                c.assignment() == null ? new byte[0] : c.assignment())));
      }
    }
    return described;
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
