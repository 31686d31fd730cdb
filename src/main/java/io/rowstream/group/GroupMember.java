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
 */
record GroupMember(
    String instanceId,
    String memberId,
    Subscription subscription,
    String strategy,
    boolean autoCommit,
    Integer seenGeneration,
    boolean manuallyAssigned,
    Owner owner) {

  /** Who owns a member: whose Read rights decide which topics a rebalance gives it. */
  record Owner(Principal principal, String host) {}

  boolean subscribed() {
    return subscription != null;
  }
}
