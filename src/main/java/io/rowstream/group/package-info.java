/**
 * Consumer groups on rows: Kafka's group coordinator without its memory. Public face:
 * {@link io.rowstream.group.GroupCoordinator} (joins, leaves, commits),
 * {@link io.rowstream.group.GroupReaper} (lease expiry, topic changes),
 * {@link io.rowstream.group.GroupInspector} (v3 views, Kafka's ListGroups and DescribeGroups),
 * {@link io.rowstream.group.GroupAdmin} (group deletion) and the assignors. One store writes each
 * table; they are package-private but for the two {@code consumer}'s store also calls, the one
 * writer of {@code consumer_instance} ({@link io.rowstream.group.InstanceStore}) and of
 * {@code consumer_assignment} ({@link io.rowstream.group.AssignmentStore}).
 *
 * <p>Decisions, and where they depart from Kafka and Confluent's REST Proxy:
 *
 * <ul>
 *   <li>The {@code consumer_group} row is the group's lock. A membership change holds it
 *       {@code FOR UPDATE} for one short transaction that reaps ended leases, computes the whole
 *       new assignment with the group's assignor, revokes before it grants (a partial unique
 *       index allows one owner per partition) and bumps the generation. Commits and position
 *       updates hold it {@code FOR SHARE}, so they see one generation and lock in the same order.
 *       There is no join/sync round trip: a rebalance completes in one transaction, and members
 *       learn of it on their next call.
 *   <li>Membership is a lease on the database clock ({@code session.timeout.ms}, renewed by each
 *       call of the instance). Past it the member is gone for every request (40403) even before
 *       the reaper deletes it. The reaper runs on every node under one advisory lock, at most an
 *       interval apart and just after the earliest lease end.
 *   <li>Fencing: an unknown or expired member gets the REST Proxy's 40403. A live member that has
 *       not seen the current generation (it has not read or listed its assignment since the
 *       rebalance) gets 409/40903 on commit, Kafka's ILLEGAL_GENERATION, not 40403: its instance
 *       exists, and a client that took 40403 for "recreate the instance" would rejoin and make the
 *       group rebalance again. Either way nothing is written.
 *   <li>Committed offsets follow Kafka: an explicit commit sets them (a rewind included); commits
 *       of positions (auto-commit, commit of everything read, revocation with auto-commit, close)
 *       only move them forward.
 * </ul>
 *
 * <p>What a door calls: group membership and commits through
 * {@code consumer.ConsumerService} (create, subscribe, assign, commit, committed, seek, delete),
 * which holds the instance and asks {@link GroupCoordinator}; inspection through
 * {@link GroupInspector} {@code groups()}, {@code group(name)}, {@code members(group, describable)},
 * {@code lags(group, describable)} and {@code lagSummary(group, describable)} (the partition
 * lagging most and the total, as a value). A member is a consumer instance whose lease each of
 * its calls renews; offsets are committed and read with {@code commit} and {@code committed}
 * (Kafka's OffsetCommit and OffsetFetch). Kafka's join/sync round trip has no call of its own:
 * a rebalance completes in one transaction. The Kafka door commits and reads a group's offsets by
 * group name through {@link GroupOffsets} (a client that assigns its partitions is no instance):
 * the same rows, with Kafka's classic checks (a commit without membership only while the group has
 * no live subscribed member; one naming a member by its Kafka member id fenced by its generation, or
 * a KIP-848 member's by its member epoch).
 * Kafka's administration of groups: {@link GroupInspector#groups(java.util.Collection,
 * java.util.Collection)} lists them with their {@link GroupState} and {@link GroupType} (Kafka's
 * names, read from the row in one place), {@link GroupInspector#describe} gives a group's live
 * subscribed members, {@link GroupAdmin#delete} deletes a group and its offsets while no instance of
 * it is live, {@link GroupOffsets#delete} deletes offsets but in topics a live member subscribes to.
 * {@link GroupOffsetResets} resets an inactive group's offsets (earliest, latest, a time, given
 * offsets) as {@code kafka-consumer-groups.sh --reset-offsets} does, refused while any member is live.
 *
 * <p>KIP-848 members ({@link ConsumerGroupHeartbeats}, {@link ConsumerGroupDescriptions}): a Kafka
 * client with {@code group.protocol=consumer} is a {@code consumer_instance} of door {@code kafka}
 * in a server-assigned group, beside HTTP instances. Since a Kafka client fetches by itself, a
 * rebalance no longer moves every partition at once: its result is the group's target
 * ({@code consumer_target_assignment}, written by {@link TargetStore}); an HTTP instance gives up
 * what it loses in the same transaction, a Kafka member when its heartbeat stops listing it
 * ({@code AssignmentStore.release}), and {@code Rebalance.settle} then hands free target partitions
 * to their members, so a partition never has two owners and never reaches its next owner while a
 * Kafka client may still fetch it. The group is RECONCILING until ownership equals the target.
 *
 * <p>Kafka's classic group protocol ({@link ClassicGroups}: JoinGroup, SyncGroup, Heartbeat,
 * LeaveGroup) is the exception to "no join/sync round trip": its clients compute the assignment,
 * so a rebalance spans several calls. Its state is on rows too: a classic member is a
 * {@code consumer_instance} (door {@code kafka}) with a {@code classic_member} row
 * ({@link ClassicMemberStore}), the barrier is the group row's state and deadline
 * ({@link ClassicRebalance}), and calls that wait re-read the rows when {@link GroupWakeups}
 * (LISTEN/NOTIFY) or a short timer wakes them. A group is classic or server-assigned
 * ({@code consumer_group.group_protocol}); a member of the other kind is refused while it has live
 * members (INCONSISTENT_GROUP_PROTOCOL). The reaper removes a classic member whose lease ended and
 * begins a rebalance its members join, instead of reassigning.
 */
package io.rowstream.group;
