package io.rowstream.log;

import io.rowstream.error.BrokerError;
import io.rowstream.error.BrokerException;
import io.rowstream.log.ChunkStore.ChunkRead;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads committed records of one partition from an offset: the partition's range and whole
 * chunks, by one call of {@code read_chunks} over one snapshot ({@link ChunkStore#read}), sliced in
 * memory. Its cost follows what it returns, not the size of the partition: this runs on every fetch
 * that the node's {@link LogTails} cannot answer.
 */
public final class ChunkReader {
  /** At most this many chunks per read, however small they are. */
  static final int MAX_CHUNKS_PER_READ = 10_000;

  private final ChunkStore store;

  public ChunkReader(ChunkStore store) {
    this.store = store;
  }

  /**
   * The partition's range and the whole chunks from the one that holds {@code from}, while the bytes
   * before each are under {@code maxBytes} (at least one when there is any), over one snapshot: what
   * {@link #records} and {@link #slice} cut to a fetch's limits. PARTITION_NOT_FOUND when the
   * partition does not exist. Never returns uncommitted chunks.
   */
  public ChunkRead chunks(PartitionKey key, long from, long maxBytes) {
    return store.read(key, from, maxBytes, MAX_CHUNKS_PER_READ).orElseThrow(ChunkReader::gone);
  }

  /**
   * The records of {@code read} from {@code from} in offset order, up to about {@code maxBytes} of
   * keys, values and headers but at least one record when there is any, with the range they were
   * read in.
   */
  public static FetchResult records(ChunkRead read, long from, long maxBytes) {
    List<StoredRecord> out = new ArrayList<>();
    long budget = maxBytes;
    for (byte[] batch : read.batches()) {
      for (StoredRecord r : RecordBatchCodec.decode(batch, from)) {
        long size = sizeOf(r.record());
        if (!out.isEmpty() && size > budget) {
          return new FetchResult(out, read.logStartOffset(), read.logEndOffset());
        }
        out.add(r);
        budget -= size;
      }
    }
    return new FetchResult(out, read.logStartOffset(), read.logEndOffset());
  }

  /**
   * What {@link #chunks} must read for {@link #slice} to cut the stored batches from the one that
   * holds {@code from} to {@code maxBytes}: with {@code minOneBatch}, at least one chunk
   * (read_chunks returns a chunk while the bytes before it are under the budget: 1 byte is one).
   */
  public static long chunkBytes(long maxBytes, boolean minOneBatch) {
    return Math.max(maxBytes, minOneBatch ? 1 : 0);
  }

  /**
   * The chunks of many partitions, each from its offset within its own limit, in one statement
   * ({@link ChunkStore#readAll}); {@link #slice} cuts each to what {@link #readBatches} would have
   * returned with a smaller limit. Empty for a partition that does not exist.
   */
  public List<Optional<ChunkRead>> readAll(List<BatchFetch> fetches) {
    return store.readAll(
        fetches.stream()
            .map(f -> new ChunkStore.ReadRequest(f.key(), f.offset(), Math.max(f.maxBytes(), 1)))
            .toList(),
        MAX_CHUNKS_PER_READ);
  }

  /**
   * The stored batches of a read from the first (whole, as Kafka returns it), byte for byte, while
   * their total stays within {@code maxBytes}; with {@code minOneBatch} the first whatever its size
   * (Kafka's KIP-74 rule, so that a consumer gets past a batch larger than its limit).
   */
  public static StoredBatches slice(ChunkRead read, long maxBytes, boolean minOneBatch) {
    long total = 0;
    int count = 0;
    for (byte[] batch : read.batches()) {
      if (total + batch.length > maxBytes && !(count == 0 && minOneBatch)) {
        break;
      }
      total += batch.length;
      count++;
    }
    byte[] records = new byte[(int) total];
    int at = 0;
    for (byte[] batch : read.batches().subList(0, count)) {
      System.arraycopy(batch, 0, records, at, batch.length);
      at += batch.length;
    }
    return new StoredBatches(records, count, read.logStartOffset(), read.logEndOffset());
  }

  static BrokerException gone() {
    return new BrokerException(BrokerError.PARTITION_NOT_FOUND, "Partition no longer exists.");
  }

  /**
   * The committed ranges of these partitions, in one statement ({@link ChunkStore#ranges}): a
   * fetch of many partitions reads first which of them have anything from its offsets on.
   */
  public Map<PartitionKey, ChunkStore.LogRange> ranges(Collection<PartitionKey> keys) {
    return store.ranges(keys);
  }

  /** The bytes a record counts for against a fetch's {@code max_bytes}: key, value and headers. */
  public static long sizeOf(LogRecord r) {
    long size = (r.key() == null ? 0 : r.key().length) + (r.value() == null ? 0 : r.value().length);
    for (LogRecord.Header h : r.headers()) {
      size += h.name().length() + (h.value() == null ? 0 : h.value().length);
    }
    return size;
  }
}
