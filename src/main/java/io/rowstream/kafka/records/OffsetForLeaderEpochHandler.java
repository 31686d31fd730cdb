package io.rowstream.kafka.records;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.log.EpochEndOffsets;
import io.rowstream.log.PartitionKey;
import io.rowstream.security.Acl;
import io.rowstream.security.Caller;
import io.rowstream.topic.PartitionState;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import io.rowstream.topic.TopicService;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;

/**
 * OffsetForLeaderEpoch: for each partition, the end offset of the leader epoch asked for, which a
 * Java consumer compares with its position after a leader change to detect a truncated log (one
 * never is here: the log lives in PostgreSQL and a new leader appends after the old one). The end
 * is where the first batch of a later epoch begins, or the log end ({@code log.EpochEndOffsets}).
 * A consumer's request (replica id -1 or -2) needs DESCRIBE on the topic (TOPIC_AUTHORIZATION_FAILED);
 * a follower broker's (a replica id of 0 or more) is CLUSTER_AUTHORIZATION_FAILED: Rowstream's
 * nodes share one log and never fetch from each other. A current leader epoch below the
 * partition's is FENCED_LEADER_EPOCH, above it UNKNOWN_LEADER_EPOCH. Any node answers.
 */
final class OffsetForLeaderEpochHandler implements ApiHandler<OffsetsForLeaderEpochRequest> {
  private static final int UNKNOWN = -1;

  private final TopicCache cache;
  private final TopicService topics;
  private final EpochEndOffsets epochEnds;
  private final KafkaErrors errors;

  OffsetForLeaderEpochHandler(
      TopicCache cache, TopicService topics, EpochEndOffsets epochEnds, KafkaErrors errors) {
    this.cache = cache;
    this.topics = topics;
    this.epochEnds = epochEnds;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(OffsetsForLeaderEpochRequest request, KafkaSession session) {
    if (request.data().replicaId() >= 0) {
      throw new BrokerException(
          BrokerError.CLUSTER_AUTHORIZATION_FAILED,
          "Rowstream's nodes share one log in PostgreSQL: no broker replicates from another.");
    }
    Caller caller = session.caller();
    OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
    for (OffsetForLeaderTopic t : request.data().topics()) {
      OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(t.topic());
      response.topics().add(result);
      boolean described = caller.may(Acl.Operation.DESCRIBE, Acl.ResourceType.TOPIC, t.topic());
      for (OffsetForLeaderPartition p : t.partitions()) {
        EpochEndOffset answer = new EpochEndOffset()
            .setPartition(p.partition())
            .setLeaderEpoch(UNKNOWN)
            .setEndOffset(UNKNOWN);
        result.partitions().add(answer);
        Errors error = described ? answer(t.topic(), p, answer) : Errors.TOPIC_AUTHORIZATION_FAILED;
        answer.setErrorCode(error.code());
      }
    }
    return response;
  }

  /** Fills {@code answer}; returns the partition's error, NONE when answered. */
  private Errors answer(String topicName, OffsetForLeaderPartition asked, EpochEndOffset answer) {
    try {
      Topic topic = cache.requirePartition(topicName, asked.partition());
      PartitionState row = topics.partition(topic, asked.partition());
      Errors stale = CurrentLeaderEpoch.check(asked.currentLeaderEpoch(), row.leaderEpoch());
      if (stale != Errors.NONE) {
        return stale;
      }
      EpochEndOffsets.EpochEnd end = epochEnds.endOffsetFor(
          new PartitionKey(topic.id(), asked.partition()),
          asked.leaderEpoch(),
          row.leaderEpoch(),
          row.logStartOffset(),
          row.logEndOffset());
      answer.setLeaderEpoch(end.leaderEpoch()).setEndOffset(end.endOffset());
      return Errors.NONE;
    } catch (BrokerException e) {
      return errors.errorOf(e, "OffsetForLeaderEpoch");
    }
  }
}
