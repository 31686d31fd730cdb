package io.rowstream.group;

import io.rowstream.db.Tx;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.TopicPartition;
import io.rowstream.logging.LogText;
import io.rowstream.security.Acl;
import io.rowstream.security.Permissions;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rebalance, inside the caller's transaction, which holds the group row {@code FOR UPDATE}:
 * reaps members whose lease ended, computes the new assignment with the group's assignor from
 * the live members' subscriptions and the topics as they are now, stores it as the group's target
 * ({@link TargetStore}), applies only the difference (partitions a member keeps keep their rows and
 * positions; a Kafka member's partitions leave it only when its heartbeat releases them, see
 * {@link #settle}), and bumps the generation. Before a
 * partition is taken from a member with auto-commit, its position is committed, as Kafka's
 * consumer commits before it revokes. A member is given only partitions of topics its owner may
 * Read now (as Kafka's pattern subscriptions see only authorized topics): a topic whose Read was
 * revoked leaves the member at the next rebalance.
 */
final class Rebalance {
  private static final Logger LOG = LoggerFactory.getLogger(Rebalance.class);

  private final Tx tx;
  private final GroupRow group;
  private final MemberStore members;
  private final InstanceStore instances;
  private final AssignmentStore assignments;
  private final PatternMatches patterns;
  private final Permissions permissions;
  /** Members whose lease had ended, deleted by this rebalance (for the log). */
  private final List<InstanceStore.Expired> reaped = new ArrayList<>();

  Rebalance(Tx tx, GroupRow lockedGroup, PatternMatches patterns, Permissions permissions) {
    this.tx = tx;
    this.group = lockedGroup;
    this.members = new MemberStore(tx);
    this.instances = new InstanceStore(tx);
    this.assignments = new AssignmentStore(tx);
    this.patterns = patterns;
    this.permissions = permissions;
  }

  /** What the group's live subscribed members should own, computed from scratch. */
  private record Target(
      List<GroupMember> members,
      Map<String, List<TopicPartition>> assignment,
      Map<TopicPartition, PartitionKey> keys) {}

  /**
   * Whether a subscribed member's lease ended (such members are deleted now), or the assignment
   * no longer covers exactly the partitions the members subscribe to (a topic created that
   * matches a pattern, partitions added).
   */
  boolean needed() {
    reaped.addAll(instances.deleteExpired(group.name()));
    if (reaped.stream().anyMatch(InstanceStore.Expired::subscribed)) {
      return true;
    }
    Map<String, Set<TopicPartition>> stored = new HashMap<>();
    members
        .targetAssignment(group.name())
        .forEach((id, owned) -> stored.put(id, partitionsOf(owned)));
    Map<String, Set<TopicPartition>> wanted = new HashMap<>();
    target().assignment().forEach((id, list) -> {
      if (!list.isEmpty()) {
        wanted.put(id, new HashSet<>(list));
      }
    });
    return !stored.equals(wanted);
  }

  /** Deletes the group's members whose lease ended; whether one of them was subscribed. */
  boolean reapExpired() {
    List<InstanceStore.Expired> now = instances.deleteExpired(group.name());
    reaped.addAll(now);
    return now.stream().anyMatch(InstanceStore.Expired::subscribed);
  }

  private static Set<TopicPartition> partitionsOf(List<MemberStore.Owned> owned) {
    Set<TopicPartition> out = new HashSet<>();
    owned.forEach(o -> out.add(o.partition()));
    return out;
  }

  /**
   * Runs the rebalance; returns the new generation (KIP-848's group epoch). The new assignment
   * becomes the group's target; an HTTP instance gives up what it loses at once (its reads go
   * through the server), a Kafka member keeps it until its heartbeat no longer lists it
   * ({@link #settle}); partitions nobody owns go to their target member.
   */
  int run(String reason) {
    reaped.addAll(instances.deleteExpired(group.name()));
    Target target = target();
    Map<String, List<MemberStore.Owned>> before = members.groupAssignment(group.name());
    int generation = group.generation() + 1;
    OffsetStore offsets = new OffsetStore(tx);
    Map<String, GroupMember> byId = new HashMap<>();
    target.members().forEach(m -> byId.put(m.instanceId(), m));
    // Revoke first, so that no partition ever has two owners (a unique index agrees).
    for (var owned : before.entrySet()) {
      GroupMember member = byId.get(owned.getKey());
      if (member != null && member.kafka()) {
        continue; // a Kafka client fetches by itself: it releases in a heartbeat
      }
      List<TopicPartition> keep = target.assignment().getOrDefault(owned.getKey(), List.of());
      List<PartitionKey> revoked = owned.getValue().stream()
          .filter(o -> !keep.contains(o.partition()))
          .map(MemberStore.Owned::key)
          .toList();
      if (!revoked.isEmpty() && member != null && member.autoCommit()) {
        offsets.commitPositions(group.name(), owned.getKey(), revoked, group.generation());
      }
      assignments.revoke(group.name(), owned.getKey(), revoked);
    }
    Map<String, List<PartitionKey>> keys = new HashMap<>();
    target
        .assignment()
        .forEach(
            (id, list) -> keys.put(id, list.stream().map(target.keys()::get).toList()));
    new TargetStore(tx).replace(group.name(), keys, generation);
    new GroupStore(tx)
        .rebalanced(group.name(), generation, target.members().isEmpty() ? "EMPTY" : "STABLE");
    String state = settle(group.name(), generation);
    LOG.info(
        "group rebalanced group={} generation={} reason={} assignor={} members={} expired={} state={}",
        LogText.of(group.name()),
        generation,
        LogText.of(reason),
        group.assignor(),
        LogText.of(target.assignment().keySet()),
        LogText.of(reaped.stream().map(InstanceStore.Expired::instanceId).toList()),
        state);
    return generation;
  }

  /**
   * Moves ownership toward the stored target inside the caller's transaction: every target
   * partition nobody owns goes to its target member (in {@code generation}, the group's current
   * one); then the group is STABLE when every member owns exactly its target, RECONCILING while a
   * Kafka member still holds a partition it must give up (and its next owner waits), EMPTY without
   * subscribed members. Returns the state.
   */
  static String settle(Tx tx, String group, int generation) {
    MemberStore members = new MemberStore(tx);
    Map<String, List<MemberStore.Owned>> owned = members.groupAssignment(group);
    Map<String, List<MemberStore.Owned>> target = members.targetAssignment(group);
    Set<PartitionKey> taken = new HashSet<>();
    owned.values().forEach(list -> list.forEach(o -> taken.add(o.key())));
    AssignmentStore assignments = new AssignmentStore(tx);
    boolean converged = true;
    for (var wanted : target.entrySet()) {
      Set<PartitionKey> has = new HashSet<>();
      owned.getOrDefault(wanted.getKey(), List.of()).forEach(o -> has.add(o.key()));
      List<PartitionKey> free = wanted.getValue().stream()
          .map(MemberStore.Owned::key)
          .filter(k -> !taken.contains(k))
          .toList();
      assignments.grant(group, wanted.getKey(), free, generation);
      has.addAll(free);
      Set<PartitionKey> should = new HashSet<>();
      wanted.getValue().forEach(o -> should.add(o.key()));
      converged &= has.equals(should);
    }
    for (var o : owned.entrySet()) {
      converged &= target.containsKey(o.getKey()) || o.getValue().isEmpty();
    }
    List<String> revoking = new ArrayList<>();
    List<GroupMember> subscribed = members.subscribed(group);
    for (GroupMember m : subscribed) {
      Set<PartitionKey> should = new HashSet<>();
      target.getOrDefault(m.instanceId(), List.of()).forEach(t -> should.add(t.key()));
      if (m.kafka()
          && owned.getOrDefault(m.instanceId(), List.of()).stream()
              .anyMatch(o -> !should.contains(o.key()))) {
        revoking.add(m.instanceId());
      }
    }
    new InstanceStore(tx).revoking(group, revoking);
    String state = subscribed.isEmpty() ? "EMPTY" : converged ? "STABLE" : "RECONCILING";
    new GroupStore(tx).setState(group, state);
    return state;
  }

  private String settle(String name, int generation) {
    return settle(tx, name, generation);
  }

  /** The topics of {@code selected} the member's owner may Read now. */
  private Set<String> readableByOwner(GroupMember m, Set<String> selected) {
    Set<String> out = new TreeSet<>();
    for (String topic : selected) {
      if (permissions.authorize(
          m.owner().principal(),
          m.owner().host(),
          Acl.Operation.READ,
          Acl.ResourceType.TOPIC,
          topic)) {
        out.add(topic);
      }
    }
    return out;
  }

  private Target target() {
    List<GroupMember> live = members.subscribed(group.name());
    Map<String, Topic> topics = new HashMap<>();
    for (Topic t : new TopicStore(tx).list()) {
      topics.put(t.name(), t);
    }
    SortedMap<String, Set<String>> subscriptions = new TreeMap<>();
    Map<String, Integer> partitionsPerTopic = new HashMap<>();
    Map<TopicPartition, PartitionKey> keys = new HashMap<>();
    for (GroupMember m : live) {
      Set<String> selected = readableByOwner(m, m.subscription().select(topics.keySet(), patterns));
      subscriptions.put(m.instanceId(), selected);
      for (String name : selected) {
        Topic t = topics.get(name);
        partitionsPerTopic.put(name, t.partitionCount());
        for (int p = 0; p < t.partitionCount(); p++) {
          keys.put(new TopicPartition(name, p), new PartitionKey(t.id(), p));
        }
      }
    }
    Map<String, List<TopicPartition>> current = new HashMap<>();
    members
        .groupAssignment(group.name())
        .forEach((id, owned) -> current.put(
            id, new ArrayList<>(owned.stream().map(MemberStore.Owned::partition).toList())));
    var assignment =
        Assignors.stored(group.assignor()).assign(subscriptions, partitionsPerTopic, current);
    return new Target(live, assignment, keys);
  }
}
