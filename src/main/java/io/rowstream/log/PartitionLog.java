package io.rowstream.log;

import io.rowstream.db.Tx;
import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.topic.Topic;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

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
    return signalled(
        topic,
        recordsByPartition.keySet(),
        () -> recordsByPartition.size() == 1
            ? List.of(appendOne(
                topic,
                recordsByPartition.firstKey(),
                recordsByPartition.get(recordsByPartition.firstKey()),
                producer))
            : appender.append(topic, recordsByPartition));
  }

  /**
   * Appends a client's batch to one partition as one chunk, stored as sent (see {@link
   * ClientBatch}), through group commit, then wakes fetchers of the partition. An idempotent
   * producer's batch ({@code batch.producer()}) is de-duplicated and checked as any other.
   */
  public AppendResult appendBatch(Topic topic, int partition, ClientBatch batch) {
    return signalled(
            topic, List.of(partition), () -> List.of(groupCommit.append(topic, partition, batch)))
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
            topic,
            List.of(partition),
            () -> List.of(groupCommit.append(topic, partition, List.of(records), producer)))
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
    return signalled(topic, takes.keySet(), () -> appender.appendTaken(topic, takes));
  }

  /**
   * Runs an append to some of a topic's partitions, then extends their tails on this node by what
   * it appended and wakes their fetchers, all of them at once (a fetcher woken by the first reads
   * them all), and tells the other nodes. An append that failed in the database for no reason of
   * its own (a lost connection, an unexpected error) may have committed all the same, its commit's
   * answer lost: its partitions are then {@link #changed}. One refused for what it holds, or its
   * leader epoch, wrote nothing.
   */
  private List<AppendResult> signalled(
      Topic topic, Collection<Integer> partitions, Supplier<List<AppendResult>> append) {
    List<AppendResult> results;
    try {
      results = append.get();
    } catch (RuntimeException e) {
      if (!(e instanceof BrokerException refused)
          || refused.error() == BrokerError.RETRIABLE
          || refused.error() == BrokerError.INTERNAL) {
        partitions.forEach(p -> changed(new PartitionKey(topic.id(), p)));
      }
      throw e;
    }
    signals.appended(topic.id(), results);
    results.forEach(r -> notifier.appended(new PartitionKey(topic.id(), r.partition())));
    return results;
  }

  /**
   * The partition's stored records changed other than by an append on this node (retention moved
   * its log start, compaction rewrote segments of it): what this node knows of its tail is
   * forgotten, its fetchers woken, and the other nodes told, as after an append.
   */
  public void changed(PartitionKey key) {
    signals.signal(List.of(key));
    notifier.appended(key);
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
        key -> readOnce(key, offset, maxBytes),
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

  /**
   * One read without waiting (see {@link ChunkReader#records}); throws OFFSET_OUT_OF_RANGE outside
   * [log start, log end].
   */
  public FetchResult readOnce(PartitionKey key, long offset, long maxBytes) {
    ChunkStore.ChunkRead chunks = chunks(key, offset, maxBytes);
    requireInRange(offset, chunks.logStartOffset(), chunks.logEndOffset());
    return ChunkReader.records(chunks, offset, maxBytes);
  }

  /**
   * A partition's chunks from the one holding {@code offset}: from its tail on this node when that
   * holds them ({@link LogTails}), else read within {@code maxBytes} (and what the read saw kept).
   */
  private ChunkStore.ChunkRead chunks(PartitionKey key, long offset, long maxBytes) {
    LogTails tails = signals.tails();
    return tails
        .read(key, offset)
        .orElseGet(() -> tails.read(key, () -> reader.chunks(key, offset, maxBytes)));
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
        key -> readBatches(key, offset, maxBytes, true),
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
   * there, or an offset outside its range, fails alone. A partition whose tail this node holds from
   * the offset asked ({@link LogTails}) is answered from it: a fetch at the end of every partition
   * it asks for reads nothing until one of them grows, and one woken by an append on this node
   * reads nothing either.
   */
  private List<BatchRead> readBatches(List<BatchFetch> fetches, long maxBytes) {
    LogTails tails = signals.tails();
    long stamp = tails.stamp();
    List<ChunkStore.ChunkRead> inMemory = new ArrayList<>(fetches.size());
    List<BatchFetch> toRead = new ArrayList<>(fetches.size());
    for (BatchFetch f : fetches) {
      ChunkStore.ChunkRead known = tails.read(f.key(), f.offset()).orElse(null);
      inMemory.add(known);
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
      long limit = Math.max(0, Math.min(f.maxBytes(), maxBytes - used));
      try {
        ChunkStore.ChunkRead chunks = inMemory.get(i);
        if (chunks == null) {
          chunks = read.read(next++, f, limit, used == 0);
          tails.learned(f.key(), stamp, chunks);
        }
        requireInRange(f.offset(), chunks.logStartOffset(), chunks.logEndOffset());
        StoredBatches batches = ChunkReader.slice(chunks, limit, used == 0);
        used += batches.sizeBytes();
        reads.add(BatchRead.of(f, batches));
      } catch (BrokerException e) {
        reads.add(BatchRead.failed(f, e));
      }
    }
    return reads;
  }

  /**
   * How a fetch reads its {@code i}th partition: at least the chunks that {@code limit} lets it
   * return (the caller cuts them to it).
   */
  @FunctionalInterface
  private interface PartitionRead {
    ChunkStore.ChunkRead read(int i, BatchFetch f, long limit, boolean minOneBatch);
  }

  /** Every partition read in one statement, each within its own limit. */
  private PartitionRead together(List<BatchFetch> fetches) {
    List<Optional<ChunkStore.ChunkRead>> read = reader.readAll(fetches);
    return (i, f, limit, minOneBatch) -> read.get(i).orElseThrow(ChunkReader::gone);
  }

  /** The ranges in one statement (a fetch of several), then a read of each partition not at its end. */
  private PartitionRead oneByOne(List<BatchFetch> fetches) {
    Map<PartitionKey, ChunkStore.LogRange> ranges = fetches.size() == 1
        ? Map.of()
        : reader.ranges(fetches.stream().map(BatchFetch::key).distinct().toList());
    return (i, f, limit, minOneBatch) -> {
      ChunkStore.LogRange range = ranges.get(f.key());
      return range != null && range.logEndOffset() == f.offset()
          ? new ChunkStore.ChunkRead(range.logStartOffset(), range.logEndOffset(), List.of())
          : reader.chunks(f.key(), f.offset(), ChunkReader.chunkBytes(limit, minOneBatch));
    };
  }

  /** What the partitions of a fetch may return together by their own limits (1 byte at least each). */
  private static long partitionsMaxBytes(List<BatchFetch> fetches) {
    return fetches.stream().mapToLong(f -> Math.max(f.maxBytes(), 1)).sum();
  }

  /**
   * One read of stored batches without waiting (see {@link ChunkReader#slice}); throws
   * OFFSET_OUT_OF_RANGE outside [log start, log end].
   */
  public StoredBatches readBatches(
      PartitionKey key, long offset, long maxBytes, boolean minOneBatch) {
    ChunkStore.ChunkRead chunks =
        chunks(key, offset, ChunkReader.chunkBytes(maxBytes, minOneBatch));
    requireInRange(offset, chunks.logStartOffset(), chunks.logEndOffset());
    return ChunkReader.slice(chunks, maxBytes, minOneBatch);
  }

  private static void requireInRange(long offset, long logStart, long logEnd) {
    if (offset < logStart || offset > logEnd) {
      throw new BrokerException(
          BrokerError.OFFSET_OUT_OF_RANGE,
          "Offset " + offset + " is out of range: the partition holds offsets " + logStart + " to "
              + logEnd + " (exclusive end).");
    }
  }

  /** Partition reads of fetches that this node answered from its tails so far ({@link LogTails}). */
  public long partitionReadsFromTail() {
    return signals.tails().answered();
  }

  /** Partition reads of fetches that this node read from the database so far. */
  public long partitionReadsFromDatabase() {
    return signals.tails().missed();
  }

  /** Fetchers waiting on this node right now. */
  public int waiting() {
    return signals.waiting();
  }

  public LongPoll longPoll() {
    return longPoll;
  }
}
