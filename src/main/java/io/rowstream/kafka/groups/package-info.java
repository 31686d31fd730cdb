/**
 * The group APIs of the Kafka door served so far: FindCoordinator, OffsetCommit and OffsetFetch,
 * registered by {@link io.rowstream.kafka.groups.GroupApis#serve}, for Kafka clients that assign
 * partitions themselves and keep their progress in a group. They read and write the same
 * {@code committed_offset} rows HTTP consumer groups use, through {@code group.GroupOffsets}, so
 * offsets committed by either door are seen by the other, by the v3 lag routes and by the SQL views.
 * Kafka's classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) is served over
 * {@code group.ClassicGroups}: a JoinGroup or a follower's SyncGroup waits on its connection's
 * virtual thread while the group's rows say the barrier is up, on whichever node. KIP-848's
 * ConsumerGroupHeartbeat is not served yet.
 *
 * <p>May use what {@code io.rowstream.kafka} may: services and their values, {@code security},
 * {@code error}; never a store or the database ({@code ArchitectureTest}).
 */
package io.rowstream.kafka.groups;
