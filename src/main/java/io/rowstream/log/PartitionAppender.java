package io.rowstream.log;

import io.rowstream.db.SqlErrors;
import io.rowstream.db.Tx;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.ChunkStore.AppendOutcome;
import io.rowstream.log.ChunkStore.AppendedChunk;
import io.rowstream.log.ChunkStore.ChunkAppend;
import io.rowstream.topic.Topic;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Appends chunks to partitions through {@code append_chunks} ({@code sql/R__log_functions.sql},
 * called by the {@link ChunkStore}), which locks the partition row, takes each chunk's offsets from
 * its log end offset and moves it: offsets are contiguous, never reused, and become visible in
 * offset order because the row lock orders the commits. One statement per partition, one round
 * trip: this is the hottest statement of the broker. Each append carries the leader epoch this node
 * knows for the partition, and the function refuses it when the epoch moved on; the check costs no
 * extra round trip. This class decides what is appended together and in which transaction, and what
 * each chunk's outcome means for the request.
 */
public final class PartitionAppender {

  /** What became of one chunk: appended (or found already appended: a duplicate), or refused alone. */
  record Outcome(AppendResult appended, boolean duplicate, BrokerException refused) {}

  /** Idempotent sequences wrap to 0 after Integer.MAX_VALUE, as in Kafka. */
  private static final long SEQUENCE_WRAP = 1L << 31;

  private final ChunkStore store;
  private final Clock clock;
  private final LeaderEpochs epochs;
  /** Partitions seen with an active segment, so multi-partition appends skip opening them. */
  private final java.util.Set<PartitionKey> withSegment =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Appends under the leader epochs {@code epochs} gives; the database refuses stale ones. */
  public PartitionAppender(ChunkStore store, Clock clock, LeaderEpochs epochs) {
    this.store = store;
    this.clock = clock;
    this.epochs = epochs;
  }

  /**
   * Appends each partition's records as consecutive chunks (batches within the topic's
   * max.message.bytes), all partitions in one transaction (rows locked in partition order, so
   * concurrent requests cannot deadlock); all or nothing.
   */
  public List<AppendResult> append(
      Topic topic, SortedMap<Integer, List<LogRecord>> recordsByPartition) {
    long appendTime = clock.millis();
    List<List<EncodedChunk>> chunks = new ArrayList<>(recordsByPartition.size());
    for (Map.Entry<Integer, List<LogRecord>> e : recordsByPartition.entrySet()) {
      chunks.add(encode(
          topic,
          e.getKey(),
          RecordBatchWriter.split(e.getValue(), topic.maxMessageBytes()),
          appendTime));
    }
    // Epochs are looked up before a connection is taken: a cache miss reads them through the pool.
    List<Integer> epochsOf =
        recordsByPartition.keySet().stream().map(p -> epochOf(topic, p)).toList();
    Supplier<List<AppendResult>> attempt = () -> fencing(
        topic,
        recordsByPartition.keySet(),
        () -> store.inTransaction(appends -> {
          List<ChunkAppend> each = new ArrayList<>(chunks.size());
          int i = 0;
          for (int partition : recordsByPartition.keySet()) {
            each.add(chunkAppend(topic, partition, epochsOf.get(i), chunks.get(i), null));
            i++;
          }
          List<List<AppendedChunk>> appended = appends.appendAll(each);
          List<AppendResult> results = new ArrayList<>(each.size());
          for (int k = 0; k < each.size(); k++) {
            results.add(spanning(outcomes(topic, each.get(k), appended.get(k), appendTime)));
          }
          return results;
        }));
    try {
      return attempt.get();
    } catch (BrokerException e) {
      if (!SqlErrors.isDeadlock(e)) {
        throw e;
      }
      // Rolled back whole: once more, its partitions' segments opened first (see openSegments).
      return attempt.get();
    }
  }

  /**
   * Before an append: gives each partition not known to have an active segment its segment and
   * table, each in a short transaction of its own ({@link ChunkStore#ensureActiveSegment}). Created
   * inside the append's transaction, the table's attach lock on {@code chunk} (held until commit)
   * could wait in a cycle: a transaction appending to several partitions holds it while it waits
   * for the next partition's row, which another partition's first append holds while it waits for
   * that lock (a deadlock, seen). A partition seen with a segment is remembered, so this costs a
   * set lookup per append. Retention may later leave it without one (it rolls an expired active
   * segment and opens none), and then the append opens it itself, inside its transaction: an append
   * that fails for a reason a retry may cure forgets its partitions ({@link #fencing}), so the next
   * attempt opens them here, and a request to several partitions that lost a deadlock tries once
   * more at once ({@link #append}).
   */
  private void openSegments(Topic topic, Iterable<Integer> partitions) {
    for (int partition : partitions) {
      PartitionKey key = new PartitionKey(topic.id(), partition);
      if (!withSegment.contains(key) && store.ensureActiveSegment(key)) {
        withSegment.add(key);
      }
    }
  }

  /**
   * Appends an idempotent producer's request that needs several batches, in a transaction of its
   * own: batch i takes the sequences that follow batch i-1's, as a Kafka producer numbers the
   * batches it sends. Committed only when every batch was appended, or every one was a retry of an
   * earlier append of the same batches (then their original offsets are answered); otherwise rolled
   * back and refused, so the request is written whole or not at all.
   */
  AppendResult appendIdempotent(
      Topic topic, int partition, List<List<LogRecord>> batches, ProducerBatch producer) {
    long appendTime = clock.millis();
    List<EncodedChunk> chunks = encode(topic, partition, batches, appendTime);
    List<ProducerBatch> producers = new ArrayList<>(chunks.size());
    long sequence = producer.baseSequence();
    for (EncodedChunk chunk : chunks) {
      producers.add(
          new ProducerBatch(producer.producerId(), producer.producerEpoch(), (int) sequence));
      sequence = (sequence + chunk.recordCount()) % SEQUENCE_WRAP;
    }
    Integer epoch = epochOf(topic, partition);
    ChunkAppend append = chunkAppend(topic, partition, epoch, chunks, producers);
    return fencing(
        topic,
        List.of(partition),
        () -> store.inTransaction(appends -> {
          List<Outcome> outcomes = outcomes(topic, append, appends.append(append), appendTime);
          BrokerException refused = refusalOfWhole(outcomes, producer, topic, partition);
          if (refused != null) {
            throw refused; // rolled back: nothing of the request stays
          }
          return spanning(outcomes);
        }));
  }

  /**
   * Why a request's batches cannot be committed: the first batch refused, or batches found
   * already appended that are not one earlier request's consecutive batches (mixed with batches
   * appended now, or scattered: its sequences overlap earlier requests cut differently, which
   * Kafka refuses as out of order); null when all were appended or all were one retry.
   */
  private static BrokerException refusalOfWhole(
      List<Outcome> outcomes, ProducerBatch producer, Topic topic, int partition) {
    boolean duplicates = false;
    boolean appended = false;
    for (Outcome o : outcomes) {
      if (o.refused() != null) {
        return o.refused();
      }
      duplicates |= o.duplicate();
      appended |= !o.duplicate();
    }
    return duplicates && (appended || !contiguous(outcomes))
        ? refusal(AppendOutcome.OUT_OF_ORDER_SEQUENCE, producer, topic, partition)
        : null;
  }

  private static boolean contiguous(List<Outcome> outcomes) {
    for (int i = 1; i < outcomes.size(); i++) {
      if (outcomes.get(i).appended().baseOffset()
          != outcomes.get(i - 1).appended().lastOffset() + 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * One request's consecutive chunks as one result: its first offset to its last. The chunks
   * were appended (or found appended) one after another, so their offsets follow each other.
   */
  static AppendResult spanning(List<Outcome> outcomes) {
    AppendResult first = outcomes.getFirst().appended();
    AppendResult last = first;
    List<byte[]> stored =
        first.storedBatches() == null ? null : new ArrayList<>(first.storedBatches());
    for (Outcome o : outcomes.subList(1, outcomes.size())) {
      if (o.appended() == null || o.appended().baseOffset() != last.lastOffset() + 1) {
        throw new IllegalStateException(
            "batches of one request at offsets that do not follow each other ("
                + last.lastOffset() + ", then "
                + (o.appended() == null ? "refused" : o.appended().baseOffset())
                + "), which indicates a bug");
      }
      last = o.appended();
      if (stored != null && last.storedBatches() != null) {
        stored.addAll(last.storedBatches());
      } else {
        stored = null;
      }
    }
    return new AppendResult(
        first.partition(),
        first.baseOffset(),
        last.lastOffset(),
        first.appendTimeMs(),
        first.logStartOffset(),
        stored == null ? null : List.copyOf(stored));
  }

  /** The batches encoded as the topic stores them: its timestamp type and its compression. */
  private static List<EncodedChunk> encode(
      Topic topic, int partition, List<List<LogRecord>> batches, long appendTime) {
    List<EncodedChunk> chunks = new ArrayList<>(batches.size());
    for (List<LogRecord> batch : batches) {
      chunks.add(EncodedChunk.encode(topic, partition, batch, appendTime));
    }
    return chunks;
  }

  /**
   * Runs an append, after {@link #openSegments}; when the database refuses this node's leader
   * epoch, the node also forgets what it knew of the partitions' leadership.
   */
  private <T> T fencing(Topic topic, Iterable<Integer> partitions, Supplier<T> append) {
    openSegments(topic, partitions);
    try {
      return append.get();
    } catch (BrokerException e) {
      if (e.error() == BrokerError.FENCED_LEADER_EPOCH) {
        partitions.forEach(p -> epochs.stale(new PartitionKey(topic.id(), p)));
      }
      if (e.error() == BrokerError.RETRIABLE) {
        partitions.forEach(p -> withSegment.remove(new PartitionKey(topic.id(), p)));
      }
      throw e;
    }
  }

  /**
   * Appends, for each partition, as consecutive chunks (batches within the topic's
   * max.message.bytes), the records its {@code take} hands over, all partitions in one transaction
   * (in partition order, as {@link #append} locks them), the one in which the takes ran their
   * statements (they record what they hand over as taken): all commit, or none. Each take is called
   * again after each piece it hands over until it hands over none, so a take of any size is
   * appended contiguously while only the first pieces (which the takes bound together), then one
   * piece at a time, are in memory; the first pieces of all partitions are appended in one
   * statement. Answers the partitions that had records; records are not checked again: their
   * sender checked them.
   */
  public List<AppendResult> appendTaken(
      Topic topic, SortedMap<Integer, Function<Tx, List<LogRecord>>> takes) {
    List<Integer> epochsOf = takes.keySet().stream().map(p -> epochOf(topic, p)).toList();
    return fencing(
        topic,
        takes.keySet(),
        () -> store.inTransaction(appends -> {
          long appendTime = clock.millis();
          // Each take's first piece (the takes read them together), appended in one statement.
          List<Integer> partitions = new ArrayList<>(takes.keySet());
          List<Integer> taken = new ArrayList<>();
          List<ChunkAppend> firsts = new ArrayList<>();
          for (int i = 0; i < partitions.size(); i++) {
            List<LogRecord> piece = takes.get(partitions.get(i)).apply(appends.tx());
            if (!piece.isEmpty()) {
              taken.add(i);
              firsts.add(takenAppend(topic, partitions.get(i), epochsOf.get(i), piece, appendTime));
            }
          }
          List<List<AppendedChunk>> appended =
              firsts.isEmpty() ? List.of() : appends.appendAll(firsts);
          // Then a take's later pieces (a take larger than a piece), one after the other.
          List<AppendResult> results = new ArrayList<>(taken.size());
          for (int k = 0; k < taken.size(); k++) {
            int partition = partitions.get(taken.get(k));
            Function<Tx, List<LogRecord>> take = takes.get(partition);
            List<Outcome> outcomes =
                new ArrayList<>(outcomes(topic, firsts.get(k), appended.get(k), appendTime));
            for (List<LogRecord> piece = take.apply(appends.tx());
                !piece.isEmpty();
                piece = take.apply(appends.tx())) {
              ChunkAppend append =
                  takenAppend(topic, partition, epochsOf.get(taken.get(k)), piece, appendTime);
              outcomes.addAll(outcomes(topic, append, appends.append(append), appendTime));
            }
            results.add(spanning(outcomes));
          }
          return results;
        }));
  }

  private ChunkAppend takenAppend(
      Topic topic, int partition, Integer epoch, List<LogRecord> piece, long appendTime) {
    List<EncodedChunk> chunks = encode(
        topic, partition, RecordBatchWriter.split(piece, topic.maxMessageBytes()), appendTime);
    return chunkAppend(topic, partition, epoch, chunks, null);
  }

  /** As {@link #appendChunks(Topic, int, List, List, long)} for chunks of no idempotent producer. */
  public List<AppendResult> appendChunks(
      Topic topic, int partition, List<EncodedChunk> chunks, long appendTime) {
    return appendChunks(topic, partition, chunks, null, appendTime).stream()
        .map(Outcome::appended)
        .toList();
  }

  /**
   * Appends already encoded chunks to one partition in one statement and its commit (group
   * commit): contiguous offsets in the order given. {@code producers} (null, or one entry per
   * chunk, null for a plain chunk) are checked chunk by chunk: a duplicate answers its original
   * offsets, a refused chunk takes no offsets and leaves the others be.
   */
  List<Outcome> appendChunks(
      Topic topic,
      int partition,
      List<EncodedChunk> chunks,
      List<ProducerBatch> producers,
      long appendTime) {
    ChunkAppend append =
        chunkAppend(topic, partition, epochOf(topic, partition), chunks, producers);
    return fencing(
        topic, List.of(partition), () -> outcomes(topic, append, store.append(append), appendTime));
  }

  private Integer epochOf(Topic topic, int partition) {
    return epochs.epoch(new PartitionKey(topic.id(), partition));
  }

  private static ChunkAppend chunkAppend(
      Topic topic,
      int partition,
      Integer epoch,
      List<EncodedChunk> chunks,
      List<ProducerBatch> producers) {
    return new ChunkAppend(
        topic.id(), partition, epoch, topic.segmentBytes(), topic.segmentMs(), chunks, producers);
  }

  /** What the store's answer, chunk by chunk, means for the request. */
  private static List<Outcome> outcomes(
      Topic topic, ChunkAppend append, List<AppendedChunk> appended, long appendTime) {
    if (appended.isEmpty()) {
      throw BrokerException.partitionNotFound(topic.name(), append.partition());
    }
    List<Outcome> outcomes = new ArrayList<>(appended.size());
    for (int i = 0; i < appended.size(); i++) {
      AppendedChunk chunk = appended.get(i);
      long base = chunk.baseOffset();
      outcomes.add(
          switch (chunk.outcome()) {
            case APPENDED, DUPLICATE ->
              new Outcome(
                  new AppendResult(
                      append.partition(),
                      base,
                      base + append.chunks().get(i).recordCount() - 1,
                      appendTime,
                      chunk.logStartOffset(),
                      chunk.outcome() == AppendOutcome.APPENDED && append.leaderEpoch() != null
                          ? List.of(stored(append.chunks().get(i), base, append.leaderEpoch()))
                          : null),
                  chunk.outcome() == AppendOutcome.DUPLICATE,
                  null);
            case OUT_OF_ORDER_SEQUENCE, PRODUCER_FENCED, UNKNOWN_PRODUCER_ID ->
              new Outcome(
                  null,
                  false,
                  refusal(chunk.outcome(), append.producers().get(i), topic, append.partition()));
          });
    }
    return outcomes;
  }

  /**
   * A chunk as {@code append_chunks} stored it: its batch with the base offset (bytes 0..7) and the
   * partition's leader epoch (bytes 12..15) written in, which the append checked was {@code
   * leaderEpoch}.
   */
  private static byte[] stored(EncodedChunk chunk, long baseOffset, int leaderEpoch) {
    byte[] batch = chunk.batch().clone();
    ByteBuffer.wrap(batch).putLong(0, baseOffset).putInt(12, leaderEpoch);
    return batch;
  }

  private static BrokerException refusal(
      AppendOutcome outcome, ProducerBatch p, Topic topic, int partition) {
    String where = " (producer " + p.producerId() + ", epoch " + p.producerEpoch() + ", sequence "
        + p.baseSequence() + ", partition " + partition + " of topic " + topic.name()
        + "); nothing was written.";
    return switch (outcome) {
      case OUT_OF_ORDER_SEQUENCE ->
        new BrokerException(
            BrokerError.OUT_OF_ORDER_SEQUENCE,
            "Out of order sequence: the request does not follow the last one appended" + where);
      case PRODUCER_FENCED ->
        new BrokerException(
            BrokerError.PRODUCER_FENCED,
            "Producer fenced: a newer epoch of this producer id exists" + where);
      case UNKNOWN_PRODUCER_ID ->
        new BrokerException(
            BrokerError.UNKNOWN_PRODUCER_ID,
            "Unknown producer id: obtain one with POST /producers (Kafka: InitProducerId)" + where);
      case APPENDED, DUPLICATE ->
        throw new IllegalStateException("a refusal of an appended chunk indicates a bug");
    };
  }
}
