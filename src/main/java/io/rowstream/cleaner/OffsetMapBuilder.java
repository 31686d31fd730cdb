package io.rowstream.cleaner;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.CloseableIterator;

/**
 * Fills an {@link OffsetMap} from the dirty range of a log, one whole batch at a time: a batch goes
 * in only if all its new keys fit, so the map always describes a prefix of the range that ends at a
 * batch boundary. Keyless records are skipped (the cleaner drops them anyway).
 */
final class OffsetMapBuilder {
  private OffsetMapBuilder() {}

  /**
   * Clears {@code map}, fills it from {@code dirtyBatches} (in offset order, the first at or after
   * {@code dirtyStartOffset}) and returns the offset up to which it is complete: the next offset
   * after the last batch taken, or {@code dirtyStartOffset} when there is none. Stops reading at the
   * first batch that does not fit.
   *
   * @throws OffsetMapTooSmallException when even the first batch does not fit the empty map
   */
  static long fill(OffsetMap map, long dirtyStartOffset, Iterable<ByteBuffer> dirtyBatches) {
    map.clear();
    long end = dirtyStartOffset;
    boolean first = true;
    try (BufferSupplier buffers = BufferSupplier.create()) {
      for (ByteBuffer chunk : dirtyBatches) {
        MutableRecordBatch batch = StoredBatch.only(StoredBatch.open(chunk));
        if (batch.baseOffset() < end) {
          throw new IllegalArgumentException("the batch at offset " + batch.baseOffset()
              + " comes after the dirty range already reached offset " + end
              + ": batches must be in offset order");
        }
        Map<KeyDigest, Long> latest = latestPerKey(map, batch, buffers);
        int newKeys =
            (int) latest.keySet().stream().filter(d -> !map.contains(d)).count();
        if (map.size() + newKeys > map.capacity()) {
          if (first) {
            throw new OffsetMapTooSmallException(batch.baseOffset(), newKeys, map.capacity());
          }
          break;
        }
        latest.forEach((digest, offset) -> {
          if (!map.put(digest, offset)) {
            throw new IllegalStateException(
                "a key that was counted did not fit, which indicates a bug");
          }
        });
        end = batch.nextOffset();
        first = false;
      }
    }
    return end;
  }

  private static Map<KeyDigest, Long> latestPerKey(
      OffsetMap map, MutableRecordBatch batch, BufferSupplier buffers) {
    Map<KeyDigest, Long> latest = new LinkedHashMap<>();
    try (CloseableIterator<Record> records = batch.streamingIterator(buffers)) {
      while (records.hasNext()) {
        Record r = records.next();
        if (r.hasKey()) {
          latest.merge(map.digest(r.key()), r.offset(), Math::max);
        }
      }
    } catch (KafkaException e) {
      throw StoredBatch.unreadable(batch.baseOffset(), e);
    }
    return latest;
  }
}
