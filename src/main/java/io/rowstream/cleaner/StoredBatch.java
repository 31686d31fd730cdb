package io.rowstream.cleaner;

import java.nio.ByteBuffer;
import java.util.Iterator;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Opens a chunk's bytes as the one CRC-checked, plain (non-transactional) v2 batch the cleaner works on. */
final class StoredBatch {
  private StoredBatch() {}

  /** The chunk's records as kafka-clients reads them; leaves {@code chunk}'s position alone. */
  static MemoryRecords open(ByteBuffer chunk) {
    long base = baseOffsetOf(chunk);
    MemoryRecords records = MemoryRecords.readableRecords(chunk.duplicate());
    try {
      Iterator<MutableRecordBatch> batches = records.batches().iterator();
      if (!batches.hasNext()) {
        throw new UncleanableBatchException(
            base, "a chunk of " + chunk.remaining() + " bytes holds no whole batch");
      }
      MutableRecordBatch batch = batches.next();
      if (batches.hasNext() || batch.sizeInBytes() != chunk.remaining()) {
        throw new UncleanableBatchException(
            base, "the chunk at offset " + base + " is not exactly one batch");
      }
      if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
        throw new UncleanableBatchException(
            base, "the batch at offset " + base + " has magic " + batch.magic());
      }
      batch.ensureValid();
      if (batch.isTransactional() || batch.isControlBatch()) {
        throw new UncleanableBatchException(
            base, "the batch at offset " + base + " is transactional or a control batch");
      }
    } catch (KafkaException e) {
      throw unreadable(base, e);
    }
    return records;
  }

  /** The one batch of records returned by {@link #open}. */
  static MutableRecordBatch only(MemoryRecords records) {
    return records.batches().iterator().next();
  }

  /** kafka-clients' complaint about a batch (CRC, record framing, decompression) as the cleaner's. */
  static UncleanableBatchException unreadable(long baseOffset, KafkaException e) {
    return new UncleanableBatchException(
        baseOffset, "the batch at offset " + baseOffset + " cannot be read: " + e.getMessage(), e);
  }

  private static long baseOffsetOf(ByteBuffer chunk) {
    return chunk.remaining() >= Long.BYTES ? chunk.getLong(chunk.position()) : -1;
  }
}
