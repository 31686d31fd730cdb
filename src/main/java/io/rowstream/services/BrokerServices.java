package io.rowstream.services;

import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.cluster.LeaderView;
import io.rowstream.cluster.NodeHealth;
import io.rowstream.cluster.PartitionLeaders;
import io.rowstream.consumer.ConsumerService;
import io.rowstream.error.BrokerFailures;
import io.rowstream.group.ClassicGroups;
import io.rowstream.group.ConsumerGroupDescriptions;
import io.rowstream.group.ConsumerGroupHeartbeats;
import io.rowstream.group.GroupAdmin;
import io.rowstream.group.GroupInspector;
import io.rowstream.group.GroupOffsetResets;
import io.rowstream.group.GroupOffsets;
import io.rowstream.log.EpochEndOffsets;
import io.rowstream.log.FetchMemoryBudget;
import io.rowstream.log.LogSegments;
import io.rowstream.log.OffsetsByTime;
import io.rowstream.log.PartitionLog;
import io.rowstream.produce.ProduceService;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicCache;
import io.rowstream.topic.TopicService;
import java.util.Optional;

/**
 * What the doors serve from: the node's identity and the broker's services. Services only: a door
 * reaches no store and no database through it. Each service package's notes list the calls a door uses.
 *
 * @param advertisedUrl configured base URL of this node for {@code base_uri} and v3 {@code self} links;
 *     empty: links use the host of the request they answer, as the REST Proxy does
 * @param failures what a failure of the layers below the services (the database's) means as a broker error
 * @param fetchMemory the bytes this node's fetches may hold at once, shared by every door
 * @param groupOffsets a group's committed offsets by group name (Kafka's OffsetCommit, OffsetFetch
 *     and OffsetDelete)
 * @param groupAdmin deletion of whole groups (Kafka's DeleteGroups)
 * @param groupOffsetResets resets of an inactive group's offsets ({@code kafka-consumer-groups.sh
 *     --reset-offsets})
 * @param classicGroups Kafka's classic group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup)
 * @param epochEnds where each leader epoch of a partition ends (Kafka's OffsetForLeaderEpoch)
 * @param consumerGroupHeartbeats KIP-848 members' heartbeats (Kafka's ConsumerGroupHeartbeat)
 * @param consumerGroupDescriptions server-assigned groups as KIP-848 describes them (ConsumerGroupDescribe)
 * @param segments what each partition's log holds on disk: its segments and their sizes
 */
public record BrokerServices(
    int nodeId,
    String clusterId,
    Optional<String> advertisedUrl,
    NodeHealth health,
    BrokerFailures failures,
    BrokerRegistry brokers,
    TopicService topics,
    TopicCache topicCache,
    PartitionLog log,
    OffsetsByTime offsetsByTime,
    ProduceService produce,
    TopicAdmin topicAdmin,
    PartitionLeaders leaders,
    ConsumerService consumers,
    GroupInspector groups,
    GroupOffsets groupOffsets,
    GroupAdmin groupAdmin,
    GroupOffsetResets groupOffsetResets,
    ClassicGroups classicGroups,
    LeaderView leaderView,
    FetchMemoryBudget fetchMemory,
    EpochEndOffsets epochEnds,
    ConsumerGroupHeartbeats consumerGroupHeartbeats,
    ConsumerGroupDescriptions consumerGroupDescriptions,
    LogSegments segments) {}
