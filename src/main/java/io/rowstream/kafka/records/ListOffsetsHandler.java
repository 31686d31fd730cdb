package io.rowstream.kafka.records;

import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.log.OffsetsByTime;
import io.rowstream.log.OffsetsByTime.TimestampAndOffset;
import io.rowstream.log.PartitionKey;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.PartitionState;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import io.rowstream.topic.TopicService;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/**
 * ListOffsets, per partition from its row (read afresh) and the time index: EARLIEST (-2) and
 * EARLIEST_LOCAL (-4) the log start offset (all of the log is local: there is no tiered storage);
 * LATEST (-1) the high watermark, the committed log end, which is also the last stable offset for
 * read_committed (no transactions); MAX_TIMESTAMP (-3) the first record with the largest
 * timestamp; LATEST_TIERED (-5) and EARLIEST_PENDING_UPLOAD (-6) offset -1, as Kafka answers them
 * without tiered storage; any other timestamp the first record at or after it, with that record's
 * timestamp (offset -1 when there is none). A sentinel older than its version is UNSUPPORTED_VERSION
 * (Kafka's check); a topic the caller may not DESCRIBE is TOPIC_AUTHORIZATION_FAILED; a partition
 * named twice is INVALID_REQUEST. A current leader epoch (v4) below the partition's is
 * FENCED_LEADER_EPOCH, above it UNKNOWN_LEADER_EPOCH, so that a client with stale metadata
 * refreshes it. Any node answers, leader or not: the rows are the same for all. The leader epoch
 * answered is the partition's for LATEST and unknown (-1) otherwise (the epoch of the batch found
 * is not read; OffsetForLeaderEpoch answers by epoch).
 */
final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequest> {
  private static final int UNKNOWN = -1;
  private static final short LEADER_EPOCH_VERSION = 4;

  private final TopicCache cache;
  private final TopicService topics;
  private final OffsetsByTime offsetsByTime;
  private final KafkaErrors errors;

  ListOffsetsHandler(
      TopicCache cache, TopicService topics, OffsetsByTime offsetsByTime, KafkaErrors errors) {
    this.cache = cache;
    this.topics = topics;
    this.offsetsByTime = offsetsByTime;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(ListOffsetsRequest request, KafkaSession session) {
    Caller caller = session.caller();
    ListOffsetsResponseData response = new ListOffsetsResponseData();
    Set<TopicPartition> seen = new HashSet<>();
    for (ListOffsetsTopic t : request.data().topics()) {
      ListOffsetsTopicResponse topicAnswer = new ListOffsetsTopicResponse().setName(t.name());
      response.topics().add(topicAnswer);
      boolean described = caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, t.name());
      for (ListOffsetsPartition p : t.partitions()) {
        ListOffsetsPartitionResponse answer = new ListOffsetsPartitionResponse()
            .setPartitionIndex(p.partitionIndex())
            .setTimestamp(UNKNOWN)
            .setOffset(UNKNOWN)
            .setLeaderEpoch(UNKNOWN);
        topicAnswer.partitions().add(answer);
        Errors refused;
        if (!seen.add(new TopicPartition(t.name(), p.partitionIndex()))) {
          refused = Errors.INVALID_REQUEST;
        } else if (!described) {
          refused = Errors.TOPIC_AUTHORIZATION_FAILED;
        } else if (request.version() < firstVersionOf(p.timestamp())) {
          refused = Errors.UNSUPPORTED_VERSION;
        } else {
          refused = answer(t.name(), p, request.version(), answer);
        }
        answer.setErrorCode(refused.code());
      }
    }
    return response;
  }

  /** Fills {@code answer}; returns the partition's error, NONE when answered. */
  private Errors answer(
      String topicName,
      ListOffsetsPartition asked,
      short version,
      ListOffsetsPartitionResponse answer) {
    try {
      Topic topic = cache.requirePartition(topicName, asked.partitionIndex());
      PartitionState row = topics.partition(topic, asked.partitionIndex());
      Errors stale = CurrentLeaderEpoch.check(asked.currentLeaderEpoch(), row.leaderEpoch());
      if (stale != Errors.NONE) {
        return stale;
      }
      PartitionKey key = new PartitionKey(topic.id(), asked.partitionIndex());
      long timestamp = asked.timestamp();
      if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
          || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
        answer.setOffset(row.logStartOffset());
      } else if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
        answer.setOffset(row.logEndOffset());
        if (version >= LEADER_EPOCH_VERSION) { // not encodable before
          answer.setLeaderEpoch(row.leaderEpoch());
        }
      } else if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP
          || timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
        return Errors.NONE; // no tiered storage: offset -1, as Kafka answers
      } else {
        Optional<TimestampAndOffset> found = timestamp == ListOffsetsRequest.MAX_TIMESTAMP
            ? offsetsByTime.maxTimestamp(key, row.logStartOffset())
            : offsetsByTime.recordForTime(key, row.logStartOffset(), row.logEndOffset(), timestamp);
        found
            .filter(r -> r.offset() < row.logEndOffset())
            .ifPresent(r -> answer.setTimestamp(r.timestampMs()).setOffset(r.offset()));
      }
      return Errors.NONE;
    } catch (BrokerException e) {
      return errors.errorOf(e, "ListOffsets");
    }
  }

  /** The first ListOffsets version that carries a sentinel timestamp (Kafka's own check). */
  private static short firstVersionOf(long timestamp) {
    if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
      return 7;
    } else if (timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
      return 8;
    } else if (timestamp == ListOffsetsRequest.LATEST_TIERED_TIMESTAMP) {
      return 9;
    } else if (timestamp == ListOffsetsRequest.EARLIEST_PENDING_UPLOAD_TIMESTAMP) {
      return 11;
    }
    return 0;
  }
}
