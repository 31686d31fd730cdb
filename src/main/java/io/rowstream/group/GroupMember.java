package io.rowstream.group;

/**
 * A consumer instance as a member of its group.
 *
 * @param subscription null when the instance has not subscribed
 * @param strategy the assignor it asks for
 * @param seenGeneration last group generation it has seen; null before it saw any
 * @param manuallyAssigned whether it holds partitions it assigned itself
 */
record GroupMember(String instanceId, String memberId, Subscription subscription, String strategy,
    boolean autoCommit, Integer seenGeneration, boolean manuallyAssigned) {

  boolean subscribed() {
    return subscription != null;
  }
}
