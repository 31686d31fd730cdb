package io.rowstream.kafka.records;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.produce.Acks;
import io.rowstream.produce.AppendedBatch;
import io.rowstream.produce.ProduceService;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.Topic;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.LeaderIdAndEpoch;
import org.apache.kafka.common.message.ProduceResponseData.NodeEndpoint;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ProduceRequest;

/**
 * Produce (v3 and later: one v2 record batch per partition): each partition's batch is appended as
 * sent by {@code ProduceService.appendBatch}, which checks it as Kafka's log validator does, keeps
 * an idempotent producer's sequences, and refuses a partition this node does not lead
 * (NOT_LEADER_OR_FOLLOWER: the Kafka door does not forward; from v10 the answer names the leader,
 * KIP-951). Partitions succeed or fail alone, appended in parallel. Per partition, in Kafka's order:
 * an unknown topic id (v13) is UNKNOWN_TOPIC_ID, a topic the caller may not WRITE is
 * TOPIC_AUTHORIZATION_FAILED (whether it exists or not), then the core's answer. acks=0 is answered
 * with nothing, and the connection is closed when any partition failed, as Kafka closes it so that
 * the producer refreshes its metadata.
 */
final class ProduceHandler implements ApiHandler<ProduceRequest> {
  /** The first version whose answer carries the leader of a partition this node does not lead. */
  private static final short LEADER_HINT_VERSION = 10;

  private static final short TOPIC_ID_VERSION = 13;

  private final ProduceService produce;
  private final TopicIds ids;
  private final LeaderHints leaders;
  private final KafkaErrors errors;

  ProduceHandler(ProduceService produce, TopicIds ids, LeaderHints leaders, KafkaErrors errors) {
    this.produce = produce;
    this.ids = ids;
    this.leaders = leaders;
    this.errors = errors;
  }

  /** One partition's batch to append, and where its answer goes. */
  private record Append(String topic, PartitionProduceData data, PartitionProduceResponse answer) {}

  @Override
  public ApiMessage handle(ProduceRequest request, KafkaSession session) {
    Acks acks = acks(request.acks());
    if (acks != Acks.NONE) {
      return produce(request, acks, session);
    }
    ProduceResponseData unsent;
    try {
      unsent = produce(request, acks, session);
    } catch (RuntimeException e) {
      throw ApiHandler.closeConnection(
          "an acks=0 produce failed: " + errors.toKafka(e, "Produce").getMessage());
    }
    if (anyFailed(unsent)) {
      throw ApiHandler.closeConnection(
          "an acks=0 produce failed; the producer is to refresh its metadata, as Kafka has it");
    }
    return null;
  }

  private ProduceResponseData produce(ProduceRequest request, Acks acks, KafkaSession session) {
    short version = request.version();
    Caller caller = session.caller();
    ProduceResponseData response = new ProduceResponseData();
    List<Append> appends = new ArrayList<>();
    for (TopicProduceData t : request.data().topicData()) {
      TopicProduceResponse topicAnswer =
          new TopicProduceResponse().setName(t.name()).setTopicId(t.topicId());
      response.responses().add(topicAnswer);
      String name = t.name();
      Errors refused = Errors.NONE;
      if (version >= TOPIC_ID_VERSION) {
        Optional<Topic> topic = ids.find(t.topicId());
        name = topic.map(Topic::name).orElse(null);
        refused = topic.isEmpty() ? Errors.UNKNOWN_TOPIC_ID : Errors.NONE;
      }
      if (refused == Errors.NONE
          && !caller.may(Acl.Operation.WRITE, Acl.ResourceType.TOPIC, name)) {
        refused = Errors.TOPIC_AUTHORIZATION_FAILED;
      }
      if (refused == Errors.NONE && acks == null) {
        refused = Errors.INVALID_REQUIRED_ACKS;
      }
      for (PartitionProduceData p : t.partitionData()) {
        PartitionProduceResponse answer = new PartitionProduceResponse().setIndex(p.index());
        topicAnswer.partitionResponses().add(answer);
        if (refused != Errors.NONE) {
          answer.setBaseOffset(-1).setErrorCode(refused.code()).setErrorMessage(refused.message());
        } else {
          appends.add(new Append(name, p, answer));
        }
      }
    }
    if (appends.size() == 1) {
      append(appends.getFirst(), acks, caller, version, response);
    } else if (!appends.isEmpty()) {
      try (ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor()) {
        for (Append a : appends) {
          parallel.execute(() -> append(a, acks, caller, version, response));
        }
      }
    }
    return response;
  }

  private void append(
      Append a, Acks acks, Caller caller, short version, ProduceResponseData response) {
    try {
      AppendedBatch appended = produce.appendBatch(
          a.topic(), a.data().index(), records(a.data()), acks, caller.principal());
      a.answer()
          .setBaseOffset(appended.baseOffset())
          .setLogAppendTimeMs(appended.logAppendTimeMs())
          .setLogStartOffset(appended.logStartOffset());
    } catch (RuntimeException e) {
      ApiException kafka = errors.toKafka(e, "Produce");
      Errors error = Errors.forException(kafka);
      a.answer().setBaseOffset(-1).setErrorCode(error.code()).setErrorMessage(kafka.getMessage());
      if (error == Errors.NOT_LEADER_OR_FOLLOWER && version >= LEADER_HINT_VERSION) {
        hintLeader(a, response);
      }
    }
  }

  /** The records of a partition as sent; null when absent (the core refuses it, INVALID_RECORD). */
  private static ByteBuffer records(PartitionProduceData p) {
    if (p.records() instanceof MemoryRecords records) {
      return records.buffer();
    }
    if (p.records() == null) {
      return null;
    }
    throw new BrokerException(
        BrokerError.INVALID_PAYLOAD, "The partition's records are not a record batch.");
  }

  private void hintLeader(Append a, ProduceResponseData response) {
    leaders.of(a.topic(), a.data().index()).ifPresent(hint -> {
      a.answer()
          .setCurrentLeader(new LeaderIdAndEpoch()
              .setLeaderId(hint.leaderId())
              .setLeaderEpoch(hint.leaderEpoch()));
      synchronized (response) {
        if (response.nodeEndpoints().find(hint.leaderId()) == null) {
          response
              .nodeEndpoints()
              .add(new NodeEndpoint()
                  .setNodeId(hint.leaderId())
                  .setHost(hint.address().host())
                  .setPort(hint.address().port()));
        }
      }
    });
  }

  private static boolean anyFailed(ProduceResponseData response) {
    return response.responses().stream()
        .flatMap(t -> t.partitionResponses().stream())
        .anyMatch(p -> p.errorCode() != Errors.NONE.code());
  }

  /** Kafka's acks: 0, 1 or -1 (all); null for any other (INVALID_REQUIRED_ACKS). */
  private static Acks acks(short acks) {
    return switch (acks) {
      case 0 -> Acks.NONE;
      case 1 -> Acks.LEADER;
      case -1 -> Acks.ALL;
      default -> null;
    };
  }
}
