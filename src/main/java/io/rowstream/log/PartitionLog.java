package io.rowstream.log;

import io.rowstream.db.Tx;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.topic.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The log of every partition as this node sees it: appends that wake waiting fetchers (here at
 * once, on other nodes through a coalesced notification), and fetches that long-poll.
 */
public final class PartitionLog {
  private final PartitionAppender appender;
  private final ChunkReader reader;
  private final LogSignals signals;
  private final LogAppendNotifier notifier;
  private final LongPoll longPoll;
  private final GroupCommit groupCommit;

  public PartitionLog(
      PartitionAppender appender,
      ChunkReader reader,
      LogSignals signals,
      LogAppendNotifier notifier,
      LongPoll longPoll,
      Clock clock) {
    this.appender = appender;
    this.reader = reader;
    this.signals = signals;
    this.notifier = notifier;
    this.longPoll = longPoll;
    this.groupCommit = new GroupCommit(appender, clock);
  }

  /**
   * Appends each partition's records as consecutive batches (chunks) of at most the topic's
   * max.message.bytes each, then wakes fetchers of those partitions. A request for one
   * partition goes through group commit; one spanning several commits them all in one transaction.
   */
  public List<AppendResult> append(
      Topic topic, SortedMap<Integer, List<LogRecord>> recordsByPartition) {
    return append(topic, recordsByPartition, null);
  }

  /**
   * As {@link #append(Topic, SortedMap)}, for an idempotent producer's request when {@code producer}
   * is not null: such a request goes to one partition, as a Kafka producer batch does.
   */
  public List<AppendResult> append(
      Topic topic, SortedMap<Integer, List<LogRecord>> recordsByPartition, ProducerBatch producer) {
    if (producer != null && recordsByPartition.size() != 1) {
      throw new IllegalStateException(
          "an idempotent append to " + recordsByPartition.size() + " partitions indicates a bug");
    }
    List<AppendResult> results = recordsByPartition.size() == 1
        ? List.of(appendOne(
            topic,
            recordsByPartition.firstKey(),
            recordsByPartition.get(recordsByPartition.firstKey()),
            producer))
        : appender.append(topic, recordsByPartition);
    return signalled(topic, results);
  }

  /**
   * Appends a client's batch to one partition as one chunk, stored as sent (see {@link
   * ClientBatch}), through group commit, then wakes fetchers of the partition. An idempotent
   * producer's batch ({@code batch.producer()}) is de-duplicated and checked as any other.
   */
  public AppendResult appendBatch(Topic topic, int partition, ClientBatch batch) {
    return signalled(topic, List.of(groupCommit.append(topic, partition, batch)))
        .getFirst();
  }

  /**
   * Appends records as exactly one chunk encoded as the topic stores them (a client's batch that
   * the topic's compression.type asks to compress otherwise), through group commit; refused with
   * RECORD_TOO_LARGE when the encoded batch exceeds max.message.bytes.
   */
  public AppendResult appendAsOneBatch(
      Topic topic, int partition, List<LogRecord> records, ProducerBatch producer) {
    return signalled(
            topic, List.of(groupCommit.append(topic, partition, List.of(records), producer)))
        .getFirst();
  }

  /**
   * Appends, per partition, the records its take hands over, piece after piece until it hands over
   * none, all in the one transaction where the takes recorded them as taken (see
   * {@link PartitionAppender#appendTaken}), then wakes fetchers of the partitions; answers the
   * partitions that had records.
   */
  public List<AppendResult> appendTaken(
      Topic topic, SortedMap<Integer, Function<Tx, List<LogRecord>>> takes) {
    return signalled(topic, appender.appendTaken(topic, takes));
  }

  /**
   * Wakes this node's fetchers of the partitions appended to, all of them signalled at once (a
   * fetcher woken by the first reads them all), and tells the other nodes.
   */
  private List<AppendResult> signalled(Topic topic, List<AppendResult> results) {
    List<PartitionKey> keys =
        results.stream().map(r -> new PartitionKey(topic.id(), r.partition())).toList();
    signals.signal(keys);
    keys.forEach(notifier::appended);
    return results;
  }

  /**
   * One partition's records, in as many batches as max.message.bytes asks. An idempotent
   * producer's request that needs several batches is appended in a transaction of its own, so that
   * its batches are checked and written all or none; any other goes through group commit.
   */
  private AppendResult appendOne(
      Topic topic, int partition, List<LogRecord> records, ProducerBatch producer) {
    List<List<LogRecord>> batches = RecordBatchWriter.split(records, topic.maxMessageBytes());
    if (producer != null && batches.size() > 1) {
      return appender.appendIdempotent(topic, partition, batches, producer);
    }
    return groupCommit.append(topic, partition, batches, producer);
  }

  /**
   * Records from {@code offset}, waiting up to {@code timeout} when there are none yet. An offset
   * below the log start or above the log end is OFFSET_OUT_OF_RANGE; the log end itself waits.
   */
  public FetchResult fetch(
      Topic topic, int partition, long offset, long maxBytes, Duration timeout) {
    return pollOne(
        topic,
        partition,
        timeout,
        key -> signals
            .ends()
            .atEnd(key, offset)
            .map(end -> new FetchResult(List.of(), end.logStartOffset(), end.logEndOffset()))
            .orElseGet(() -> signals.ends().read(key, () -> readOnce(key, offset, maxBytes))),
        r -> !r.records().isEmpty());
  }

  /** Reads one partition until a read is {@code ready} or the timeout passed. */
  private <T> T pollOne(
      Topic topic,
      int partition,
      Duration timeout,
      Function<PartitionKey, T> read,
      Predicate<T> ready) {
    PartitionKey key = new PartitionKey(topic.id(), partition);
    return longPoll.poll(List.of(key), timeout, () -> read.apply(key), ready);
  }

  /** One read without waiting; throws OFFSET_OUT_OF_RANGE outside [log start, log end]. */
  public FetchResult readOnce(PartitionKey key, long offset, long maxBytes) {
    FetchResult read = reader.read(key, offset, maxBytes);
    requireInRange(offset, read.logStartOffset(), read.logEndOffset());
    return read;
  }

  /**
   * Stored batches from the one holding {@code offset}, byte for byte, up to {@code maxBytes} but at
   * least one batch when there is one, waiting up to {@code timeout} while there is none yet; with
   * the log start and end the read saw. OFFSET_OUT_OF_RANGE outside [log start, log end]; the log
   * end itself waits.
   */
  public StoredBatches fetchBatches(
      Topic topic, int partition, long offset, long maxBytes, Duration timeout) {
    return pollOne(
        topic,
        partition,
        timeout,
        key -> signals
            .ends()
            .atEnd(key, offset)
            .orElseGet(
                () -> signals.ends().read(key, () -> readBatches(key, offset, maxBytes, true))),
        r -> r.batchCount() > 0);
  }

  /**
   * A fetch of many partitions with one wait, as Kafka's Fetch: each partition read as {@link
   * #readBatches} from its offset within its own limit and within what is left of {@code maxBytes}
   * for the whole fetch (the first batch returned is returned whatever its size, later partitions
   * only within the limits); repeated on a wake-up for any of the partitions until {@code minBytes}
   * have been read, a partition failed, or {@code maxWait} passed. A partition that cannot be read
   * fails alone ({@link BatchRead#error()}). Results in the order asked.
   */
  public List<BatchRead> fetchBatches(
      List<BatchFetch> fetches, long maxBytes, long minBytes, Duration maxWait) {
    List<PartitionKey> keys = fetches.stream().map(BatchFetch::key).distinct().toList();
    return longPoll.poll(
        keys, maxWait, () -> readBatches(fetches, maxBytes), reads -> enough(reads, minBytes));
  }

  /**
   * {@link #fetchBatches(List, long, long, Duration)} that takes its heap from {@code memory} for
   * each read, not for the wait: an attempt reserves what it may read ({@code maxBytes}, or the sum
   * of the partitions' own limits when that is less: a consumer of a few partitions asks for 50 MiB
   * by default and can be answered 1 MiB a partition), reads, and gives the bytes
   * back at once when what it read is not yet {@code minBytes}, so fetches waiting on idle
   * partitions hold nothing. Empty when the memory is taken at the moment of a read (the caller
   * throttles); else the reads, with the reservation that covers them until their response is
   * written (none for a read at the deadline that stayed under {@code minBytes}, which holds less
   * than that).
   */
  public Optional<BudgetedFetch> fetchBatches(
      List<BatchFetch> fetches,
      long maxBytes,
      long minBytes,
      Duration maxWait,
      FetchMemoryBudget memory) {
    List<PartitionKey> keys = fetches.stream().map(BatchFetch::key).distinct().toList();
    Optional<BudgetedFetch> throttled = Optional.empty();
    long readable = Math.min(maxBytes, partitionsMaxBytes(fetches));
    return longPoll.poll(
        keys,
        maxWait,
        () -> {
          Optional<FetchMemoryBudget.Reservation> reserved = memory.tryReserve(readable);
          if (reserved.isEmpty()) {
            return throttled;
          }
          FetchMemoryBudget.Reservation held = reserved.get();
          List<BatchRead> reads;
          try {
            reads = readBatches(fetches, Math.min(readable, held.bytes()));
          } catch (RuntimeException e) {
            held.close();
            throw e;
          }
          if (enough(reads, minBytes)) {
            return Optional.of(new BudgetedFetch(reads, Optional.of(held)));
          }
          held.close();
          return Optional.of(new BudgetedFetch(reads, Optional.empty()));
        },
        fetched -> fetched.isEmpty() || enough(fetched.get().reads(), minBytes));
  }

  /** Reads of a fetch, and the fetch memory that covers them until their response is written. */
  public record BudgetedFetch(
      List<BatchRead> reads, Optional<FetchMemoryBudget.Reservation> reservation) {}

  private static boolean enough(List<BatchRead> reads, long minBytes) {
    return reads.stream().anyMatch(r -> r.error() != null)
        || reads.stream().mapToLong(BatchRead::sizeBytes).sum() >= minBytes;
  }

  /**
   * The reads of a fetch. When every partition's own limit fits in the fetch's, all of them in one
   * statement, each cut to the limit it has once the partitions before it took theirs. Else one
   * read after the other, after the ranges of all of them in one statement: a fetch wakes when one
   * of its partitions grew, and the others are mostly read to their end, answered from their range
   * (no records, the log start and high watermark) without a read each. A partition that is not
   * there, or an offset outside its range, fails alone. A partition fetched from the end this node
   * last read of it, with no signal since, is answered from what it read ({@link KnownLogEnds}):
   * a fetch at the end of every partition it asks for reads nothing until one of them grows.
   */
  private List<BatchRead> readBatches(List<BatchFetch> fetches, long maxBytes) {
    KnownLogEnds ends = signals.ends();
    long stamp = ends.stamp();
    List<StoredBatches> atEnd = new ArrayList<>(fetches.size());
    List<BatchFetch> toRead = new ArrayList<>(fetches.size());
    for (BatchFetch f : fetches) {
      StoredBatches known = ends.atEnd(f.key(), f.offset()).orElse(null);
      atEnd.add(known);
      if (known == null) {
        toRead.add(f);
      }
    }
    PartitionRead read = toRead.isEmpty()
        ? null
        : toRead.size() > 1 && partitionsMaxBytes(toRead) <= maxBytes
            ? together(toRead)
            : oneByOne(toRead);
    List<BatchRead> reads = new ArrayList<>(fetches.size());
    long used = 0;
    int next = 0;
    for (int i = 0; i < fetches.size(); i++) {
      BatchFetch f = fetches.get(i);
      if (atEnd.get(i) != null) {
        reads.add(BatchRead.of(f, atEnd.get(i)));
        continue;
      }
      long limit = Math.max(0, Math.min(f.maxBytes(), maxBytes - used));
      try {
        StoredBatches batches = read.read(next++, f, limit, used == 0);
        used += batches.sizeBytes();
        reads.add(BatchRead.of(f, batches));
        ends.learned(f.key(), stamp, batches.logStartOffset(), batches.logEndOffset());
      } catch (BrokerException e) {
        reads.add(BatchRead.failed(f, e));
      }
    }
    return reads;
  }

  /** How a fetch reads its {@code i}th partition within {@code limit}. */
  @FunctionalInterface
  private interface PartitionRead {
    StoredBatches read(int i, BatchFetch f, long limit, boolean minOneBatch);
  }

  /** Every partition read in one statement, then each cut to its limit. */
  private PartitionRead together(List<BatchFetch> fetches) {
    List<Optional<ChunkStore.ChunkRead>> read = reader.readAll(fetches);
    return (i, f, limit, minOneBatch) -> {
      ChunkStore.ChunkRead chunks = read.get(i).orElseThrow(ChunkReader::gone);
      requireInRange(f.offset(), chunks.logStartOffset(), chunks.logEndOffset());
      return ChunkReader.slice(chunks, limit, minOneBatch);
    };
  }

  /** The ranges in one statement (a fetch of several), then a read of each partition not at its end. */
  private PartitionRead oneByOne(List<BatchFetch> fetches) {
    Map<PartitionKey, ChunkStore.LogRange> ranges = fetches.size() == 1
        ? Map.of()
        : reader.ranges(fetches.stream().map(BatchFetch::key).distinct().toList());
    return (i, f, limit, minOneBatch) -> {
      ChunkStore.LogRange range = ranges.get(f.key());
      return range != null && range.logEndOffset() == f.offset()
          ? new StoredBatches(new byte[0], 0, range.logStartOffset(), range.logEndOffset())
          : readBatches(f.key(), f.offset(), limit, minOneBatch);
    };
  }

  /** What the partitions of a fetch may return together by their own limits (1 byte at least each). */
  private static long partitionsMaxBytes(List<BatchFetch> fetches) {
    return fetches.stream().mapToLong(f -> Math.max(f.maxBytes(), 1)).sum();
  }

  /**
   * One read of stored batches without waiting (see {@link ChunkReader#readBatches}); throws
   * OFFSET_OUT_OF_RANGE outside [log start, log end].
   */
  public StoredBatches readBatches(
      PartitionKey key, long offset, long maxBytes, boolean minOneBatch) {
    StoredBatches read = reader.readBatches(key, offset, maxBytes, minOneBatch);
    requireInRange(offset, read.logStartOffset(), read.logEndOffset());
    return read;
  }

  private static void requireInRange(long offset, long logStart, long logEnd) {
    if (offset < logStart || offset > logEnd) {
      throw new BrokerException(
          BrokerError.OFFSET_OUT_OF_RANGE,
          "Offset " + offset + " is out of range: the partition holds offsets " + logStart + " to "
              + logEnd + " (exclusive end).");
    }
  }

  /** Fetchers waiting on this node right now. */
  public int waiting() {
    return signals.waiting();
  }

  public LongPoll longPoll() {
    return longPoll;
  }
}
