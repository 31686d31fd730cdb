package io.rowstream.group;

import io.rowstream.db.Transactions;
import io.rowstream.db.Tx;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.security.Caller;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Kafka's classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) on the group rows,
 * so that any node coordinates any group and a node's death loses nothing: the members are
 * {@code consumer_instance} rows (door {@code kafka}) with a lease on the database clock, what the
 * protocol keeps of them is {@code classic_member}, the barrier is the group row's state and
 * deadline ({@link ClassicRebalance}). A call that must wait (a join at the barrier, a follower's
 * sync until the leader's) re-reads the rows when {@link GroupWakeups} signals the group, and on a
 * short timer; nothing lives only in a node's memory. Every change holds the group row
 * {@code FOR UPDATE}. Refusals are {@link BrokerException}s with Kafka's error: UNKNOWN_MEMBER_ID
 * ({@link BrokerError#CONSUMER_INSTANCE_NOT_FOUND}), ILLEGAL_GENERATION
 * ({@link BrokerError#ILLEGAL_CONSUMER_STATE}), REBALANCE_IN_PROGRESS
 * ({@link BrokerError#GROUP_REBALANCING}), FENCED_INSTANCE_ID ({@link BrokerError#FENCED_INSTANCE})
 * and INCONSISTENT_GROUP_PROTOCOL ({@link BrokerError#INCONSISTENT_GROUP_PROTOCOL}); each call needs
 * READ on the group (GROUP_AUTHORIZATION_FAILED).
 */
public final class ClassicGroups {
  /** How often a waiting call re-reads the rows when no notification woke it. */
  static final Duration RECHECK = Duration.ofMillis(250);

  private final Transactions transactions;
  private final GroupWakeups wakeups;
  private final SessionTimeoutBounds sessionTimeouts;

  public ClassicGroups(
      Transactions transactions, GroupWakeups wakeups, SessionTimeoutBounds sessionTimeouts) {
    this.transactions = transactions;
    this.wakeups = wakeups;
    this.sessionTimeouts = sessionTimeouts;
  }

  /** What a join's transaction decided: an answer now, or a wait at the barrier. */
  private record Admission(
      ClassicJoined answer, String instanceId, String memberId, int generation) {}

  /**
   * A JoinGroup: admits the member (a new member, a rejoin, a static member taking its instance
   * over), begins a rebalance when the group needs one, and waits at the barrier until the join
   * completes; the leader's answer lists every member with its metadata.
   */
  public ClassicJoined join(Caller caller, ClassicJoin join) {
    caller.requireGroupRead(join.group());
    sessionTimeouts.check(join.group(), join.sessionTimeoutMs());
    if (join.protocolType() == null
        || join.protocolType().isEmpty()
        || join.protocols().isEmpty()) {
      throw inconsistent("A JoinGroup needs a protocol type and at least one protocol.");
    }
    Admission admitted = transactions.result(tx -> admit(tx, caller, join));
    wakeups.changed(List.of(join.group()));
    if (admitted.answer() != null) {
      return admitted.answer();
    }
    return await(join.group(), tx -> {
      GroupStore groups = new GroupStore(tx);
      GroupRow row = groups
          .find(join.group())
          .orElseThrow(() -> unknownMember(join.group(), admitted.memberId()));
      ClassicMember me = current(tx, join.group(), admitted.instanceId(), admitted.memberId());
      if (row.generation() > admitted.generation()) {
        return Optional.of(answer(tx, row, me, false));
      }
      if (!row.state().equals("PREPARING_REBALANCE") || !barrierDown(tx, join.group())) {
        return Optional.empty();
      }
      Optional<GroupRow> locked = groups.lockForUpdate(join.group());
      if (locked.isPresent() && new ClassicRebalance(tx).completeIfReady(locked.get())) {
        wakeups.changed(List.of(join.group()));
        GroupRow done = groups.find(join.group()).orElseThrow();
        ClassicMember still = current(tx, join.group(), admitted.instanceId(), admitted.memberId());
        return Optional.of(answer(tx, done, still, false));
      }
      return Optional.empty();
    });
  }

  /** Whether the join barrier may come down: every live member rejoined, or the deadline passed. */
  private static boolean barrierDown(Tx tx, String group) {
    Long left = new GroupStore(tx).classicState(group).msUntilDeadline();
    return (left != null && left <= 0)
        || new ClassicMemberStore(tx)
            .members(group).stream().filter(ClassicMember::live).allMatch(ClassicMember::rejoined);
  }

  private Admission admit(Tx tx, Caller caller, ClassicJoin join) {
    String group = join.group();
    GroupStore groups = new GroupStore(tx);
    groups.ensure(group);
    GroupRow row = groups.lockForUpdate(group).orElseThrow();
    GroupStore.ClassicState state = groups.classicState(group);
    if (!state.classic()) {
      if (!new MemberStore(tx).subscribed(group).isEmpty()) {
        throw inconsistent(
            "Group '" + group + "' has live members whose partitions the server"
                + " assigns (HTTP consumers or group.protocol=consumer); a classic member cannot join it.");
      }
      groups.setGroupProtocol(group, GroupStore.CLASSIC);
    }
    ClassicMemberStore classic = new ClassicMemberStore(tx);
    List<ClassicMember> members = classic.members(group);
    List<ClassicMember> live = members.stream().filter(ClassicMember::live).toList();
    checkProtocols(group, live, join);
    InstanceStore instances = new InstanceStore(tx);
    ClassicRebalance rebalance = new ClassicRebalance(tx);
    String strategy = join.protocols().getFirst().name();
    int waitMs = join.rebalanceTimeoutMs();

    if (join.groupInstanceId() != null) {
      Optional<ClassicMember> holder =
          find(members, m -> join.groupInstanceId().equals(m.groupInstanceId()));
      if (!join.memberId().isEmpty()) {
        if (holder.isPresent() && !holder.get().memberId().equals(join.memberId())) {
          throw fenced(group, join.groupInstanceId(), join.memberId());
        }
        if (holder.isEmpty() || !holder.get().live()) {
          throw unknownMember(group, join.memberId());
        }
        return rejoin(tx, row, holder.get(), join);
      }
      String memberId = join.groupInstanceId() + "-" + UUID.randomUUID();
      if (holder.isEmpty() || !holder.get().live()) {
        holder.ifPresent(old -> instances.delete(group, old.instanceId()));
        instances.insertKafkaMember(
            group,
            join.groupInstanceId(),
            memberId,
            strategy,
            join.sessionTimeoutMs(),
            waitMs,
            caller);
        classic.joined(group, join.groupInstanceId(), true, join);
        rebalance.begin(
            row, join.groupInstanceId(), "static member " + join.groupInstanceId() + " joined");
        return new Admission(null, join.groupInstanceId(), memberId, row.generation());
      }
      // A static member comes back under a new member id: the old one is fenced from now on.
      ClassicMember old = holder.get();
      boolean wasLeader = old.memberId().equals(state.leaderMemberId());
      instances.rejoinKafkaMember(
          group, old.instanceId(), memberId, strategy, join.sessionTimeoutMs(), waitMs);
      classic.joined(group, old.instanceId(), true, join);
      if (wasLeader) {
        groups.setLeader(group, memberId);
      }
      if (row.state().equals("STABLE") && sameSelection(tx, row, join)) {
        instances.renewKafkaLeases(group, old.instanceId()); // no wait: a plain session lease
        ClassicMember me = current(tx, group, old.instanceId(), memberId);
        if (!wasLeader) {
          return new Admission(
              answer(tx, row, me, false), old.instanceId(), memberId, row.generation());
        }
        if (join.skipAssignmentKnown()) {
          return new Admission(
              answer(tx, row, me, true), old.instanceId(), memberId, row.generation());
        }
      }
      rebalance.begin(row, old.instanceId(), "static member " + old.instanceId() + " rejoined");
      return new Admission(null, old.instanceId(), memberId, row.generation());
    }

    if (join.memberId().isEmpty()) {
      String memberId =
          (join.clientId().isEmpty() ? "member" : join.clientId()) + "-" + UUID.randomUUID();
      if (join.memberIdRequired()) {
        return new Admission(
            ClassicJoined.memberIdRequired(memberId), null, memberId, row.generation());
      }
      return admitNew(tx, caller, row, join, memberId);
    }
    Optional<ClassicMember> member = find(members, m -> m.memberId().equals(join.memberId()));
    if (member.isEmpty()) {
      if (join.memberIdRequired()) {
        // the second join of a member that got its id with MEMBER_ID_REQUIRED
        return admitNew(tx, caller, row, join, join.memberId());
      }
      throw unknownMember(group, join.memberId());
    }
    if (!member.get().live()) {
      throw unknownMember(group, join.memberId());
    }
    return rejoin(tx, row, member.get(), join);
  }

  private Admission admitNew(
      Tx tx, Caller caller, GroupRow row, ClassicJoin join, String memberId) {
    new InstanceStore(tx)
        .insertKafkaMember(
            row.name(),
            memberId,
            memberId,
            join.protocols().getFirst().name(),
            join.sessionTimeoutMs(),
            join.rebalanceTimeoutMs(),
            caller);
    new ClassicMemberStore(tx).joined(row.name(), memberId, false, join);
    new ClassicRebalance(tx).begin(row, memberId, "member " + memberId + " joined");
    return new Admission(null, memberId, memberId, row.generation());
  }

  /** A known member joins again: an answer now when nothing changed, else the barrier. */
  private Admission rejoin(Tx tx, GroupRow row, ClassicMember member, ClassicJoin join) {
    String group = row.name();
    boolean unchanged = member.sameProtocols(join.protocolType(), join.protocols());
    new InstanceStore(tx)
        .rejoinKafkaMember(
            group,
            member.instanceId(),
            member.memberId(),
            join.protocols().getFirst().name(),
            join.sessionTimeoutMs(),
            join.rebalanceTimeoutMs());
    new ClassicMemberStore(tx).joined(group, member.instanceId(), member.staticMember(), join);
    GroupStore.ClassicState state = new GroupStore(tx).classicState(group);
    boolean leader = member.memberId().equals(state.leaderMemberId());
    boolean answerNow = switch (row.state()) {
      case "COMPLETING_REBALANCE" -> unchanged;
      case "STABLE" -> unchanged && !leader;
      default -> false;
    };
    if (answerNow) {
      new InstanceStore(tx).renewKafkaLeases(group, member.instanceId()); // no wait at the barrier
      ClassicMember me = current(tx, group, member.instanceId(), member.memberId());
      return new Admission(
          answer(tx, row, me, false), member.instanceId(), member.memberId(), row.generation());
    }
    new ClassicRebalance(tx)
        .begin(row, member.instanceId(), "member " + member.memberId() + " rejoined");
    return new Admission(null, member.instanceId(), member.memberId(), row.generation());
  }

  /** Whether the protocol the group would choose with this join is still the one it has. */
  private static boolean sameSelection(Tx tx, GroupRow row, ClassicJoin join) {
    List<ClassicMember> live = new ClassicMemberStore(tx)
        .members(row.name()).stream().filter(ClassicMember::live).toList();
    return ClassicRebalance.selectProtocol(live).map(row.assignor()::equals).orElse(false);
  }

  private static void checkProtocols(String group, List<ClassicMember> live, ClassicJoin join) {
    for (ClassicMember m : live) {
      if (m.groupInstanceId() != null && m.groupInstanceId().equals(join.groupInstanceId())) {
        continue; // it is being replaced
      }
      if (m.memberId().equals(join.memberId())) {
        continue;
      }
      if (!m.protocolType().equals(join.protocolType())) {
        throw inconsistent("Group '" + group + "' has members of protocol type '" + m.protocolType()
            + "', not '" + join.protocolType() + "'.");
      }
    }
    List<ClassicMember> others = live.stream()
        .filter(m -> !m.memberId().equals(join.memberId())
            && !(m.groupInstanceId() != null && m.groupInstanceId().equals(join.groupInstanceId())))
        .toList();
    for (ClassicProtocol p : join.protocols()) {
      if (others.stream().allMatch(m -> m.metadata(p.name()).isPresent())) {
        return;
      }
    }
    throw inconsistent("Group '" + group + "': no protocol of this member ("
        + join.protocols().stream().map(ClassicProtocol::name).toList()
        + ") is supported by every member.");
  }

  /** The join's answer from the rows: the leader gets every member with its metadata. */
  private static ClassicJoined answer(
      Tx tx, GroupRow row, ClassicMember me, boolean skipAssignment) {
    GroupStore.ClassicState state = new GroupStore(tx).classicState(row.name());
    String leader = state.leaderMemberId() == null ? "" : state.leaderMemberId();
    List<ClassicJoined.Member> members = new ArrayList<>();
    if (me.memberId().equals(leader)) {
      for (ClassicMember m : new ClassicMemberStore(tx).members(row.name())) {
        members.add(new ClassicJoined.Member(
            m.memberId(), m.groupInstanceId(), m.metadata(row.assignor()).orElse(new byte[0])));
      }
    }
    return new ClassicJoined(
        me.memberId(),
        false,
        row.generation(),
        me.protocolType(),
        row.assignor(),
        leader,
        skipAssignment,
        List.copyOf(members));
  }

  /** The member as it is now; UNKNOWN_MEMBER_ID when it was removed, FENCED when taken over. */
  private static ClassicMember current(Tx tx, String group, String instanceId, String memberId) {
    ClassicMember m = find(
            new ClassicMemberStore(tx).members(group), c -> c.instanceId().equals(instanceId))
        .orElseThrow(() -> unknownMember(group, memberId));
    if (!m.memberId().equals(memberId)) {
      throw m.staticMember() ? fenced(group, instanceId, memberId) : unknownMember(group, memberId);
    }
    return m;
  }

  /** SyncGroup's answer: the protocol and the member's assignment bytes. */
  public record Synced(String protocolType, String protocolName, byte[] assignment) {}

  /**
   * A SyncGroup: the leader's assignment stored (each member's bytes, and its partitions in
   * {@code consumer_assignment} when they decode as a consumer assignment) and the group STABLE; a
   * follower waits for it. {@code assignments} is by member id; {@code protocolType} and
   * {@code protocolName} are checked when given (SyncGroup v5+).
   */
  public Synced sync(
      Caller caller,
      String group,
      int generation,
      String memberId,
      String groupInstanceId,
      String protocolType,
      String protocolName,
      Map<String, byte[]> assignments) {
    caller.requireGroupRead(group);
    record Step(Synced answer, ClassicMember member) {}
    Step step = transactions.result(tx -> {
      GroupStore groups = new GroupStore(tx);
      GroupRow row = groups.lockForUpdate(group).orElseThrow(() -> unknownMember(group, memberId));
      ClassicMember member = validMember(tx, row, memberId, groupInstanceId, generation);
      if ((protocolType != null && !protocolType.equals(member.protocolType()))
          || (protocolName != null && !protocolName.equals(row.assignor()))) {
        throw inconsistent("Group '" + group + "' uses protocol " + member.protocolType() + "/"
            + row.assignor() + ".");
      }
      switch (row.state()) {
        case "PREPARING_REBALANCE" -> throw rebalancing(group);
        case "COMPLETING_REBALANCE" -> {
          new InstanceStore(tx).renewKafkaLeases(group, member.instanceId());
          if (!member.memberId().equals(groups.classicState(group).leaderMemberId())) {
            return new Step(null, member);
          }
          storeAssignment(tx, row, assignments);
          groups.setState(group, "STABLE");
          byte[] mine = assignments.getOrDefault(member.memberId(), new byte[0]);
          return new Step(new Synced(member.protocolType(), row.assignor(), mine), member);
        }
        case "STABLE" -> {
          return new Step(synced(row, member), member);
        }
        default -> throw unknownMember(group, memberId);
      }
    });
    wakeups.changed(List.of(group));
    if (step.answer() != null) {
      return step.answer();
    }
    long until = System.nanoTime()
        + Duration.ofMillis(step.member().rebalanceTimeoutMs()).toNanos();
    return await(group, tx -> {
      GroupRow row =
          new GroupStore(tx).find(group).orElseThrow(() -> unknownMember(group, memberId));
      ClassicMember me = current(tx, group, step.member().instanceId(), memberId);
      if (row.generation() != generation || row.state().equals("PREPARING_REBALANCE")) {
        throw rebalancing(group);
      }
      if (row.state().equals("STABLE")) {
        return Optional.of(synced(row, me));
      }
      if (System.nanoTime() > until) {
        throw rebalancing(group); // the leader never synced: the client joins again
      }
      new InstanceStore(tx).renewKafkaLeases(group, me.instanceId());
      return Optional.empty();
    });
  }

  private static Synced synced(GroupRow row, ClassicMember member) {
    return new Synced(
        member.protocolType(),
        row.assignor(),
        member.assignment() == null ? new byte[0] : member.assignment());
  }

  /** Stores the leader's bytes by member, and the partitions they name (consumer protocol only). */
  private static void storeAssignment(Tx tx, GroupRow row, Map<String, byte[]> byMemberId) {
    List<ClassicMember> members = new ClassicMemberStore(tx).members(row.name());
    Map<String, byte[]> byInstance = new HashMap<>();
    for (ClassicMember m : members) {
      byInstance.put(m.instanceId(), byMemberId.getOrDefault(m.memberId(), new byte[0]));
    }
    new ClassicMemberStore(tx).assign(row.name(), byInstance);
    boolean consumers = members.stream().allMatch(m -> m.protocolType().equals("consumer"));
    ClassicAssignments.owned(tx, byInstance, consumers)
        .ifPresent(owned ->
            new AssignmentStore(tx).replaceGroupAssignment(row.name(), owned, row.generation()));
  }

  /**
   * A Heartbeat: renews the member's lease; then refuses as Kafka does: REBALANCE_IN_PROGRESS while
   * the group prepares a rebalance (the member must rejoin), ILLEGAL_GENERATION for another
   * generation, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID.
   */
  public void heartbeat(
      Caller caller, String group, int generation, String memberId, String groupInstanceId) {
    caller.requireGroupRead(group);
    boolean rebalancing = transactions.result(tx -> {
      GroupRow row =
          new GroupStore(tx).lockForShare(group).orElseThrow(() -> unknownMember(group, memberId));
      ClassicMember member = validMember(tx, row, memberId, groupInstanceId, generation);
      if (row.state().equals("EMPTY")) {
        throw unknownMember(group, memberId);
      }
      new InstanceStore(tx).renewKafkaLeases(group, member.instanceId());
      return row.state().equals("PREPARING_REBALANCE");
    });
    if (rebalancing) {
      throw rebalancing(group);
    }
  }

  /** A member leaving, by member id or by group.instance.id (a static member). */
  public record Leaving(String memberId, String groupInstanceId) {}

  /**
   * A LeaveGroup: removes each member (a refusal per member: UNKNOWN_MEMBER_ID, or
   * FENCED_INSTANCE_ID when the instance id is held by another member id) and rebalances the group
   * once. Returns each member's refusal, null when it left.
   */
  public List<BrokerError> leave(Caller caller, String group, List<Leaving> leaving) {
    caller.requireGroupRead(group);
    List<BrokerError> outcomes = transactions.result(tx -> {
      Optional<GroupRow> row = new GroupStore(tx).lockForUpdate(group);
      List<BrokerError> out = new ArrayList<>();
      if (row.isEmpty() || !new GroupStore(tx).classicState(group).classic()) {
        leaving.forEach(l -> out.add(BrokerError.CONSUMER_INSTANCE_NOT_FOUND));
        return out;
      }
      List<ClassicMember> members = new ClassicMemberStore(tx).members(group);
      List<String> gone = new ArrayList<>();
      for (Leaving l : leaving) {
        Optional<ClassicMember> m = l.groupInstanceId() != null
            ? find(members, c -> l.groupInstanceId().equals(c.groupInstanceId()))
            : find(members, c -> c.memberId().equals(l.memberId()));
        if (m.isEmpty() || gone.contains(m.get().instanceId())) {
          out.add(BrokerError.CONSUMER_INSTANCE_NOT_FOUND);
        } else if (l.groupInstanceId() != null
            && l.memberId() != null
            && !l.memberId().isEmpty()
            && !l.memberId().equals(m.get().memberId())) {
          out.add(BrokerError.FENCED_INSTANCE);
        } else {
          new InstanceStore(tx).delete(group, m.get().instanceId());
          gone.add(m.get().instanceId());
          out.add(null);
        }
      }
      if (!gone.isEmpty()) {
        new ClassicRebalance(tx).membersGone(row.get(), "members left: " + gone);
      }
      return out;
    });
    wakeups.changed(List.of(group));
    return outcomes;
  }

  /**
   * The generation a commit into a classic group is made in, checked as Kafka's classic
   * coordinator checks it: without member and generation only while the group has no live member;
   * else the member must be known (UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID), the generation current
   * (ILLEGAL_GENERATION), and the group not awaiting its leader's assignment
   * (REBALANCE_IN_PROGRESS). Null: a commit outside the group's generations.
   */
  static Integer fenceCommit(
      Tx tx, GroupRow row, String memberId, int generationId, String groupInstanceId) {
    boolean empty =
        new ClassicMemberStore(tx).members(row.name()).stream().noneMatch(ClassicMember::live);
    if (generationId < 0 && empty) {
      return null;
    }
    if (generationId >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
      validMember(tx, row, memberId, groupInstanceId, generationId);
      if (row.state().equals("COMPLETING_REBALANCE")) {
        throw rebalancing(row.name());
      }
      return row.generation();
    }
    throw unknownMember(row.name(), memberId);
  }

  /** The live member named, in the generation named; else Kafka's refusal, in Kafka's order. */
  private static ClassicMember validMember(
      Tx tx, GroupRow row, String memberId, String groupInstanceId, int generation) {
    String group = row.name();
    List<ClassicMember> members = new ClassicMemberStore(tx).members(group);
    if (groupInstanceId != null) {
      Optional<ClassicMember> holder =
          find(members, m -> groupInstanceId.equals(m.groupInstanceId()));
      if (holder.isPresent() && !holder.get().memberId().equals(memberId)) {
        throw fenced(group, groupInstanceId, memberId);
      }
    }
    ClassicMember member = find(members, m -> m.memberId().equals(memberId) && m.live())
        .orElseThrow(() -> unknownMember(group, memberId));
    if (generation != row.generation()) {
      throw GroupErrors.illegalState("Generation " + generation + " is not the current generation "
          + row.generation() + " of group '" + group + "' (Kafka ILLEGAL_GENERATION).");
    }
    return member;
  }

  /**
   * Re-reads the rows until {@code attempt} answers: woken by {@link GroupWakeups}, or every
   * {@link #RECHECK}. Each attempt is one transaction.
   */
  private <T> T await(String group, Function<Tx, Optional<T>> attempt) {
    while (true) {
      try (GroupWakeups.Waiter waiter = wakeups.register(group)) {
        Optional<T> answer = transactions.result(attempt::apply);
        if (answer.isPresent()) {
          return answer.get();
        }
        waiter.await(RECHECK);
      }
      if (Thread.currentThread().isInterrupted()) {
        throw rebalancing(group);
      }
    }
  }

  private static <T> Optional<T> find(List<T> items, java.util.function.Predicate<T> which) {
    return items.stream().filter(which).findFirst();
  }

  private static BrokerException unknownMember(String group, String memberId) {
    return new BrokerException(
        BrokerError.CONSUMER_INSTANCE_NOT_FOUND,
        "No live member '" + memberId + "' in group '" + group + "'.");
  }

  private static BrokerException fenced(String group, String instanceId, String memberId) {
    return new BrokerException(
        BrokerError.FENCED_INSTANCE,
        "Member '" + memberId + "' of group '" + group + "' was fenced: another member took over"
            + " group.instance.id '" + instanceId + "'.");
  }

  private static BrokerException rebalancing(String group) {
    return new BrokerException(
        BrokerError.GROUP_REBALANCING, "Group '" + group + "' is rebalancing: join it again.");
  }

  static BrokerException inconsistent(String message) {
    return new BrokerException(BrokerError.INCONSISTENT_GROUP_PROTOCOL, message);
  }
}
