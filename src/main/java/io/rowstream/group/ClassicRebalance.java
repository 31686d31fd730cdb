package io.rowstream.group;

import io.rowstream.db.Tx;
import io.rowstream.logging.LogText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The join barrier of a classic group, inside the caller's transaction, which holds the group row
 * {@code FOR UPDATE}. A rebalance begins ({@code PREPARING_REBALANCE}) with a deadline on the
 * database clock, the largest rebalance timeout of the live members; it completes once every live
 * member has rejoined or the deadline has passed, whoever sees that first: members that did not
 * rejoin are removed, the generation is bumped, the protocol every member supports that most
 * members prefer is chosen, the leader kept if it rejoined (else the first member to have joined),
 * and the group waits for the leader's assignment ({@code COMPLETING_REBALANCE}), or is
 * {@code EMPTY} when no member is left.
 */
final class ClassicRebalance {
  private static final Logger LOG = LoggerFactory.getLogger(ClassicRebalance.class);

  private final Tx tx;
  private final GroupStore groups;
  private final ClassicMemberStore classic;
  private final InstanceStore instances;

  ClassicRebalance(Tx tx) {
    this.tx = tx;
    this.groups = new GroupStore(tx);
    this.classic = new ClassicMemberStore(tx);
    this.instances = new InstanceStore(tx);
  }

  /**
   * Begins a rebalance unless one is under way ({@code joining}, if any, has rejoined it already),
   * then completes it if every live member has rejoined.
   */
  void begin(GroupRow group, String joining, String reason) {
    if (!group.state().equals("PREPARING_REBALANCE")) {
      List<ClassicMember> members = classic.members(group.name());
      long timeout = members.stream()
          .filter(ClassicMember::live)
          .mapToLong(ClassicMember::rebalanceTimeoutMs)
          .max()
          .orElse(0);
      classic.clearRejoined(group.name());
      groups.prepareRebalance(group.name(), timeout);
      LOG.info(
          "classic group rebalancing group={} generation={} reason={}",
          LogText.of(group.name()),
          group.generation(),
          LogText.of(reason));
    }
    if (joining != null) {
      classic.markRejoined(group.name(), joining);
    }
    completeIfReady(group);
  }

  /**
   * Completes the rebalance under way if every live member has rejoined or its deadline has passed;
   * true when it did.
   */
  boolean completeIfReady(GroupRow locked) {
    GroupRow group = groups.find(locked.name()).orElseThrow();
    GroupStore.ClassicState state = groups.classicState(group.name());
    if (!group.state().equals("PREPARING_REBALANCE") || state.msUntilDeadline() == null) {
      return false;
    }
    List<ClassicMember> members = classic.members(group.name());
    boolean allRejoined =
        members.stream().filter(ClassicMember::live).allMatch(ClassicMember::rejoined);
    if (!allRejoined && state.msUntilDeadline() > 0) {
      return false;
    }
    complete(group, state, members);
    return true;
  }

  private void complete(
      GroupRow group, GroupStore.ClassicState state, List<ClassicMember> members) {
    List<ClassicMember> kept = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (ClassicMember m : members) {
      if (m.live() && m.rejoined()) {
        kept.add(m);
      } else {
        instances.delete(group.name(), m.instanceId());
        removed.add(m.instanceId());
      }
    }
    int generation = group.generation() + 1;
    classic.newGeneration(group.name());
    if (kept.isEmpty()) {
      groups.joinCompleted(group.name(), generation, null, null, null, "EMPTY");
      new AssignmentStore(tx).replaceGroupAssignment(group.name(), Map.of(), generation);
    } else {
      String protocol = selectProtocol(kept).orElseThrow();
      String leader = kept.stream()
          .map(ClassicMember::memberId)
          .filter(id -> id.equals(state.leaderMemberId()))
          .findFirst()
          .orElse(kept.getFirst().memberId());
      instances.renewKafkaLeases(group.name(), null);
      groups.joinCompleted(
          group.name(),
          generation,
          kept.getFirst().protocolType(),
          protocol,
          leader,
          "COMPLETING_REBALANCE");
    }
    LOG.info(
        "classic group joined group={} generation={} members={} removed={}",
        LogText.of(group.name()),
        generation,
        LogText.of(kept.stream().map(ClassicMember::memberId).toList()),
        LogText.of(removed));
  }

  /**
   * Kafka's protocol choice: among the protocols every member supports, each member votes for the
   * one it prefers most; the most votes win (a tie: the first member's preference). Empty when the
   * members share none.
   */
  static Optional<String> selectProtocol(List<ClassicMember> members) {
    Set<String> candidates = new TreeSet<>(
        members.getFirst().protocols().stream().map(ClassicProtocol::name).toList());
    members.forEach(m ->
        candidates.retainAll(m.protocols().stream().map(ClassicProtocol::name).toList()));
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Integer> votes = new LinkedHashMap<>();
    members.getFirst().protocols().stream()
        .map(ClassicProtocol::name)
        .filter(candidates::contains)
        .forEach(name -> votes.put(name, 0));
    for (ClassicMember m : members) {
      m.protocols().stream()
          .map(ClassicProtocol::name)
          .filter(candidates::contains)
          .findFirst()
          .ifPresent(name -> votes.merge(name, 1, Integer::sum));
    }
    String best = null;
    for (var e : votes.entrySet()) {
      if (best == null || e.getValue() > votes.get(best)) {
        best = e.getKey();
      }
    }
    return Optional.of(best);
  }

  /**
   * Deletes the group's instances whose lease ended (as a crash: nothing committed); when a
   * classic member was among them the group rebalances ({@link #membersGone}). True then.
   */
  boolean reapExpired(GroupRow group) {
    Set<String> members = new TreeSet<>();
    classic.members(group.name()).forEach(m -> members.add(m.instanceId()));
    boolean classicGone = instances.deleteExpired(group.name()).stream()
        .anyMatch(e -> members.contains(e.instanceId()));
    if (classicGone) {
      membersGone(group, "lease expiry");
    }
    return classicGone;
  }

  /**
   * Members left (LeaveGroup) or their lease ended: a group left without live members becomes
   * {@code EMPTY} (a new generation), any other begins a rebalance, or completes the one under way
   * if the members left were the last it waited for.
   */
  void membersGone(GroupRow group, String reason) {
    boolean anyLive = classic.members(group.name()).stream().anyMatch(ClassicMember::live);
    if (!anyLive) {
      complete(group, groups.classicState(group.name()), classic.members(group.name()));
    } else {
      begin(group, null, reason);
    }
  }
}
