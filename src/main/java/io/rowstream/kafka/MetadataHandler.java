package io.rowstream.kafka;

import io.rowstream.cluster.BrokerRegistry;
import io.rowstream.cluster.PartitionLeaders;
import io.rowstream.cluster.PartitionLeaders.Leadership;
import io.rowstream.cluster.PartitionLeaders.Replica;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.PartitionState;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicAdmin;
import io.rowstream.topic.TopicService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataRequest;

/**
 * Metadata: the live nodes that have a Kafka listener, the controller, and the requested topics
 * (all, for a null list, or an empty one on v0) with each partition's leader, epoch and replicas
 * as Rowstream's leadership has them. Listing all topics leaves out those the caller may not
 * DESCRIBE; a topic asked for by name that it may not DESCRIBE is answered
 * TOPIC_AUTHORIZATION_FAILED, whether it exists or not, as Kafka answers. An unknown topic asked
 * for by name is created when the request allows it and the cluster's
 * {@code auto.create.topics.enable} is true (default false), else UNKNOWN_TOPIC_OR_PARTITION.
 */
final class MetadataHandler implements ApiHandler<MetadataRequest> {
  private final BrokerRegistry brokers;
  private final String clusterId;
  private final TopicService topics;
  private final PartitionLeaders leaders;
  private final TopicAdmin admin;
  private final KafkaErrors errors;

  MetadataHandler(
      BrokerRegistry brokers,
      String clusterId,
      TopicService topics,
      PartitionLeaders leaders,
      TopicAdmin admin,
      KafkaErrors errors) {
    this.brokers = brokers;
    this.clusterId = clusterId;
    this.topics = topics;
    this.leaders = leaders;
    this.admin = admin;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(MetadataRequest request, KafkaSession session) {
    KafkaNodes view = KafkaNodes.of(brokers);
    Set<Integer> listed = view.ids();
    MetadataResponseData data =
        new MetadataResponseData().setClusterId(clusterId).setControllerId(view.controller());
    view.addresses()
        .forEach((id, address) -> data.brokers()
            .add(new MetadataResponseBroker()
                .setNodeId(id)
                .setHost(address.host())
                .setPort(address.port())));
    Caller caller = session.caller();
    if (request.isAllTopics()) {
      // Every topic's partitions and replicas in two queries, not two per topic. A topic listed
      // and then deleted before its partitions were read has none: it is left out.
      List<Topic> all = topics.list();
      Map<Long, List<PartitionState>> rows = topics.partitionsByTopic();
      Map<Long, List<Leadership>> leadership = leaders.ofTopics(rows);
      for (Topic t : all) {
        if (rows.containsKey(t.id())
            && caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, t.name())) {
          data.topics().add(topic(t, rows.get(t.id()), leadership.get(t.id()), listed));
        }
      }
    } else {
      Map<Uuid, Topic> byId = null;
      for (MetadataRequestTopic asked : request.data().topics()) {
        if (asked.name() == null || !Uuid.ZERO_UUID.equals(asked.topicId())) {
          if (byId == null) {
            byId = KafkaIds.byId(topics.list());
          }
          data.topics().add(byId(asked.topicId(), byId, caller, listed));
        } else {
          data.topics()
              .add(byName(asked.name(), request.data().allowAutoTopicCreation(), caller, listed));
        }
      }
    }
    return data;
  }

  private MetadataResponseTopic byName(
      String name, boolean autoCreate, Caller caller, Set<Integer> listed) {
    if (!caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, name)) {
      return failed(Errors.TOPIC_AUTHORIZATION_FAILED).setName(name);
    }
    try {
      return topic(topics.require(name), listed);
    } catch (BrokerException e) {
      if (e.error() != BrokerError.TOPIC_NOT_FOUND) {
        throw e;
      }
      return autoCreate ? autoCreated(name, caller, listed) : unknown(name);
    }
  }

  /**
   * An unknown topic the client allows to be created: created when the cluster's
   * {@code auto.create.topics.enable} is true ({@link TopicAdmin#autoCreate}), else unknown.
   */
  private MetadataResponseTopic autoCreated(String name, Caller caller, Set<Integer> listed) {
    try {
      return admin
          .autoCreate(caller, name)
          .map(t -> topic(t, listed))
          .orElseGet(() -> unknown(name));
    } catch (BrokerException e) {
      return failed(errors.errorOf(e, "Metadata auto-creation")).setName(name);
    }
  }

  private static MetadataResponseTopic unknown(String name) {
    return failed(Errors.UNKNOWN_TOPIC_OR_PARTITION).setName(name);
  }

  private MetadataResponseTopic byId(
      Uuid id, Map<Uuid, Topic> byId, Caller caller, Set<Integer> listed) {
    Topic t = byId.get(id);
    if (t == null || !caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, t.name())) {
      // Kafka answers an unknown and an undescribable id alike, so that ids reveal nothing.
      return failed(Errors.UNKNOWN_TOPIC_ID).setTopicId(id);
    }
    return topic(t, listed);
  }

  private static MetadataResponseTopic failed(Errors error) {
    return new MetadataResponseTopic().setErrorCode(error.code());
  }

  private MetadataResponseTopic topic(Topic t, Set<Integer> listed) {
    List<PartitionState> rows = topics.partitions(t);
    return topic(t, rows, leaders.of(rows), listed);
  }

  private static MetadataResponseTopic topic(
      Topic t, List<PartitionState> rows, List<Leadership> leadership, Set<Integer> listed) {
    List<MetadataResponsePartition> partitions = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      partitions.add(partition(rows.get(i), leadership.get(i), listed));
    }
    return new MetadataResponseTopic()
        .setErrorCode(Errors.NONE.code())
        .setName(t.name())
        .setTopicId(KafkaIds.of(t))
        .setIsInternal(false)
        .setPartitions(partitions);
  }

  /**
   * A partition whose leader is not a listed node (none yet, or one without a Kafka listener) is
   * LEADER_NOT_AVAILABLE with leader -1, as Kafka reports a partition whose leader is offline.
   */
  private static MetadataResponsePartition partition(
      PartitionState row, Leadership leadership, Set<Integer> listed) {
    List<Integer> replicas = new ArrayList<>();
    List<Integer> isr = new ArrayList<>();
    List<Integer> offline = new ArrayList<>();
    for (Replica r : leadership.replicas()) {
      replicas.add(r.broker());
      if (r.inSync() && listed.contains(r.broker())) {
        isr.add(r.broker());
      } else if (!listed.contains(r.broker())) {
        offline.add(r.broker());
      }
    }
    boolean led =
        leadership.leader() != PartitionLeaders.NO_LEADER && listed.contains(leadership.leader());
    return new MetadataResponsePartition()
        .setErrorCode(led ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
        .setPartitionIndex(row.partition())
        .setLeaderId(led ? leadership.leader() : -1)
        .setLeaderEpoch(row.leaderEpoch())
        .setReplicaNodes(replicas)
        .setIsrNodes(isr)
        .setOfflineReplicas(offline);
  }
}
