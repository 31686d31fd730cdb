package io.rowstream.group;

import io.rowstream.security.Principal;

/**
 * A consumer instance as a member of its group.
 *
 * @param subscription null when the instance has not subscribed
 * @param strategy the assignor it asks for
 * @param seenGeneration last group generation it has seen; null before it saw any
 * @param manuallyAssigned whether it holds partitions it assigned itself
 * @param owner the principal that created the instance, and the address it created it from
 * @param kafka whether it is a Kafka client (KIP-848) rather than an HTTP instance: a partition
 *     taken from it leaves it only once its heartbeat no longer lists it
 * @param memberEpoch a Kafka member's KIP-848 member epoch; null for an HTTP instance
 * @param previousMemberEpoch a Kafka member's epoch before its current one; null if none
 * @param clientId a Kafka member's client.id; null for an HTTP instance
 */
record GroupMember(
    String instanceId,
    String memberId,
    Subscription subscription,
    String strategy,
    boolean autoCommit,
    Integer seenGeneration,
    boolean manuallyAssigned,
    Owner owner,
    boolean kafka,
    Integer memberEpoch,
    Integer previousMemberEpoch,
    String clientId) {

  /** Who owns a member: whose Read rights decide which topics a rebalance gives it. */
  record Owner(Principal principal, String host) {}

  boolean subscribed() {
    return subscription != null;
  }
}
