package io.rowstream.group;

import io.rowstream.db.Transactions;
import io.rowstream.db.Tx;
import io.rowstream.log.PartitionKey;
import io.rowstream.security.Caller;
import io.rowstream.security.Permissions;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicStore;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Kafka's group coordinator, on rows: joins, leaves and offset commits of consumer instances.
 * Every membership change runs in one short transaction holding the group row {@code FOR UPDATE}
 * and ends with a {@link Rebalance}; a commit holds it {@code FOR SHARE}, so it sees one
 * generation from its checks to its write. A refusal throws before anything is written, and the
 * transaction rolls back. Topic patterns are matched before a transaction opens ({@link PatternMatches}
 * keeps the verdicts), so that one holds the group row only for what is new since. Every call
 * names its {@link Caller}: an instance is found only by its owner or a super user (others get
 * 40403, as if it did not exist).
 */
public final class GroupCoordinator {
  private final Transactions transactions;
  private final PatternMatches patterns;
  private final Permissions permissions;

  /** {@code permissions} decide which topics a rebalance gives each member (those its owner may Read). */
  public GroupCoordinator(
      Transactions transactions, PatternMatches patterns, Permissions permissions) {
    this.transactions = transactions;
    this.patterns = patterns;
    this.permissions = permissions;
  }

  /** Creates the group's row if it has none. */
  public void ensureGroup(String group) {
    new GroupStore(transactions.autocommit()).ensure(group);
  }

  /**
   * Subscribes the instance (Kafka's {@code subscribe}) and rebalances its group. Refused with
   * 42204 when the pattern cannot be accepted ({@link TopicPattern#compile}), and with 40903 when
   * the instance assigned partitions itself, switches between topics and a pattern, or asks for
   * another assignor than the group's members use, or the group has live classic Kafka members
   * (INCONSISTENT_GROUP_PROTOCOL).
   */
  public void subscribe(Caller caller, String group, String id, Subscription subscription) {
    if (subscription.byPattern()) {
      // Refused (42204) before anything is locked; then matched over today's topics outside the
      // transaction, so that its rebalance finds the verdicts made.
      TopicPattern.compile(subscription.pattern());
      patterns.select(subscription.pattern(), topicNames());
    }
    locked(caller, group, id, true, l -> {
      GroupMember member = l.member();
      if (member.manuallyAssigned()) {
        throw GroupErrors.illegalState(
            "Subscription to topics, partitions and pattern are mutually exclusive: "
                + "the instance has assigned partitions itself (DELETE its subscription first).");
      }
      if (member.subscribed() && member.subscription().byPattern() != subscription.byPattern()) {
        throw GroupErrors.illegalState(
            "Subscription to topics, partitions and pattern are mutually exclusive: "
                + "the instance subscribed by "
                + (member.subscription().byPattern() ? "pattern" : "topics")
                + " (DELETE its subscription first).");
      }
      if (subscription.equals(member.subscription())) {
        return null;
      }
      GroupStore groupStore = new GroupStore(l.tx());
      if (groupStore.classicState(group).classic()) {
        if (new ClassicMemberStore(l.tx()).members(group).stream().anyMatch(ClassicMember::live)) {
          throw ClassicGroups.inconsistent("Group '" + group + "' has live Kafka members that"
              + " assign partitions themselves (group.protocol=classic); a consumer whose"
              + " partitions the server assigns cannot subscribe in it. Use another group, or"
              + " wait until they leave (Kafka INCONSISTENT_GROUP_PROTOCOL).");
        }
        groupStore.setGroupProtocol(group, GroupStore.SERVER_ASSIGNED);
      }
      InstanceStore instances = new InstanceStore(l.tx());
      MemberStore members = l.members();
      GroupRow row = l.group();
      if (members.subscribed(group).stream().allMatch(m -> m.instanceId().equals(id))) {
        new GroupStore(l.tx()).setAssignor(group, member.strategy());
        row = new GroupRow(
            row.name(),
            row.state(),
            row.generation(),
            row.protocolType(),
            member.strategy(),
            row.rebalancedAt(),
            row.type());
      } else if (!Assignors.sameAssignor(row.assignor(), member.strategy())) {
        throw GroupErrors.illegalState(
            "The group's members use the " + row.assignor() + " assignor; this instance asks for "
                + member.strategy() + " (Kafka INCONSISTENT_GROUP_PROTOCOL).");
      }
      instances.setSubscription(group, id, subscription);
      int generation = new Rebalance(l.tx(), row, patterns, permissions).run("join of " + id);
      instances.seen(group, id, generation);
      return null;
    });
  }

  /** The instance's subscription; null when it has none. */
  public Subscription subscription(Caller caller, String group, String id) {
    return locked(caller, group, id, false, l -> Optional.ofNullable(l.member().subscription()))
        .orElse(null);
  }

  /**
   * The topics a subscription covers now: its topics, or the existing topics its pattern matches
   * that {@code caller} may Read (sorted).
   */
  public List<String> topicsOf(Caller caller, Subscription subscription) {
    if (!subscription.byPattern()) {
      return subscription.topics();
    }
    return subscription.select(topicNames(), patterns).stream()
        .filter(caller::mayRead)
        .toList();
  }

  private Collection<String> topicNames() {
    return new TopicStore(transactions.autocommit())
        .list().stream().map(Topic::name).toList();
  }

  /**
   * Kafka's {@code unsubscribe}: with auto-commit its positions in {@code consumed} are committed,
   * then it holds no partition at all (subscribed or assigned), and its group rebalances if it was
   * subscribed.
   */
  public void unsubscribe(
      Caller caller, String group, String id, Collection<PartitionKey> consumed) {
    leave(caller, group, id, consumed, false);
  }

  /**
   * Kafka's {@code close}: commits its positions in {@code consumed} (with auto-commit), deletes
   * the instance, rebalances its group.
   */
  public void delete(Caller caller, String group, String id, Collection<PartitionKey> consumed) {
    leave(caller, group, id, consumed, true);
  }

  private void leave(
      Caller caller, String group, String id, Collection<PartitionKey> consumed, boolean delete) {
    locked(caller, group, id, true, l -> {
      GroupMember member = l.member();
      InstanceStore instances = new InstanceStore(l.tx());
      if (member.autoCommit()) {
        new OffsetStore(l.tx())
            .commitPositions(
                group, id, consumed, member.subscribed() ? l.group().generation() : null);
      }
      if (delete) {
        instances.delete(group, id);
      } else {
        instances.setSubscription(group, id, null);
      }
      if (member.subscribed()) {
        new Rebalance(l.tx(), l.group(), patterns, permissions)
            .run((delete ? "deletion of " : "unsubscription of ") + id);
      }
      return null;
    });
  }

  /**
   * Commits offsets for the instance, all or nothing: {@code commits} as given. Refused, writing nothing,
   * with 40403 when the instance is unknown or its lease ended, and with 40903 when it has not
   * seen the group's current generation, {@code generationId} is given and is not the current
   * one, a partition is not the instance's, or it is manually assigned while the group has
   * subscribed members (Kafka ILLEGAL_GENERATION). A partition named more than once gets its last
   * entry (as Kafka's {@code commitSync(Map)}, which a client listing what it consumed builds).
   */
  public void commit(
      Caller caller, String group, String id, List<GroupOffset> entries, Integer generationId) {
    Map<PartitionKey, GroupOffset> lastPerPartition = new LinkedHashMap<>();
    entries.forEach(c -> lastPerPartition.put(c.key(), c));
    List<GroupOffset> commits = List.copyOf(lastPerPartition.values());
    locked(caller, group, id, false, l -> {
      MemberStore members = l.members();
      GroupRow locked = l.group();
      Integer generation = fence(members, locked, l.member(), generationId);
      OffsetStore offsets = new OffsetStore(l.tx());
      List<PartitionKey> keys =
          commits.stream().map(GroupOffset::key).distinct().toList();
      if (members.held(group, id, keys).size() != keys.size()) {
        throw GroupErrors.illegalState("Consumer instance '" + id
            + "' may only commit offsets of partitions " + "it is assigned now (generation "
            + locked.generation() + "); fetch its assignment.");
      }
      offsets.commit(group, commits, generation);
      return null;
    });
  }

  /**
   * Commits the instance's positions (what it has consumed) in those of {@code partitions} it
   * still holds, forward only; refused as {@link #commit} when {@code generationId} is stale.
   */
  public void commitConsumed(
      Caller caller,
      String group,
      String id,
      Collection<PartitionKey> partitions,
      Integer generationId) {
    locked(caller, group, id, false, l -> {
      Integer generation = fence(l.members(), l.group(), l.member(), generationId);
      new OffsetStore(l.tx()).commitPositions(group, id, partitions, generation);
      return null;
    });
  }

  /** Auto-commit: commits the positions of those of {@code partitions} the instance holds, forward only. */
  public void autoCommit(
      Caller caller, String group, String id, Collection<PartitionKey> partitions) {
    locked(caller, group, id, false, l -> {
      new OffsetStore(l.tx())
          .commitPositions(
              group, id, partitions, l.member().subscribed() ? l.group().generation() : null);
      return null;
    });
  }

  /** The group's committed offsets among {@code keys}; 40403 when the instance is gone. */
  public List<GroupOffset> committed(
      Caller caller, String group, String id, List<PartitionKey> keys, Integer generationId) {
    return locked(caller, group, id, false, l -> {
      if (generationId != null) {
        fence(l.members(), l.group(), l.member(), generationId);
      }
      return new OffsetStore(l.tx()).committed(group, keys);
    });
  }

  /** The generation a commit is made in (null: outside group management), or a refusal. */
  static Integer fence(
      MemberStore members, GroupRow group, GroupMember member, Integer generationId) {
    if (!member.subscribed()) {
      if (!members.subscribed(group.name()).isEmpty()
          || members.hasLiveKafkaMembers(group.name())) {
        throw GroupErrors.illegalState("Consumer instance '" + member.instanceId()
            + "' is not a subscribed " + "member, and the group has subscribed members (generation "
            + group.generation() + ").");
      }
      if (generationId != null && generationId != group.generation()) {
        throw staleGeneration(group, generationId);
      }
      return null;
    }
    Integer seen = generationId != null ? generationId : member.seenGeneration();
    if (!Objects.equals(seen, group.generation())
        || !Objects.equals(member.seenGeneration(), group.generation())) {
      throw staleGeneration(group, seen == null ? -1 : seen);
    }
    return group.generation();
  }

  private static RuntimeException staleGeneration(GroupRow group, int generation) {
    return GroupErrors.illegalState(
        "Generation " + generation + " is not the current generation "
            + group.generation() + " of group '" + group.name()
            + "': the group rebalanced. Fetch the new "
            + "assignment (GET .../assignments or .../records), then commit again (Kafka ILLEGAL_GENERATION).");
  }

  /** A transaction's view once it holds the group row and the member's row. */
  private record Locked(Tx tx, GroupRow group, GroupMember member, MemberStore members) {}

  /**
   * Runs {@code work} in one transaction holding the group row ({@code FOR UPDATE} when
   * {@code exclusive}, else {@code FOR SHARE}) and the live member's row; 40403 when either is
   * missing or the member is not {@code caller}'s to act on.
   */
  private <T> T locked(
      Caller caller, String group, String id, boolean exclusive, Function<Locked, T> work) {
    return transactions.result(tx -> {
      GroupStore groups = new GroupStore(tx);
      GroupRow row = (exclusive ? groups.lockForUpdate(group) : groups.lockForShare(group))
          .orElseThrow(() -> GroupErrors.notFound(group, id));
      MemberStore members = new MemberStore(tx);
      GroupMember member =
          members.lockLive(group, id, caller).orElseThrow(() -> GroupErrors.notFound(group, id));
      return work.apply(new Locked(tx, row, member, members));
    });
  }
}
