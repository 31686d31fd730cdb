package io.rowstream.group;

import io.rowstream.db.Transactions;
import io.rowstream.db.Tx;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.PartitionKey;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.security.Permissions;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * KIP-848's ConsumerGroupHeartbeat on rows: a Kafka client with {@code group.protocol=consumer} is
 * a {@code consumer_instance} (door {@code kafka}) of a server-assigned group, beside HTTP
 * instances. Each heartbeat is one transaction holding the group row {@code FOR UPDATE}: it reaps
 * ended leases, joins, leaves or renews the member, rebalances when the membership or a
 * subscription changed (the new assignment becomes the group's target), releases what the member
 * no longer lists as owned and hands free target partitions to their members ({@link
 * Rebalance#settle}). No state lives in memory, so any node answers any heartbeat.
 *
 * <p>Member epochs as Kafka's: 0 joins, -1 leaves, -2 leaves as a static member that will come back
 * (its row, subscription and partitions wait for its instance id until the session ends); any other
 * epoch must be the member's, else FENCED_MEMBER_EPOCH. A member's epoch is the group generation
 * whose target it reached: while it must still give partitions up, it keeps its epoch and is told
 * its target minus what it must give up (the client revokes, then lists what it owns); once it owns
 * nothing outside its target it moves to the current generation and is told what it owns, which
 * grows as other members release its target partitions.
 */
public final class ConsumerGroupHeartbeats {
  public static final int JOIN = 0;
  public static final int LEAVE = -1;
  public static final int STATIC_LEAVE = -2;

  /** Partitions of one topic the client lists as owned, by Kafka topic id. */
  public record OwnedTopic(UUID topicId, List<Integer> partitions) {}

  /**
   * One heartbeat. Null fields did not change since the member's last heartbeat.
   *
   * @param memberIdFromClient whether the client must generate its member id (v1+)
   */
  public record Call(
      String group,
      String memberId,
      boolean memberIdFromClient,
      int memberEpoch,
      String instanceId,
      int rebalanceTimeoutMs,
      List<String> topicNames,
      String topicRegex,
      String serverAssignor,
      List<OwnedTopic> owned,
      String clientId) {}

  /** Partitions of one topic the member may use now. */
  public record AssignedTopic(UUID topicId, String topic, List<Integer> partitions) {}

  /** The answer: the member's id and epoch, when to heartbeat next, and what it may use now (null on leave). */
  public record Answer(
      String memberId, int memberEpoch, int heartbeatIntervalMs, List<AssignedTopic> assignment) {}

  private final Transactions transactions;
  private final PatternMatches patterns;
  private final Permissions permissions;
  private final HeartbeatSettings settings;

  public ConsumerGroupHeartbeats(
      Transactions transactions,
      PatternMatches patterns,
      Permissions permissions,
      HeartbeatSettings settings) {
    this.transactions = transactions;
    this.patterns = patterns;
    this.permissions = permissions;
    this.settings = settings;
  }

  /**
   * Answers a heartbeat, or refuses it: INVALID_REQUEST for a malformed one, GROUP_AUTHORIZATION_FAILED
   * without READ on the group, TOPIC_AUTHORIZATION_FAILED for a named topic the caller may not
   * DESCRIBE (Kafka's check), UNSUPPORTED_ASSIGNOR, INVALID_REGULAR_EXPRESSION, UNKNOWN_MEMBER_ID,
   * FENCED_MEMBER_EPOCH, UNRELEASED_INSTANCE_ID, INCONSISTENT_GROUP_PROTOCOL (a classic group with
   * live members), GROUP_MAX_SIZE_REACHED. A refusal writes nothing.
   */
  public Answer heartbeat(Caller caller, Call request) {
    Call call = request;
    if (!call.memberIdFromClient()
        && call.memberEpoch() == JOIN
        && (call.memberId() == null || call.memberId().isEmpty())) {
      call = withMemberId(call, UUID.randomUUID().toString()); // v0: the coordinator names it
    }
    HeartbeatChecks.validate(call);
    caller.requireGroupRead(call.group());
    if (call.topicNames() != null) {
      call.topicNames()
          .forEach(t -> caller.require(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, t));
    }
    if (call.serverAssignor() != null && Assignors.server(call.serverAssignor()).isEmpty()) {
      throw new BrokerException(
          BrokerError.UNSUPPORTED_ASSIGNOR,
          "Server assignor '" + call.serverAssignor() + "' is not one of " + Assignors.SERVER
              + ".");
    }
    Subscription subscription = HeartbeatChecks.subscription(call);
    if (subscription != null && subscription.byPattern()) {
      TopicPattern.compile(subscription.pattern());
      patterns.select(
          subscription.pattern(),
          new TopicStore(transactions.autocommit())
              .list().stream().map(Topic::name).toList());
    }
    Call checked = call;
    return transactions.result(tx -> new Beat(tx, caller, checked, subscription).run());
  }

  private static Call withMemberId(Call c, String memberId) {
    return new Call(
        c.group(),
        memberId,
        c.memberIdFromClient(),
        c.memberEpoch(),
        c.instanceId(),
        c.rebalanceTimeoutMs(),
        c.topicNames(),
        c.topicRegex(),
        c.serverAssignor(),
        c.owned(),
        c.clientId());
  }

  /** One heartbeat's transaction. */
  private final class Beat {
    private final Tx tx;
    private final Caller caller;
    private final Call call;
    private final Subscription subscription;
    private final GroupStore groups;
    private final MemberStore members;
    private final InstanceStore instances;
    private final AssignmentStore assignments;
    private boolean rebalance;
    private String reason;

    Beat(Tx tx, Caller caller, Call call, Subscription subscription) {
      this.tx = tx;
      this.caller = caller;
      this.call = call;
      this.subscription = subscription;
      this.groups = new GroupStore(tx);
      this.members = new MemberStore(tx);
      this.instances = new InstanceStore(tx);
      this.assignments = new AssignmentStore(tx);
    }

    Answer run() {
      String group = call.group();
      if (call.memberEpoch() == JOIN) {
        groups.ensure(group);
      }
      GroupRow row = groups.lockForUpdate(group).orElseThrow(this::unknownMember);
      if (new Rebalance(tx, row, patterns, permissions).reapExpired()) {
        rebalance("lease expiry");
      }
      GroupMember member = switch (call.memberEpoch()) {
        case JOIN -> join(row);
        case LEAVE, STATIC_LEAVE -> {
          leave(row);
          yield null;
        }
        default -> renew();
      };
      if (member == null) {
        return new Answer(
            call.memberId(), call.memberEpoch(), settings.heartbeatIntervalMs(), null);
      }
      String id = member.instanceId();
      if (subscription != null && !subscription.equals(member.subscription())) {
        instances.setSubscription(group, id, subscription);
        rebalance("subscription of " + call.memberId());
      }
      String assignor = call.serverAssignor() != null ? call.serverAssignor() : member.strategy();
      if (!assignor.equals(member.strategy())) {
        instances.setStrategy(group, id, assignor);
      }
      boolean alone =
          members.subscribed(group).stream().allMatch(m -> m.instanceId().equals(id));
      if (alone && !row.assignor().equals(assignor)) {
        groups.setAssignor(group, assignor); // the first member chooses, as over HTTP
        rebalance("assignor " + assignor);
      }
      if (call.owned() != null && call.memberEpoch() > 0) {
        Map<UUID, List<Integer>> owned = new LinkedHashMap<>();
        call.owned().forEach(t -> owned.put(t.topicId(), t.partitions()));
        assignments.release(group, id, members.keysByTopicUuid(owned));
      }
      GroupRow locked = groups.lockForUpdate(group).orElseThrow();
      int generation = rebalance
          ? new Rebalance(tx, locked, patterns, permissions).run(reason)
          : locked.generation();
      if (!rebalance) {
        Rebalance.settle(tx, group, generation);
      }
      return answer(member, generation);
    }

    private void rebalance(String why) {
      rebalance = true;
      reason = reason == null ? why : reason;
    }

    /** Epoch 0: a new member, a member joining again, or a static member's new incarnation. */
    private GroupMember join(GroupRow row) {
      String group = call.group();
      if (row.type() == GroupType.CLASSIC) {
        if (!members.live(group).isEmpty()) {
          throw new BrokerException(
              BrokerError.INCONSISTENT_GROUP_PROTOCOL,
              "Group '" + group + "' is a classic group with live members: a KIP-848 member"
                  + " (group.protocol=consumer) cannot join it.");
        }
        groups.setGroupProtocol(group, GroupStore.SERVER_ASSIGNED);
      }
      String instanceId = call.instanceId() != null ? call.instanceId() : call.memberId();
      InstanceStore.KafkaMemberRow newRow = new InstanceStore.KafkaMemberRow(
          group,
          instanceId,
          call.memberId(),
          call.clientId(),
          caller.principal().toString(),
          caller.host(),
          settings.sessionTimeoutMs(),
          call.rebalanceTimeoutMs(),
          call.serverAssignor() != null ? call.serverAssignor() : Assignors.UNIFORM);
      var existing = members.lockByInstanceId(group, instanceId);
      if (existing.isPresent()) {
        GroupMember held = existing.get();
        boolean sameMember = held.kafka() && held.memberId().equals(call.memberId());
        boolean released =
            held.kafka() && held.memberEpoch() != null && held.memberEpoch() == STATIC_LEAVE;
        if (!sameMember && !released) {
          throw new BrokerException(
              BrokerError.CONSUMER_INSTANCE_EXISTS,
              "Instance id '" + instanceId + "' of group '" + group
                  + "' is held by another live member.");
        }
        if (sameMember) {
          // Joining again (after it was fenced): it gave up everything it owned.
          assignments.dropAll(group, instanceId);
          instances.renew(group, instanceId);
          rebalance("rejoin of " + call.memberId());
        } else {
          // A static member's new process: it takes over the row and the target, owning nothing
          // outside it (the old process is gone).
          instances.takeOverKafkaMember(newRow);
          assignments.release(group, instanceId, List.of());
        }
      } else {
        if (members.live(group).size() >= settings.maxMembers()) {
          throw new BrokerException(
              BrokerError.QUOTA_EXCEEDED,
              "Group '" + group + "' has reached its maximum of " + settings.maxMembers()
                  + " members.");
        }
        instances.insertKafkaMember(newRow);
        rebalance("join of " + call.memberId());
      }
      return members.lockKafkaMember(group, call.memberId()).orElseThrow();
    }

    /** Epoch -1 or -2: the member leaves now, or (static, -2) keeps its place until its session ends. */
    private void leave(GroupRow row) {
      String group = call.group();
      GroupMember member =
          members.lockKafkaMember(group, call.memberId()).orElseThrow(this::unknownMember);
      boolean staticMember = !member.instanceId().equals(member.memberId());
      if (call.memberEpoch() == STATIC_LEAVE && staticMember) {
        instances.setMemberEpoch(group, member.instanceId(), STATIC_LEAVE);
        return;
      }
      instances.delete(group, member.instanceId());
      new Rebalance(tx, groups.lockForUpdate(group).orElseThrow(), patterns, permissions)
          .run("leave of " + call.memberId());
    }

    /** Any other epoch: the member's own, else it is fenced. */
    private GroupMember renew() {
      GroupMember member =
          members.lockKafkaMember(call.group(), call.memberId()).orElseThrow(this::unknownMember);
      if (member.memberEpoch() == null
          || (call.memberEpoch() != member.memberEpoch() && !oneBehind(member))) {
        throw new BrokerException(
            BrokerError.FENCED_MEMBER_EPOCH,
            "Member epoch " + call.memberEpoch() + " of member '" + call.memberId()
                + "' is not its current epoch " + member.memberEpoch() + ".");
      }
      instances.renew(call.group(), member.instanceId());
      return member;
    }

    /**
     * Kafka's leniency for a lost answer: a heartbeat at the member's previous epoch is accepted
     * when it lists what it owns and that is among what the member owns now.
     */
    private boolean oneBehind(GroupMember member) {
      if (call.owned() == null
          || member.previousMemberEpoch() == null
          || call.memberEpoch() != member.previousMemberEpoch()) {
        return false;
      }
      Map<UUID, List<Integer>> listed = new LinkedHashMap<>();
      call.owned().forEach(t -> listed.put(t.topicId(), t.partitions()));
      Set<PartitionKey> owns = new HashSet<>();
      members
          .groupAssignment(call.group())
          .getOrDefault(member.instanceId(), List.of())
          .forEach(o -> owns.add(o.key()));
      int count = listed.values().stream().mapToInt(List::size).sum();
      List<PartitionKey> keys = members.keysByTopicUuid(listed);
      return keys.size() == count && owns.containsAll(keys);
    }

    /** The member's epoch and what it may use now, its epoch moved on once it gave up what it must. */
    private Answer answer(GroupMember member, int generation) {
      String group = call.group();
      String id = member.instanceId();
      List<MemberStore.Owned> owned = members.groupAssignment(group).getOrDefault(id, List.of());
      Set<PartitionKey> target = new HashSet<>();
      members.targetAssignment(group).getOrDefault(id, List.of()).forEach(o -> target.add(o.key()));
      List<MemberStore.Owned> usable =
          owned.stream().filter(o -> target.contains(o.key())).toList();
      int epoch = member.memberEpoch() == null ? 0 : member.memberEpoch();
      if (usable.size() == owned.size() || epoch <= 0) {
        epoch = generation;
        instances.setMemberEpoch(group, id, epoch);
      }
      Map<UUID, AssignedTopic> byTopic = new LinkedHashMap<>();
      for (MemberStore.Owned o : usable) {
        byTopic
            .computeIfAbsent(
                o.topicUuid(), u -> new AssignedTopic(u, o.partition().topic(), new ArrayList<>()))
            .partitions()
            .add(o.partition().partition());
      }
      return new Answer(
          call.memberId(), epoch, settings.heartbeatIntervalMs(), List.copyOf(byTopic.values()));
    }

    private BrokerException unknownMember() {
      return new BrokerException(
          BrokerError.CONSUMER_INSTANCE_NOT_FOUND,
          "No live member '" + call.memberId() + "' in group '" + call.group() + "'.");
    }
  }
}
