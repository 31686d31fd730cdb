package io.rowstream.kafka.groups;

import io.rowstream.kafka.KafkaApis;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.services.BrokerServices;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.ConsumerGroupDescribeRequest;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatRequest;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.HeartbeatRequest;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.LeaveGroupRequest;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetDeleteRequest;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.SyncGroupRequest;

/**
 * The group APIs of the Kafka door served so far, and their versions:
 *
 * <ul>
 *   <li>FindCoordinator, every version kafka-clients 4.4 parses (0..6).
 *   <li>OffsetCommit 2..9 and OffsetFetch 1..9: v10 of both names topics by id (KIP-848's
 *       topic-id offsets), not served yet; a client that knows v10 speaks v9 with this node.
 *   <li>ListGroups 0..5, DescribeGroups 0..6, DeleteGroups 0..3 and OffsetDelete 0: every version
 *       kafka-clients 4.4 parses.
 *   <li>ConsumerGroupHeartbeat 0..1 and ConsumerGroupDescribe 0..1 (KIP-848), every version
 *       kafka-clients 4.4 parses.
 *   <li>The classic group protocol, every version kafka-clients 4.4 parses: JoinGroup 0..9,
 *       SyncGroup 0..5, Heartbeat 0..4, LeaveGroup 0..5.
 * </ul>
 */
public final class GroupApis {
  private static final short LAST_BY_TOPIC_NAME = 9;

  private GroupApis() {}

  public static void serve(KafkaApis apis, BrokerServices services, KafkaErrors errors) {
    serveAdmin(apis, services, errors);
    apis.serve(
        ApiKeys.FIND_COORDINATOR,
        ApiKeys.FIND_COORDINATOR.oldestVersion(),
        ApiKeys.FIND_COORDINATOR.latestVersion(),
        FindCoordinatorRequest.class,
        new FindCoordinatorHandler(services.nodeId(), services.brokers()));
    apis.serve(
        ApiKeys.JOIN_GROUP,
        ApiKeys.JOIN_GROUP.oldestVersion(),
        ApiKeys.JOIN_GROUP.latestVersion(),
        JoinGroupRequest.class,
        new JoinGroupHandler(services.classicGroups()));
    apis.serve(
        ApiKeys.SYNC_GROUP,
        ApiKeys.SYNC_GROUP.oldestVersion(),
        ApiKeys.SYNC_GROUP.latestVersion(),
        SyncGroupRequest.class,
        new SyncGroupHandler(services.classicGroups()));
    apis.serve(
        ApiKeys.HEARTBEAT,
        ApiKeys.HEARTBEAT.oldestVersion(),
        ApiKeys.HEARTBEAT.latestVersion(),
        HeartbeatRequest.class,
        new HeartbeatHandler(services.classicGroups()));
    apis.serve(
        ApiKeys.LEAVE_GROUP,
        ApiKeys.LEAVE_GROUP.oldestVersion(),
        ApiKeys.LEAVE_GROUP.latestVersion(),
        LeaveGroupRequest.class,
        new LeaveGroupHandler(services.classicGroups()));
    apis.serve(
        ApiKeys.OFFSET_COMMIT,
        ApiKeys.OFFSET_COMMIT.oldestVersion(),
        LAST_BY_TOPIC_NAME,
        OffsetCommitRequest.class,
        new OffsetCommitHandler(services.groupOffsets(), services.topicCache(), errors));
    apis.serve(
        ApiKeys.OFFSET_FETCH,
        ApiKeys.OFFSET_FETCH.oldestVersion(),
        LAST_BY_TOPIC_NAME,
        OffsetFetchRequest.class,
        new OffsetFetchHandler(services.groupOffsets(), services.topicCache(), errors));
    apis.serve(
        ApiKeys.CONSUMER_GROUP_HEARTBEAT,
        ApiKeys.CONSUMER_GROUP_HEARTBEAT.oldestVersion(),
        ApiKeys.CONSUMER_GROUP_HEARTBEAT.latestVersion(),
        ConsumerGroupHeartbeatRequest.class,
        new ConsumerGroupHeartbeatHandler(services.consumerGroupHeartbeats()));
    apis.serve(
        ApiKeys.CONSUMER_GROUP_DESCRIBE,
        ApiKeys.CONSUMER_GROUP_DESCRIBE.oldestVersion(),
        ApiKeys.CONSUMER_GROUP_DESCRIBE.latestVersion(),
        ConsumerGroupDescribeRequest.class,
        new ConsumerGroupDescribeHandler(services.consumerGroupDescriptions(), errors));
  }

  /** The group administration APIs, each at every version kafka-clients parses. */
  private static void serveAdmin(KafkaApis apis, BrokerServices services, KafkaErrors errors) {
    apis.serve(
        ApiKeys.LIST_GROUPS,
        ApiKeys.LIST_GROUPS.oldestVersion(),
        ApiKeys.LIST_GROUPS.latestVersion(),
        ListGroupsRequest.class,
        new ListGroupsHandler(services.groups()));
    apis.serve(
        ApiKeys.DESCRIBE_GROUPS,
        ApiKeys.DESCRIBE_GROUPS.oldestVersion(),
        ApiKeys.DESCRIBE_GROUPS.latestVersion(),
        DescribeGroupsRequest.class,
        new DescribeGroupsHandler(services.groups()));
    apis.serve(
        ApiKeys.DELETE_GROUPS,
        ApiKeys.DELETE_GROUPS.oldestVersion(),
        ApiKeys.DELETE_GROUPS.latestVersion(),
        DeleteGroupsRequest.class,
        new DeleteGroupsHandler(services.groupAdmin(), errors));
    apis.serve(
        ApiKeys.OFFSET_DELETE,
        ApiKeys.OFFSET_DELETE.oldestVersion(),
        ApiKeys.OFFSET_DELETE.latestVersion(),
        OffsetDeleteRequest.class,
        new OffsetDeleteHandler(services.groupOffsets(), services.topicCache(), errors));
  }
}
