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
 * the live members' subscriptions and the topics as they are now, applies only the difference
 * (partitions a member keeps keep their rows and positions), and bumps the generation. Before a
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
    Set<TopicPartition> assigned = new HashSet<>();
    members
        .groupAssignment(group.name())
        .values()
        .forEach(list -> list.forEach(o -> assigned.add(o.partition())));
    Target target = target();
    Set<TopicPartition> wanted = new HashSet<>();
    target.assignment().values().forEach(wanted::addAll);
    return !assigned.equals(wanted);
  }

  /** Runs the rebalance; returns the new generation. */
  int run(String reason) {
    reaped.addAll(instances.deleteExpired(group.name()));
    Target target = target();
    Map<String, List<MemberStore.Owned>> before = members.groupAssignment(group.name());
    int generation = group.generation() + 1;
    OffsetStore offsets = new OffsetStore(tx);
    Map<String, Boolean> autoCommit = new HashMap<>();
    target.members().forEach(m -> autoCommit.put(m.instanceId(), m.autoCommit()));
    // Revoke everything first, so that no partition ever has two owners (a unique index agrees).
    for (var owned : before.entrySet()) {
      List<TopicPartition> keep = target.assignment().getOrDefault(owned.getKey(), List.of());
      List<PartitionKey> revoked = owned.getValue().stream()
          .filter(o -> !keep.contains(o.partition()))
          .map(MemberStore.Owned::key)
          .toList();
      if (!revoked.isEmpty() && autoCommit.getOrDefault(owned.getKey(), false)) {
        offsets.commitPositions(group.name(), owned.getKey(), revoked, group.generation());
      }
      assignments.revoke(group.name(), owned.getKey(), revoked);
    }
    for (var wanted : target.assignment().entrySet()) {
      Set<TopicPartition> had = new HashSet<>();
      before.getOrDefault(wanted.getKey(), List.of()).forEach(o -> had.add(o.partition()));
      List<PartitionKey> granted = wanted.getValue().stream()
          .filter(tp -> !had.contains(tp))
          .map(target.keys()::get)
          .toList();
      assignments.grant(group.name(), wanted.getKey(), granted, generation);
    }
    new GroupStore(tx)
        .rebalanced(group.name(), generation, target.members().isEmpty() ? "EMPTY" : "STABLE");
    LOG.info(
        "group rebalanced group={} generation={} reason={} assignor={} members={} expired={}",
        LogText.of(group.name()),
        generation,
        LogText.of(reason),
        group.assignor(),
        LogText.of(target.assignment().keySet()),
        LogText.of(reaped.stream().map(InstanceStore.Expired::instanceId).toList()));
    return generation;
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
