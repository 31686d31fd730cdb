package io.rowstream.kafka.records;

import io.rowstream.error.BrokerException;
import io.rowstream.kafka.ApiHandler;
import io.rowstream.kafka.KafkaErrors;
import io.rowstream.kafka.KafkaSession;
import io.rowstream.log.BatchFetch;
import io.rowstream.log.BatchRead;
import io.rowstream.log.FetchMemoryBudget;
import io.rowstream.log.PartitionKey;
import io.rowstream.log.PartitionLog;
import io.rowstream.log.StoredBatches;
import io.rowstream.security.Caller;
import io.rowstream.topic.Topic;
import io.rowstream.topic.TopicCache;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchResponseData.FetchableTopicResponse;
import org.apache.kafka.common.message.FetchResponseData.PartitionData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchRequest;

/**
 * Fetch: every requested partition, in the order asked, answered with its stored batches byte for
 * byte (the batch holding the fetch offset whole; at least one batch, KIP-74), its high watermark
 * (the committed log end), last stable offset (the same: there are no transactions, so
 * read_committed reads what read_uncommitted reads, with an empty aborted_transactions list) and log
 * start offset; one wait of up to max_wait_ms (at most 30 s) over all partitions until min_bytes
 * are there, woken by appends on any node ({@code PartitionLog.fetchBatches}); within max_bytes and
 * each partition's partition_max_bytes. A partition fails alone: UNKNOWN_TOPIC_ID (v13), TOPIC_AUTHORIZATION_FAILED
 * (no READ), UNKNOWN_TOPIC_OR_PARTITION, OFFSET_OUT_OF_RANGE.
 *
 * <p>No fetch sessions (KIP-227): the answer's session id is 0, which tells a client to keep sending
 * full fetches; an incremental fetch (a session epoch above 0) is FETCH_SESSION_ID_NOT_FOUND, as
 * Kafka answers a session it does not hold. Any node serves a fetch, leader or not: every node
 * reads the one database, so a follower's answer is the leader's (Kafka's clients fetch from the
 * leader Metadata names anyway); the client's current leader epoch is therefore not checked.
 */
final class FetchHandler implements ApiHandler<FetchRequest> {
  private static final short TOPIC_ID_VERSION = 13;
  /**
   * The longest a fetch waits, whatever max_wait_ms asks (as HTTP's long polls): a client gives up
   * on a request after its request.timeout.ms (30 s by default) anyway, and a waiting fetch holds
   * its connection's thread.
   */
  static final long MAX_WAIT_MS = 30_000;

  /**
   * The most a response holds, whatever max_bytes asks: Kafka's broker config {@code
   * fetch.max.bytes} (55 MiB by default). The first batch may still exceed it (KIP-74).
   */
  static final int BROKER_FETCH_MAX_BYTES = 55 * 1024 * 1024;

  /**
   * What a client is told to wait when the node's fetch memory is taken: the fetch is answered at
   * once with no partitions and this throttle time, as Kafka answers a fetch over its quota.
   */
  static final int MEMORY_THROTTLE_MS = 100;

  private static final int INITIAL_EPOCH = 0;
  private static final int FINAL_EPOCH = -1;

  private final PartitionLog log;
  private final FetchMemoryBudget memory;
  private final TopicCache topics;
  private final TopicIds ids;
  private final KafkaErrors errors;

  FetchHandler(
      PartitionLog log,
      FetchMemoryBudget memory,
      TopicCache topics,
      TopicIds ids,
      KafkaErrors errors) {
    this.log = log;
    this.memory = memory;
    this.topics = topics;
    this.ids = ids;
    this.errors = errors;
  }

  @Override
  public ApiMessage handle(FetchRequest request, KafkaSession session) {
    FetchResponseData response =
        new FetchResponseData().setErrorCode(Errors.NONE.code()).setSessionId(0);
    int epoch = request.data().sessionEpoch();
    if (epoch != INITIAL_EPOCH && epoch != FINAL_EPOCH) {
      return response.setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code());
    }
    boolean readCommitted = request.isolationLevel() == IsolationLevel.READ_COMMITTED;
    Caller caller = session.caller();
    List<BatchFetch> fetches = new ArrayList<>();
    List<PartitionData> fetched = new ArrayList<>();
    for (FetchTopic t : request.data().topics()) {
      FetchableTopicResponse topicAnswer =
          new FetchableTopicResponse().setTopic(t.topic()).setTopicId(t.topicId());
      response.responses().add(topicAnswer);
      Topic topic = null;
      Errors refused = Errors.NONE;
      try {
        topic = topic(t, request.version(), caller);
        if (topic == null) {
          refused = Errors.UNKNOWN_TOPIC_ID;
        }
      } catch (BrokerException e) {
        refused = errors.errorOf(e, "Fetch");
      }
      for (FetchPartition p : t.partitions()) {
        PartitionData answer = unanswered(p.partition());
        topicAnswer.partitions().add(answer);
        if (refused != Errors.NONE) {
          answer.setErrorCode(refused.code());
        } else if (!topics.covering(topic, p.partition()).hasPartition(p.partition())) {
          answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        } else {
          fetches.add(new BatchFetch(
              new PartitionKey(topic.id(), p.partition()),
              p.fetchOffset(),
              Math.max(0, p.partitionMaxBytes())));
          fetched.add(answer);
        }
      }
    }
    if (!fetches.isEmpty()) {
      long maxBytes = Math.clamp(request.data().maxBytes(), 0, BROKER_FETCH_MAX_BYTES);
      Optional<PartitionLog.BudgetedFetch> read = log.fetchBatches(
          fetches,
          maxBytes,
          Math.max(0, request.data().minBytes()),
          Duration.ofMillis(Math.clamp(request.data().maxWaitMs(), 0, MAX_WAIT_MS)),
          memory);
      if (read.isEmpty()) {
        // The node's fetch memory is taken (ROWSTREAM_MAX_FETCH_BYTES_IN_FLIGHT) at the moment of
        // a read: answered with nothing read, and the client waits the throttle time before it
        // fetches again.
        return new FetchResponseData()
            .setErrorCode(Errors.NONE.code())
            .setSessionId(0)
            .setThrottleTimeMs(MEMORY_THROTTLE_MS);
      }
      // The memory is held while the batches are read and until the response holding them is
      // written (its encoded copy is within the budget's two bytes of heap per byte read,
      // FetchMemoryBudget.HEAP_PER_FETCHED_BYTE); a fetch waiting for records holds none.
      read.get().reservation().ifPresent(session::holdUntilResponseSent);
      List<BatchRead> reads = read.get().reads();
      for (int i = 0; i < reads.size(); i++) {
        answer(fetched.get(i), reads.get(i), readCommitted);
      }
    }
    return response;
  }

  /**
   * The topic a fetch names: by id from v13 (null when no topic has it: UNKNOWN_TOPIC_ID), else by
   * name; one the caller may not READ is refused (TOPIC_AUTHORIZATION_FAILED) before it is looked
   * up by name, so that a refusal does not tell whether it exists.
   */
  private Topic topic(FetchTopic t, short version, Caller caller) {
    if (version >= TOPIC_ID_VERSION) {
      Optional<Topic> topic = ids.find(t.topicId());
      topic.ifPresent(found -> caller.requireRead(found.name()));
      return topic.orElse(null);
    }
    caller.requireRead(t.topic());
    return topics.require(t.topic());
  }

  private static PartitionData unanswered(int partition) {
    return new PartitionData()
        .setPartitionIndex(partition)
        .setHighWatermark(-1)
        .setLastStableOffset(-1)
        .setLogStartOffset(-1)
        .setRecords(MemoryRecords.EMPTY);
  }

  private void answer(PartitionData answer, BatchRead read, boolean readCommitted) {
    if (read.error() != null) {
      answer.setErrorCode(errors.errorOf(read.error(), "Fetch").code());
      return;
    }
    StoredBatches batches = read.batches();
    answer
        .setErrorCode(Errors.NONE.code())
        .setHighWatermark(batches.logEndOffset())
        .setLastStableOffset(batches.logEndOffset())
        .setLogStartOffset(batches.logStartOffset())
        .setAbortedTransactions(readCommitted ? new ArrayList<>() : null)
        .setRecords(
            batches.batchCount() == 0
                ? MemoryRecords.EMPTY
                : MemoryRecords.readableRecords(ByteBuffer.wrap(batches.records())));
  }
}
