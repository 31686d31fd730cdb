/**
 * The group APIs of the Kafka door, registered by {@link io.rowstream.kafka.groups.GroupApis#serve}:
 * FindCoordinator, OffsetCommit and OffsetFetch for every Kafka client that keeps its progress in a
 * group (one that assigns its partitions itself too). They read and write the same
 * {@code committed_offset} rows HTTP consumer groups use, through {@code group.GroupOffsets}, so
 * offsets committed by either door are seen by the other, by the v3 lag routes and by the SQL views.
 * The group administration APIs (ListGroups and DescribeGroups on {@code group.GroupInspector},
 * DeleteGroups on {@code group.GroupAdmin}, OffsetDelete on {@code group.GroupOffsets}) show and
 * delete the same groups whichever door their members use; a member's protocol bytes come from
 * {@link io.rowstream.kafka.groups.MemberProtocol}, the one place that tells a classic member's
 * stored bytes from a server-assigned member's encoded ones.
 * KIP-848 membership: ConsumerGroupHeartbeat and ConsumerGroupDescribe, over
 * {@code group.ConsumerGroupHeartbeats} and {@code group.ConsumerGroupDescriptions} (the server
 * assigns; HTTP instances and Kafka clients share a group).
 * Kafka's classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) is served over
 * {@code group.ClassicGroups}: a JoinGroup or a follower's SyncGroup waits on its connection's
 * virtual thread while the group's rows say the barrier is up, on whichever node.
 *
 * <p>May use what {@code io.rowstream.kafka} may: services and their values, {@code security},
 * {@code error}; never a store or the database ({@code ArchitectureTest}).
 */
package io.rowstream.kafka.groups;
